/**
 * docs/benchmarks.md is generated: it must be exactly what tests/bench/report.ts renders from the committed
 * docs/bench-results.json (after `npm run bench`, or `npm run bench:report` when only the renderer changed). A partial
 * run (`--only`) keeps the other modules' rows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  formatResults,
  mergeResults,
  parseResults,
  renderBenchmarks,
  REPORT_FILE,
  RESULTS_FILE,
  RESULTS_SCHEMA,
  type ModuleResult,
} from './report.js';

const root = join(import.meta.dirname, '..', '..');

const machine = {
  node: 'v20.19.0',
  platform: 'linux x64',
  cpus: 2,
  cpuModel: 'Test CPU',
  memoryGiB: 4,
  gcExposed: true,
};

function mod(module: string, date: string, names: string[], pass = true): ModuleResult {
  return {
    module,
    date,
    machine,
    rows: names.map((name) => ({
      group: module,
      name,
      value: 2,
      unit: 'ms',
      baseline: 1,
      ratio: 2,
      target: '≤ 3×',
      pass,
    })),
  };
}

describe('docs/benchmarks.md', () => {
  it('is what report.ts renders from docs/bench-results.json (run `npm run bench:report`)', () => {
    const text = readFileSync(join(root, RESULTS_FILE), 'utf8');
    const results = parseResults(JSON.parse(text), RESULTS_FILE);
    expect(results.modules.length).toBeGreaterThan(0);
    expect(text, 'docs/bench-results.json is in the form the bench writes').toBe(formatResults(results));
    expect(readFileSync(join(root, REPORT_FILE), 'utf8')).toBe(renderBenchmarks(results));
  });

  it('shows every row of every module with its ratio, baseline, target and pass', () => {
    const page = renderBenchmarks(
      mergeResults(undefined, [mod('core-diff', '2026-12-06T06:00:00.000Z', ['(a) small | edit'], false)]),
    );
    expect(page).toContain('| core-diff | (a) small \\| edit | 2 ms | 1 ms | 2× | ≤ 3× | ✗ |');
    expect(page).toContain('Measured 2026-12-06 on 2 × Test CPU, 4 GiB, linux x64, Node v20.19.0.');
    expect(page).toContain('| `core-diff` | 2026-12-06 06:00 |');
    expect(page).toContain('Not in the results yet: `event-loop`,');
  });
});

describe('merging a partial run into the results', () => {
  const before = mergeResults(undefined, [
    mod('core-diff', '2026-12-01T10:00:00.000Z', ['(a)', '(b)']),
    mod('store', '2026-12-01T10:05:00.000Z', ['ingest']),
  ]);

  it('replaces the modules run and keeps every other module, with its own date', () => {
    const after = mergeResults(before, [mod('core-diff', '2026-12-06T06:00:00.000Z', ['(a)'], false)]);
    expect(after.modules.map((m) => [m.module, m.date, m.rows.length])).toEqual([
      ['core-diff', '2026-12-06T06:00:00.000Z', 1],
      ['store', '2026-12-01T10:05:00.000Z', 1],
    ]);
    expect(after.modules[0]!.rows[0]!.pass).toBe(false);
  });

  it('adds a module not run before in name order', () => {
    const after = mergeResults(before, [mod('publish', '2026-12-06T06:00:00.000Z', ['flush'])]);
    expect(after.modules.map((m) => m.module)).toEqual(['core-diff', 'publish', 'store']);
  });

  it('refuses a results file that is not one, naming the problem', () => {
    expect(() => parseResults({ schema: RESULTS_SCHEMA, rows: [] }, 'x.json')).toThrow(/^x\.json is not a /);
    expect(() =>
      parseResults({ schema: RESULTS_SCHEMA, modules: [{ ...mod('store', 'yesterday', []) }] }, 'x.json'),
    ).toThrow(/modules\.0\.date/);
    const twice = { schema: RESULTS_SCHEMA, modules: [before.modules[0], before.modules[0]] };
    expect(() => parseResults(twice, 'x.json')).toThrow(/listed twice/);
  });
});
