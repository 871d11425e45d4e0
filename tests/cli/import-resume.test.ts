/**
 * Running an import again after it stopped part-way finishes it: an article whose stored versions are the file's
 * first versions is resumed from the next one, events already in the log are not appended twice, and an article
 * stored with another history is still refused whole. The crash is simulated on real stores in temp folders: by
 * importing a cut-short copy of the file, or by appending the first versions (and some events) through the store
 * and the log as the import does. Both import paths are run: a file (streamed, two passes) and stdin (in memory).
 */
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { isWirediffError } from '../../src/core/errors.js';
import {
  checkExportFile,
  importExportFile,
  importHistory,
  newVersionOf,
  readExport,
} from '../../src/store/interchange/index.js';
import type { ImportResult, ParsedExport } from '../../src/store/interchange/index.js';
import { openFileStore } from '../../src/store/open.js';
import { Readable } from 'node:stream';
import { apTexts } from './helpers.js';
import { buildHistory, cli, importText as importInto, lines, storeState } from './history-fixture.js';
import { tempDir } from '../support/temp.js';

let a: { dir: string; cleanup(): Promise<void> };
let b: { dir: string; cleanup(): Promise<void> };
/** The export of store A, as lines (no trailing empty line). */
let full: string[];
beforeEach(async () => {
  a = await tempDir('wirediff-resume-a-');
  b = await tempDir('wirediff-resume-b-');
  await buildHistory(a.dir);
  full = (await cli(a.dir, ['export', '--all'])).out.split('\n').filter((l) => l !== '');
});
afterEach(async () => {
  await a.cleanup();
  await b.cleanup();
});

const SOURCE_EVENTS = ['ap-syria@1', 'ap-syria@2', 'ap-syria@3', 'ap-syria@4', 'syria-copy@1', 'syria-copy@2'];

/** The file's lines, but only the versions and events `keep` accepts, with the header's article count fixed. */
function cut(keep: (type: string, article: string, version: number) => boolean): string {
  const kept = lines(full.join('\n')).filter((l) => {
    if (l['type'] === 'wirediff-export') return true;
    const meta = l['meta'] as { article: string; version: number } | undefined;
    return keep(String(l['type']), meta?.article ?? String(l['article']), meta?.version ?? Number(l['version']));
  });
  const articles = new Set(
    kept.filter((l) => l['type'] === 'version').map((l) => (l['meta'] as { article: string }).article),
  );
  kept[0] = { ...kept[0], articles: articles.size };
  return kept.map((l) => JSON.stringify(l)).join('\n') + '\n';
}

/** Imports into store B. */
const importText = (mode: 'file' | 'stdin', text: string, extra: string[] = []): ReturnType<typeof importInto> =>
  importInto(b.dir, mode, text, extra);

/** Store B's export, without the header (whose exportedAt differs), equals store A's. */
async function expectSameHistoryAsSource(): Promise<void> {
  const again = (await cli(b.dir, ['export', '--all'])).out.split('\n').filter((l) => l !== '');
  expect(again.slice(1)).toEqual(full.slice(1));
}

/** Appends versions of the file to store B through the store (and events through the log), as an import does. */
async function appendDirectly(
  versions: (article: string, version: number) => boolean,
  events: (article: string, version: number) => boolean = () => false,
): Promise<void> {
  const parsed = await readExport(Readable.from([full.join('\n')]), 'full');
  const opened = await openFileStore({ dir: path.join(b.dir, 'snapshots') });
  try {
    for (const art of parsed.articles) {
      for (const v of art.versions) {
        if (!versions(art.id, v.meta.version)) continue;
        await opened.store.appendVersion(newVersionOf(v));
      }
    }
    for (const e of parsed.events) if (events(e.article, e.version)) await opened.log.append(e);
  } finally {
    await opened.close();
  }
}

