/**
 * `npm run bench:report` → `node dist/tests/bench/report.js`: renders docs/benchmarks.md from docs/bench-results.json.
 *
 * docs/benchmarks.md is never typed by hand: `npm run bench` writes the results file and then this page, and
 * tests/bench/report.test.ts fails when the page is not what `renderBenchmarks` makes of the committed results.
 *
 * The results file keeps one entry per bench module (the file name without `.bench.ts`), each with the date and
 * machine of the run that measured it, so `npm run bench -- --only NAME` replaces that module's rows and keeps the
 * others (`mergeResults`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';

export const RESULTS_SCHEMA = 'wirediff.bench-results/1';
/** Paths relative to the repository root. */
export const RESULTS_FILE = path.join('docs', 'bench-results.json');
export const REPORT_FILE = path.join('docs', 'benchmarks.md');

const rowSchema = z
  .object({
    group: z.string().min(1),
    name: z.string().min(1),
    value: z.number().nullable(),
    unit: z.string(),
    baseline: z.number().nullable(),
    ratio: z.number().nullable(),
    target: z.string().optional(),
    pass: z.boolean().optional(),
    note: z.string().optional(),
  })
  .strict();

const machineSchema = z
  .object({
    node: z.string().min(1),
    platform: z.string().min(1),
    cpus: z.number().int().positive(),
    cpuModel: z.string(),
    memoryGiB: z.number().positive(),
    gcExposed: z.boolean(),
  })
  .strict();

const moduleSchema = z
  .object({
    module: z.string().regex(/^[a-z0-9-]+$/),
    date: z.iso.datetime(),
    machine: machineSchema,
    rows: z.array(rowSchema),
  })
  .strict();

const resultsSchema = z
  .object({
    schema: z.literal(RESULTS_SCHEMA),
    modules: z.array(moduleSchema),
  })
  .strict()
  .superRefine((r, ctx) => {
    const names = r.modules.map((m) => m.module);
    const sorted = [...names].sort();
    if (new Set(names).size !== names.length) ctx.addIssue({ code: 'custom', message: 'a module is listed twice' });
    else if (names.some((n, k) => n !== sorted[k]))
      ctx.addIssue({ code: 'custom', message: 'modules must be in name order' });
  });

export type BenchMachine = z.infer<typeof machineSchema>;
export type ModuleResult = z.infer<typeof moduleSchema>;
export type BenchResults = z.infer<typeof resultsSchema>;

/** Checks a parsed results document; throws an Error naming the first problem and where it is. */
export function parseResults(doc: unknown, where: string): BenchResults {
  const r = resultsSchema.safeParse(doc);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const at = issue.path.length === 0 ? '' : `${issue.path.join('.')}: `;
    throw new Error(`${where} is not a ${RESULTS_SCHEMA} file: ${at}${issue.message}`);
  }
  return r.data;
}

/** Reads and checks a results file; undefined when it does not exist. */
export function readResults(file: string): BenchResults | undefined {
  if (!existsSync(file)) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file} is not JSON: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return parseResults(doc, file);
}

/**
 * The results after a run of some modules: each module run replaces its earlier entry, every other module keeps its
 * rows, date and machine. Modules stay in name order.
 */
export function mergeResults(previous: BenchResults | undefined, run: readonly ModuleResult[]): BenchResults {
  const byName = new Map<string, ModuleResult>();
  for (const m of previous?.modules ?? []) byName.set(m.module, m);
  for (const m of run) byName.set(m.module, m);
  const modules = [...byName.values()].sort((a, b) => (a.module < b.module ? -1 : a.module > b.module ? 1 : 0));
  return parseResults({ schema: RESULTS_SCHEMA, modules }, 'the merged results');
}

/** The results file's text: two-space JSON with a final newline (the form prettier keeps). */
export function formatResults(results: BenchResults): string {
  return JSON.stringify(results, null, 2) + '\n';
}

/** What each module measures, against what, and its targets (the method; the figures come from the results). */
const MODULES: Record<string, { measures: string; baseline: string; target: string }> = {
  'core-diff': {
    measures:
      'full `diffVersions` on (a) 40 paragraphs + 3 prepended + 2 edited, (b) a 2,000-paragraph live blog with 1 % ' +
      'changed, (c) 10,000 paragraphs half edited, (d) 10,000 all replaced; the same ChangeSet on every run',
    baseline: 'splitting both versions into paragraphs and hashing each (FNV-1a)',
    target: '(a) ≤ 3×, (b) ≤ 1×, (c) ≤ 30×, (d) ≤ 10×',
  },
  'event-loop': {
    measures:
      'worst lateness of a 10 ms ping while 4 × 2 MB versions are pushed through the worker pool and the store; ' +
      'the pool’s work alone; the same on the main thread',
    baseline: 'the same ping on an idle loop',
    target: '< 50 ms',
  },
  postgres: {
    measures:
      'PostgreSQL store: ingest versions/s; 4 watchers vs 1; commit → delivery p50/p99 through 2 edges × 2,000 ' +
      'clients (what follows from the figures: [capacity.md](capacity.md))',
    baseline: 'bare INSERTs of the same bytes; 1 watcher; 1 process serving 4,000 clients',
    target: '≥ 0.5×; ≥ 1.5×; ≤ 3×',
  },
  publish: {
    measures:
      'broadcast to 1,000 and 10,000 clients in a separate process (latency p50/p99, flush, deliveries/s, memory ' +
      'per idle connection); feed serving (304 and full GET of a 100 KB feed, with `wrk` or `autocannon`)',
    baseline: 'a bare `ws` server sending one pre-built frame; a bare `node:http` server returning the same Buffer',
    target: 'flush ≤ 1.3×, memory ≤ 1.5×, feeds ≤ 1.2×',
  },
  store: {
    measures:
      'versions ingested per second end to end (parse, diff, store, log), also with 4 articles in flight; heap ' +
      'growth per version over a long stream; stored bytes per version; memory per 1 MB event',
    baseline: 'writing the same raw bytes to files with fsync',
    target: '≥ 0.5× the rate; flat memory; ≤ 1.5× the bytes',
  },
  viewer: {
    measures: 'rendering the diff page for the 2,000- and 10,000-paragraph pairs (and render + gzip)',
    baseline: 'computing the diff itself',
    target: '≤ 3×',
  },
  watcher: {
    measures: 'the same pipeline through the ingest function the watcher uses: ms per version; heap over a long stream',
    baseline: 'writing the same bytes to files with fsync',
    target: '≤ 2× the time per version; flat memory',
  },
};

