/**
 * `wirediff export` and `wirediff import` on real stores in temp folders: the AP history survives a round trip
 * unchanged, and damaged files (a corrupt line, a wrong schema, an id that would escape the store, tampered bytes) are
 * refused as a whole with `line N:` messages.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { checkExportFile, EXPORT_SCHEMA, importExportFile } from '../../src/store/interchange/index.js';
import { run } from '../../src/cli/main.js';
import { openFileStore } from '../../src/store/open.js';
import { apTexts, captureContext } from './helpers.js';
import { articlesIn, buildHistory, cli, lines } from './history-fixture.js';
import { tempDir } from '../support/temp.js';

let a: { dir: string; cleanup(): Promise<void> };
let b: { dir: string; cleanup(): Promise<void> };
beforeEach(async () => {
  a = await tempDir('wirediff-export-a-');
  b = await tempDir('wirediff-export-b-');
});
afterEach(async () => {
  await a.cleanup();
  await b.cleanup();
});

describe('round trip', () => {
  test('export, import into a fresh store, export again: the same versions (meta, article, changes, raw) and events', async () => {
    await buildHistory(a.dir);
    const first = await cli(a.dir, ['export', '--all']);
    expect(first.code).toBe(0);
    const parsed = lines(first.out);
    expect(parsed[0]).toMatchObject({ type: 'wirediff-export', schema: EXPORT_SCHEMA, articles: 2 });
    expect(Date.parse(String(parsed[0]!['exportedAt']))).not.toBeNaN();
    expect(parsed.map((l) => l['type'])).toEqual([
      'wirediff-export',
      ...Array<string>(6).fill('version'),
      ...Array<string>(6).fill('event'),
    ]);
    const versions = parsed.filter((l) => l['type'] === 'version');
    expect(versions.map((v) => (v['meta'] as { kind: string }).kind)).toEqual([
      'initial',
      'breaking-update',
      'write-thru',
      'correction',
      'initial',
      'correction',
    ]);
    const texts = await apTexts();
    expect(Buffer.from(String(versions[1]!['raw']), 'base64').equals(texts[1]!)).toBe(true);

    await writeFile(path.join(b.dir, 'history.jsonl'), first.out);
    const imp = await cli(b.dir, ['import', 'history.jsonl']);
    expect(imp).toMatchObject({ code: 0, err: '' });
    expect(imp.out).toMatch(/^imported 6 version\(s\) of 2 article\(s\) and 6 event\(s\)/);

    const again = await cli(b.dir, ['export', '--all', '--out', 'again.jsonl']);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/exported 6 version\(s\) of 2 article\(s\) and 6 event\(s\) to .*again\.jsonl/);
    const second = (await readFile(path.join(b.dir, 'again.jsonl'), 'utf8')).split('\n');
    const firstLines = first.out.split('\n');
    // Everything but the header's exportedAt is identical, byte for byte (event ids included: a fresh log).
    expect(second.slice(1)).toEqual(firstLines.slice(1));
    expect(second.length).toBe(14);
  });

  test('one article through stdin, then the whole file: the stored article is resumed, nothing doubled', async () => {
    await buildHistory(a.dir);
    const one = await cli(a.dir, ['export', 'ap-syria']);
    expect(one.code).toBe(0);
    expect(lines(one.out).filter((l) => l['type'] === 'event')).toHaveLength(4);
    expect(
      lines(one.out).every(
        (l) =>
          l['type'] === 'wirediff-export' ||
          l['article'] === 'ap-syria' ||
          (l['meta'] as { article?: string } | undefined)?.article === 'ap-syria',
      ),
    ).toBe(true);

    expect((await cli(b.dir, ['import', '-'], one.out)).code).toBe(0);
    expect(await articlesIn(b.dir)).toEqual(['ap-syria']);

    // ap-syria is stored exactly as the file's first article: the whole file resumes it (no version, no event
    // again) and adds syria-copy.
    const all = await cli(a.dir, ['export', '--all']);
    const again = await cli(b.dir, ['import', '-'], all.out);
    expect(again).toMatchObject({ code: 0, err: '' });
    expect(again.out).toMatch(
      /^imported 2 version\(s\) of 2 article\(s\) and 2 event\(s\); resumed 1 article\(s\) .*\(4 version\(s\) and 4 event\(s\) already there/,
    );
    expect(await articlesIn(b.dir)).toEqual(['ap-syria', 'syria-copy']);
    const opened = await openFileStore({ dir: path.join(b.dir, 'snapshots'), readOnly: true });
    try {
      expect((await opened.log.readAfter(0)).map((e) => `${e.article}@${e.version}`)).toEqual([
        'ap-syria@1',
        'ap-syria@2',
        'ap-syria@3',
        'ap-syria@4',
        'syria-copy@1',
        'syria-copy@2',
      ]);
      expect((await opened.store.listVersions('ap-syria')).length).toBe(4);
    } finally {
      await opened.close();
    }
  });
});

describe('damaged files are refused whole, with line numbers', () => {
  let exported: string[];
  beforeEach(async () => {
    await buildHistory(a.dir);
    exported = (await cli(a.dir, ['export', '--all'])).out.split('\n');
  });

  async function importLines(ls: string[]): Promise<{ code: number; out: string; err: string }> {
    await writeFile(path.join(b.dir, 'in.jsonl'), ls.join('\n'));
    return cli(b.dir, ['import', 'in.jsonl']);
  }

  test('a corrupt line: nothing is imported, not even the articles before it', async () => {
    const ls = [...exported];
    ls[6] = ls[6]!.slice(0, 40); // syria-copy v2, cut short
    const r = await importLines(ls);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^wirediff: in\.jsonl: cannot import, nothing was written:\n {2}line 7: not JSON/);
    expect(await articlesIn(b.dir)).toEqual([]);
  });

  test('a wrong schema', async () => {
    const header = JSON.parse(exported[0]!) as Record<string, unknown>;
    const r = await importLines([JSON.stringify({ ...header, schema: 'wirediff.export/9' }), ...exported.slice(1)]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      'line 1: Expected `schema` to be a supported schema, "wirediff.export/2" or "wirediff.export/1" (export again ' +
        'with this wirediff), got `wirediff.export/9` (string)\n',
    );
    const notExport = await importLines(['{"hello": "world"}']);
    expect(notExport.err).toMatch(/line 1: expected the header .*: this is not a wirediff export/);
    expect(await articlesIn(b.dir)).toEqual([]);
  });

  test('a file that is not an export (a README): said once, from its first line', async () => {
    const readme = ['# wirediff', '', 'Watch news articles.', ...Array.from({ length: 120 }, (_, i) => `line ${i}`)];
    const r = await importLines(readme);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'wirediff: in.jsonl: cannot import, nothing was written:\n' +
        '  line 1: expected the header {"type": "wirediff-export", "schema": "wirediff.export/2", ...}: ' +
        'this is not a wirediff export (make one with "wirediff export")\n',
    );
    expect(await articlesIn(b.dir)).toEqual([]);
  });

  test('missing fields are called missing', async () => {
    const ls = [...exported];
    const v = JSON.parse(ls[1]!) as { meta: Record<string, unknown>; contentType?: unknown };
    delete v.meta['article'];
    delete v.contentType;
    ls[1] = JSON.stringify(v);
    const r = await importLines(ls);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      'line 2: Expected `meta.article` to be an article id (1-120 of a-z 0-9 . _ -, starting with a letter or digit, ' +
        'no ".."), but it is missing\n',
    );
    expect(r.err).toContain(
      `line 2: Expected \`contentType\` to be the meta's content type "text/plain", but it is missing\n`,
    );
    expect(r.err).not.toMatch(/(got|type|line 2: meta.article:) nothing/);
  });

  test('an article id that would leave the store', async () => {
    const ls = [...exported];
    const v = JSON.parse(ls[1]!) as { meta: Record<string, unknown> };
    v.meta['article'] = '../x';
    ls[1] = JSON.stringify(v);
    const e = JSON.parse(ls[7]!) as Record<string, unknown>;
    ls[7] = JSON.stringify({ ...e, article: '../x' });
    const r = await importLines(ls);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/line 2: Expected `meta\.article` to be an article id \(.*\), got `\.\.\/x` \(string\)\n/);
    expect(r.err).toMatch(/line 8: Expected `article` to be an article id \(.*\), got `\.\.\/x` \(string\)\n/);
    expect(existsSync(path.join(b.dir, 'x'))).toBe(false);
    expect(await articlesIn(b.dir)).toEqual([]);
  });

  test('tampered raw bytes, versions out of order, an event without its version, a wrong article count', async () => {
    const ls = [...exported];
    const v2 = JSON.parse(ls[2]!) as Record<string, unknown>;
    const raw = Buffer.from(String(v2['raw']), 'base64');
    raw[0] = raw[0]! ^ 1;
    ls[2] = JSON.stringify({ ...v2, raw: raw.toString('base64') });
    const r = await importLines(ls);
    expect(r.err).toContain(
      'line 3: Expected `raw` to be bytes whose sha256 is meta.rawHash, got other bytes (the line was changed or damaged)\n',
    );
    // With v2 refused, v3 is out of order and the event of v4 names a version the file does not hold.
    expect(r.err).toContain('line 4: ap-syria v3: expected version 2 next');
    expect(r.err).toContain('line 9: event for ap-syria v2, but that version is not in the file before it');

    const header = JSON.parse(exported[0]!) as Record<string, unknown>;
    const count = await importLines([JSON.stringify({ ...header, articles: 3 }), ...exported.slice(1)]);
    expect(count.err).toContain('line 1: the header says 3 articles, the file holds 2');
    const empty = await importLines(['']);
    expect(empty.err).toContain('the file is empty');
    expect(await articlesIn(b.dir)).toEqual([]);
  });

  test('a store another process is writing: refused with what to do', async () => {
    const busy = await openFileStore({ dir: path.join(b.dir, 'snapshots') });
    try {
      const r = await importLines(exported);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`is being written by another wirediff process (pid ${process.pid}`);
      expect(r.err).toContain('stop it, import, then start it again');
      expect((await busy.store.listArticles()).length).toBe(0);
    } finally {
      await busy.close();
    }
  });

  test('a file changed between the check and the import stops at the changed line', async () => {
    const file = path.join(b.dir, 'in.jsonl');
    await writeFile(file, exported.join('\n'));
    const checked = await checkExportFile(file, 'in.jsonl');
    expect(checked.plan.articles.map((x) => [x.id, x.count])).toEqual([
      ['ap-syria', 4],
      ['syria-copy', 2],
    ]);
    expect(checked.plan.eventCount).toBe(6);
    expect(checked.plan.articles[0]!.versions).toEqual([]); // not kept in memory
    const ls = [...exported];
    ls[2] = ls[2]!.replace('"type":"version"', '"type": "version"');
    await writeFile(file, ls.join('\n'));
    const opened = await openFileStore({ dir: path.join(b.dir, 'snapshots') });
    try {
      await expect(importExportFile(opened, checked)).rejects.toThrow(
        /^in\.jsonl: line 3 changed while it was being imported; stopped after 1 version\(s\) and 1 event\(s\)/,
      );
      expect((await opened.store.listVersions('ap-syria')).length).toBe(1);
    } finally {
      await opened.close();
    }
  });

  test('a missing file', async () => {
    const r = await cli(b.dir, ['import', 'nope.jsonl']);
    expect(r).toMatchObject({ code: 2, out: '' });
    expect(r.err).toBe('wirediff: no such file: nope.jsonl\n');
  });
});

describe('export', () => {
  test('asks for an article or --all, refuses a bad or unknown id', async () => {
    await buildHistory(a.dir);
    const cases: [string[], RegExp][] = [
      [['export'], /give the ARTICLE to export, or --all/],
      [['export', 'ap-syria', '--all'], /either an ARTICLE or --all, not both/],
      [['export', '../x'], /"\.\.\/x" is not an article id/],
      [['export', 'nope'], /no article "nope" is stored \(2 articles are/],
    ];
    for (const [argv, pattern] of cases) {
      const r = await cli(a.dir, argv);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(pattern);
    }
  });

  test('progress on a terminal only, and not with --quiet', async () => {
    await buildHistory(a.dir);
    const tty = captureContext(a.dir, { tty: true });
    expect(await run(['export', '--all', '--out', 'x.jsonl'], tty)).toBe(0);
    expect(tty.stderrText()).toContain('export: 6/6 (100%)');
    const quiet = captureContext(a.dir, { tty: true });
    expect(await run(['export', '--all', '--out', 'y.jsonl', '-q'], quiet)).toBe(0);
    expect(quiet.stderrText()).toBe('');
    expect(quiet.stdoutText()).toBe('');
    const pipe = captureContext(a.dir);
    expect(await run(['export', '--all'], pipe)).toBe(0);
    expect(pipe.stderrText()).toBe('');
    const body = async (f: string): Promise<string> =>
      (await readFile(path.join(a.dir, f), 'utf8')).replace(/"exportedAt":"[^"]+"/, '');
    expect(await body('y.jsonl')).toBe(await body('x.jsonl'));
    expect(await body('x.jsonl')).toBe(pipe.stdoutText().replace(/"exportedAt":"[^"]+"/, ''));
  });
});