describe.each(['file', 'stdin'] as const)('resuming an import that stopped part-way (%s)', (mode) => {
  test('cut after ap-syria v2 and its first event: the full file adds only what is missing', async () => {
    const first = await importText(
      mode,
      cut((type, article, version) => article === 'ap-syria' && version <= (type === 'version' ? 2 : 1)),
    );
    expect(first).toMatchObject({ code: 0, err: '' });
    expect(await storeState(b.dir)).toEqual({
      versions: { 'ap-syria': 2 },
      variants: { 'ap-syria': 0 },
      events: ['ap-syria@1'],
    });

    const r = await importText(mode, full.join('\n') + '\n');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toBe(
      'imported 4 version(s) of 2 article(s) and 5 event(s); resumed 1 article(s) whose first versions were ' +
        'already stored (2 version(s) and 1 event(s) already there, not written again)\n' +
        '  ap-syria: 2 new version(s), 3 new event(s) (resumed: 2 version(s) and 1 event(s) already stored)\n' +
        '  syria-copy: 2 new version(s), 2 new event(s)\n',
    );
    expect(await storeState(b.dir)).toEqual({
      versions: { 'ap-syria': 4, 'syria-copy': 2 },
      variants: { 'ap-syria': 0, 'syria-copy': 0 },
      events: SOURCE_EVENTS,
    });
    await expectSameHistoryAsSource();
  });

  test('with --skip-existing (the old advice) the cut-short article is resumed, not skipped for good', async () => {
    await importText(
      mode,
      cut((type, _article, version) => type === 'version' && version === 1),
    );
    const r = await importText(mode, full.join('\n') + '\n', ['--skip-existing']);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(/^imported 4 version\(s\) of 2 article\(s\) and 6 event\(s\); resumed 2 article\(s\)/);
    expect(r.out).not.toContain('skipped');
    await expectSameHistoryAsSource();
  });

  test('versions stored without events (a crash between the two steps): the events are added once', async () => {
    await appendDirectly(
      (article, version) => article === 'ap-syria' || version === 1,
      (article, version) => article === 'ap-syria' && version <= 2,
    );
    const r = await importText(mode, full.join('\n') + '\n');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out.split('\n')[0]).toBe(
      'imported 1 version(s) of 2 article(s) and 4 event(s); resumed 2 article(s) whose first versions were ' +
        'already stored (5 version(s) and 2 event(s) already there, not written again)',
    );
    expect((await storeState(b.dir)).events).toEqual(SOURCE_EVENTS);
    await expectSameHistoryAsSource();
  });

  test('a finished import run again writes nothing and says so', async () => {
    expect((await importText(mode, full.join('\n') + '\n')).code).toBe(0);
    const before = await storeState(b.dir);
    const r = await importText(mode, full.join('\n') + '\n');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out.split('\n')[0]).toBe(
      'imported 0 version(s) of 2 article(s) and 0 event(s); resumed 2 article(s) whose first versions were ' +
        'already stored (6 version(s) and 6 event(s) already there, not written again)',
    );
    expect(await storeState(b.dir)).toEqual(before);
    await expectSameHistoryAsSource();
  });

  test('an article stored with another history is a conflict: nothing written, --skip-existing leaves it', async () => {
    // B's ap-syria: the file's v1, then a different v2 (AP's v4 text).
    const texts = await apTexts();
    await appendDirectly((article, version) => article === 'ap-syria' && version === 1);
    await writeFile(path.join(b.dir, 'other.txt'), texts[3]!);
    expect((await cli(b.dir, ['ingest', 'ap-syria', 'other.txt'])).code).toBe(0);
    const before = await storeState(b.dir);

    const r = await importText(mode, full.join('\n') + '\n');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain('cannot import: "ap-syria" differs from the file at version 2 (another raw source)');
    expect(r.err).toContain(`in ${path.join(b.dir, 'snapshots')}; nothing was written`);
    expect(r.err).toContain('use --skip-existing to leave the differing article(s) as they are');
    expect(await storeState(b.dir)).toEqual(before);
    // The library says which refusal it is: E_IMPORT_CONFLICT (not the lock's or a racing writer's code).
    const opened = await openFileStore({ dir: path.join(b.dir, 'snapshots') });
    try {
      const parsed = await readExport(Readable.from([full.join('\n') + '\n']), 'file');
      const refused = await importHistory(opened, parsed).catch((e: unknown) => e);
      expect(isWirediffError(refused, 'E_IMPORT_CONFLICT')).toBe(true);
    } finally {
      await opened.close();
    }
    expect(await storeState(b.dir)).toEqual(before);

    const skip = await importText(mode, full.join('\n') + '\n', ['--skip-existing']);
    expect(skip).toMatchObject({ code: 0, err: '' });
    expect(skip.out).toBe(
      'imported 2 version(s) of 1 article(s) and 2 event(s); skipped 1 article(s) stored with another history\n' +
        '  syria-copy: 2 new version(s), 2 new event(s)\n' +
        "  ap-syria: skipped (2 stored version(s) differ from the file's)\n",
    );
    const after = await storeState(b.dir);
    expect(after.versions).toEqual({ 'ap-syria': 2, 'syria-copy': 2 });
    expect(after.events).toEqual([...before.events, 'syria-copy@1', 'syria-copy@2']);
  });

  test('a store holding more versions than the file, or other extracted content, is a conflict', async () => {
    expect((await importText(mode, full.join('\n') + '\n')).code).toBe(0);
    const before = await storeState(b.dir);
    const shorter = await importText(
      mode,
      cut((_type, article, version) => article === 'ap-syria' && version <= 2),
    );
    expect(shorter.code).toBe(2);
    expect(shorter.err).toContain('"ap-syria" has 4 version(s) here and the file only 2: version 3 is not in the file');

    // The same raw bytes, but the file says v3 extracted to other content.
    const tampered = lines(full.join('\n')).map((l) => {
      const meta = l['meta'] as Record<string, unknown> | undefined;
      return JSON.stringify(
        meta?.['article'] === 'syria-copy' && meta['version'] === 2
          ? { ...l, meta: { ...meta, contentHash: 'x'.repeat(64) } }
          : l,
      );
    });
    const other = await importText(mode, tampered.join('\n') + '\n');
    expect(other.code).toBe(2);
    expect(other.err).toContain('"syria-copy" differs from the file at version 2 (other extracted content)');
    expect(await storeState(b.dir)).toEqual(before);
  });
});