/** A table cell: pipes escaped, line breaks flattened. */
function cell(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ');
}

function num(x: number | null, unit: string): string {
  if (x === null) return '—';
  return unit === '' ? String(x) : `${x} ${unit}`;
}

function machineLine(m: BenchMachine): string {
  const gc = m.gcExposed ? '' : ', without --expose-gc';
  return `${m.cpus} × ${m.cpuModel.trim() || 'unknown CPU'}, ${m.memoryGiB} GiB, ${m.platform}, Node ${m.node}${gc}`;
}

/** docs/benchmarks.md as the results say it. Pure: the same results give the same bytes. */
export function renderBenchmarks(results: BenchResults): string {
  const out: string[] = [];
  out.push('# Benchmarks', '');
  out.push(
    '<!-- Generated by tests/bench/report.ts from docs/bench-results.json (`npm run bench:report`); do not edit. -->',
    '',
  );
  out.push('## Method', '');
  out.push(
    '`npm run bench` builds, then runs every `tests/bench/*.bench.ts` module in name order (`npm run bench -- --only ' +
      'NAME` runs the modules whose name contains NAME), prints one table, merges the rows into ' +
      '`docs/bench-results.json` (a partial run replaces only the modules it ran) and renders this page from it. ' +
      'Every figure is a ratio to a baseline measured in the same run on the same machine, with the samples of the ' +
      'two interleaved so both see the same load; the value is the median, and rows note the fastest-sample ratio ' +
      'where it helps. No test asserts a duration: speed and memory are measured here only. Figures on a shared ' +
      '2-core machine move between runs.',
    '',
  );
  out.push('| module | measures | baseline | target |', '|---|---|---|---|');
  for (const [name, m] of Object.entries(MODULES)) {
    out.push(`| \`${name}\` | ${cell(m.measures)} | ${cell(m.baseline)} | ${cell(m.target)} |`);
  }
  out.push('');
  out.push('## Runs', '');
  if (results.modules.length === 0) {
    out.push('No module has been run yet: run `npm run bench`.', '');
  } else {
    out.push('| module | date (UTC) | machine | rows | below target |', '|---|---|---|---|---|');
    for (const m of results.modules) {
      const failed = m.rows.filter((r) => r.pass === false).length;
      out.push(
        `| \`${m.module}\` | ${m.date.slice(0, 16).replace('T', ' ')} | ${cell(machineLine(m.machine))} | ` +
          `${m.rows.length} | ${failed} |`,
      );
    }
    out.push('');
    const missing = Object.keys(MODULES).filter((n) => !results.modules.some((m) => m.module === n));
    if (missing.length > 0) {
      out.push(`Not in the results yet: ${missing.map((n) => `\`${n}\``).join(', ')}.`, '');
    }
  }
  for (const m of results.modules) {
    out.push(`## \`${m.module}\``, '');
    out.push(`Measured ${m.date.slice(0, 10)} on ${cell(machineLine(m.machine))}.`, '');
    if (m.rows.length === 0) {
      out.push('The module returned no rows.', '');
      continue;
    }
    out.push(
      '| group | figure | value | baseline | ratio | target | pass | note |',
      '|---|---|---|---|---|---|---|---|',
    );
    for (const r of m.rows) {
      const pass = r.pass === undefined ? '' : r.pass ? '✓' : '✗';
      const ratio = r.ratio === null ? '—' : `${r.ratio}×`;
      out.push(
        `| ${cell(r.group)} | ${cell(r.name)} | ${cell(num(r.value, r.unit))} | ${cell(num(r.baseline, r.unit))} | ` +
          `${ratio} | ${cell(r.target ?? '')} | ${pass} | ${cell(r.note ?? '')} |`,
      );
    }
    out.push('');
  }
  return out.join('\n').replace(/\n+$/, '\n');
}

/** The repository root: the nearest folder above `from` with a package.json. */
export function repoRoot(from: string): string {
  let dir = from;
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${from}`);
    dir = up;
  }
}

/** Renders docs/benchmarks.md from docs/bench-results.json under `root`; returns the page's path. */
export async function writeReport(root: string): Promise<string> {
  const resultsFile = path.join(root, RESULTS_FILE);
  const results = readResults(resultsFile);
  if (results === undefined) throw new Error(`${resultsFile} does not exist: run \`npm run bench\` first`);
  const out = path.join(root, REPORT_FILE);
  await writeFile(out, renderBenchmarks(results));
  return out;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  writeReport(repoRoot(path.dirname(fileURLToPath(import.meta.url))))
    .then((out) => console.log(`written ${out}`))
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exitCode = 2;
    });
}
