/**
 * The known-variants counter (`ArticleSummary.variantsSeen`) travels with an export: a `variants` line after the
 * article's versions, restored on import through `SnapshotStore.recordVariant` up to the file's count (never
 * doubled by running the import again), while `wirediff.export/1` files (no variants lines) still import.
 */
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { EXPORT_SCHEMA, EXPORT_SCHEMA_V1 } from '../../src/store/interchange/index.js';
import { openFileStore } from '../../src/store/open.js';
import { buildHistory, cli, importText as importInto, lines, storeState } from './history-fixture.js';
import { tempDir } from '../support/temp.js';

let a: { dir: string; cleanup(): Promise<void> };
let b: { dir: string; cleanup(): Promise<void> };
let full: string[];
beforeEach(async () => {
  a = await tempDir('wirediff-variants-a-');
  b = await tempDir('wirediff-variants-b-');
  await buildHistory(a.dir, { variants: 3 });
  full = (await cli(a.dir, ['export', '--all'])).out.split('\n').filter((l) => l !== '');
});
afterEach(async () => {
  await a.cleanup();
  await b.cleanup();
});

/** Imports into store B. */
const importText = (mode: 'file' | 'stdin', text: string, extra: string[] = []): ReturnType<typeof importInto> =>
  importInto(b.dir, mode, text, extra);

describe('export', () => {
  test("a variants line follows the article's last version; none for an article with no variants", async () => {
    const parsed = lines(full.join('\n'));
    expect(parsed[0]).toMatchObject({ schema: EXPORT_SCHEMA });
    expect(EXPORT_SCHEMA).toBe('wirediff.export/2');
    expect(parsed.map((l) => l['type'])).toEqual([
      'wirediff-export',
      ...Array<string>(4).fill('version'),
      'variants',
      ...Array<string>(2).fill('version'),
      ...Array<string>(6).fill('event'),
    ]);
    expect(parsed[5]).toEqual({ type: 'variants', article: 'ap-syria', seen: 3 });
    const out = await cli(a.dir, ['export', '--all', '--out', 'x.jsonl']);
    expect(out.out).toMatch(/exported 6 version\(s\) of 2 article\(s\) and 6 event\(s\) to .* \(with 3 known-variant/);
  });
});

describe.each(['file', 'stdin'] as const)('import (%s)', (mode) => {
  test('restores the counters; a second run adds none; the store exports the same lines', async () => {
    const r = await importText(mode, full.join('\n') + '\n');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toBe(
      'imported 6 version(s) of 2 article(s) and 6 event(s); recorded 3 known-variant sighting(s)\n' +
        '  ap-syria: 4 new version(s), 4 new event(s), 3 variant sighting(s)\n' +
        '  syria-copy: 2 new version(s), 2 new event(s)\n',
    );
    expect((await storeState(b.dir)).variants).toEqual({ 'ap-syria': 3, 'syria-copy': 0 });
    const again = await importText(mode, full.join('\n') + '\n');
    expect(again.code).toBe(0);
    expect(again.out).not.toContain('variant');
    expect((await storeState(b.dir)).variants).toEqual({ 'ap-syria': 3, 'syria-copy': 0 });
    const exported = (await cli(b.dir, ['export', '--all'])).out.split('\n').filter((l) => l !== '');
    expect(exported.slice(1)).toEqual(full.slice(1));
  });

  test('an import that stopped before all sightings were recorded records only the missing ones', async () => {
    // Another store where the import stopped after one sighting: build it, then import the file.
    const c = await tempDir('wirediff-variants-c-');
    try {
      const withoutVariants = full.filter((l) => !l.includes('"type":"variants"'));
      await writeFile(path.join(c.dir, 'part.jsonl'), withoutVariants.join('\n'));
      expect((await cli(c.dir, ['import', 'part.jsonl'])).code).toBe(0);
      const opened = await openFileStore({ dir: path.join(c.dir, 'snapshots') });
      try {
        await opened.store.recordVariant('ap-syria', 4, '2013-03-16T13:00:00.000Z');
      } finally {
        await opened.close();
      }
      await writeFile(path.join(c.dir, 'full.jsonl'), full.join('\n'));
      const r =
        mode === 'file'
          ? await cli(c.dir, ['import', 'full.jsonl'])
          : await cli(c.dir, ['import', '-'], full.join('\n'));
      expect(r.out).toContain('recorded 2 known-variant sighting(s)');
      expect((await storeState(c.dir)).variants).toEqual({ 'ap-syria': 3, 'syria-copy': 0 });
    } finally {
      await c.cleanup();
    }
  });

  test('a wirediff.export/1 file (no variants lines) still imports, with counters at 0', async () => {
    const header = JSON.parse(full[0]!) as Record<string, unknown>;
    const v1 = [
      JSON.stringify({ ...header, schema: EXPORT_SCHEMA_V1 }),
      ...full.slice(1).filter((l) => !l.includes('"type":"variants"')),
    ];
    expect(v1).toHaveLength(full.length - 1);
    const r = await importText(mode, v1.join('\n') + '\n');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(/^imported 6 version\(s\) of 2 article\(s\) and 6 event\(s\)\n/);
    expect(await storeState(b.dir)).toMatchObject({
      versions: { 'ap-syria': 4, 'syria-copy': 2 },
      variants: { 'ap-syria': 0, 'syria-copy': 0 },
    });
  });

  test('damaged variants lines are refused whole, with line numbers', async () => {
    const variants = full[5]!;
    const cases: [string[], string][] = [
      [[full[0]!, variants, ...full.slice(1, 5), ...full.slice(6)], 'line 2: variants for ap-syria, but no version'],
      [[...full.slice(0, 6), variants, ...full.slice(6)], 'line 7: a second variants line for ap-syria'],
      [
        [...full.slice(0, 5), variants.replace('"seen":3', '"seen":-1'), ...full.slice(6)],
        'line 6: Expected `seen` to be a count from 0, got `-1` (number)\n',
      ],
      [
        [full[0]!, ...full.slice(1, 4), variants, full[4]!, ...full.slice(6)],
        "line 6: ap-syria v4: comes after the article's variants line",
      ],
    ];
    for (const [ls, message] of cases) {
      const r = await importText(mode, ls.join('\n') + '\n');
      expect(r.code).toBe(2);
      expect(r.err).toContain('cannot import, nothing was written');
      expect(r.err).toContain(message);
    }
    expect(await storeState(b.dir)).toEqual({ versions: {}, variants: {}, events: [] });
  });
});