describe('the two import functions agree', () => {
  test('importHistory (in memory) and importExportFile (streamed) resume the same way', async () => {
    const results: ImportResult[] = [];
    for (const target of ['one', 'two']) {
      const dir = path.join(b.dir, target);
      const opened = await openFileStore({ dir: path.join(dir, 'snapshots') });
      const parsed: ParsedExport = await readExport(Readable.from([full.join('\n')]), 'full');
      try {
        // The crash: ap-syria v1..v3 and event 1 made it, nothing else.
        for (const v of parsed.articles[0]!.versions.slice(0, 3)) {
          await opened.store.appendVersion(newVersionOf(v));
        }
        await opened.log.append(parsed.events[0]!);
        const progress: number[] = [];
        const options = { onProgress: (p: { done: number; total: number }) => void progress.push(p.done, p.total) };
        if (target === 'one') {
          results.push(await importHistory(opened, parsed, options));
        } else {
          const file = path.join(b.dir, 'full.jsonl');
          await writeFile(file, full.join('\n'));
          results.push(await importExportFile(opened, await checkExportFile(file, 'full.jsonl'), options));
        }
        expect(progress).toEqual([1, 3, 2, 3, 3, 3]);
        expect((await opened.log.readAfter(0)).map((e) => `${e.article}@${e.version}`)).toEqual(SOURCE_EVENTS);
      } finally {
        await opened.close();
      }
    }
    expect(results[0]).toEqual({
      imported: [
        { id: 'ap-syria', versions: 1, resumedVersions: 3, events: 3, resumedEvents: 1, variants: 0 },
        { id: 'syria-copy', versions: 2, resumedVersions: 0, events: 2, resumedEvents: 0, variants: 0 },
      ],
      skipped: [],
      versions: 3,
      events: 5,
      resumed: { articles: 1, versions: 3, events: 1 },
      variants: 0,
    });
    expect(results[1]).toEqual(results[0]);
    expect(await readFile(path.join(b.dir, 'full.jsonl'), 'utf8')).toBe(full.join('\n'));
  });
});
