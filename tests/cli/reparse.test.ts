/**
 * `wirediff reparse` says plainly what it did: versions extracted the same, extracted differently (and what changed
 * in them) and unreadable ones, counts that add up to the versions it read.
 */
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openFileStore } from '../../src/store/open.js';
import { buildHistory, cli } from './history-fixture.js';
import { tempDir } from '../support/temp.js';

let tmp: { dir: string; cleanup(): Promise<void> };
beforeEach(async () => {
  tmp = await tempDir('wirediff-reparse-');
  await buildHistory(tmp.dir);
});
afterEach(async () => {
  await tmp.cleanup();
});

describe('wirediff reparse', () => {
  test('nothing to change: every version counted as extracted the same', async () => {
    const r = await cli(tmp.dir, ['reparse', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /^Re-extracted 6 version\(s\) of 2 article\(s\) with \S+: 6 extracted the same as before, 0 extracted differently \(updated\), 0 could not be re-extracted \(kept their old extraction\)\.\n$/,
    );
  });

  test('a stored extraction that differs from what the extractor now gives: counted and named', async () => {
    const opened = await openFileStore({ dir: path.join(tmp.dir, 'snapshots') });
    try {
      const v2 = (await opened.store.getVersion('ap-syria', 2))!;
      await opened.store.replaceDerived('ap-syria', 2, { ...v2.article, title: 'An old title' }, v2.changes);
      const v3 = (await opened.store.getVersion('ap-syria', 3))!;
      const fewer = { ...v3.article, paragraphs: v3.article.paragraphs.slice(1) };
      await opened.store.replaceDerived('ap-syria', 3, fewer, v3.changes);
    } finally {
      await opened.close();
    }
    const r = await cli(tmp.dir, ['reparse', '--quiet', 'ap-syria']);
    expect(r.code).toBe(0);
    const [summary, ...rest] = r.out.trimEnd().split('\n');
    expect(summary).toMatch(
      /: 2 extracted the same as before, 2 extracted differently \(updated\), 0 could not be re-extracted/,
    );
    expect(rest).toEqual([
      'Extracted differently:',
      expect.stringMatching(/^ {2}ap-syria v2: title "An old title" -> "/),
      expect.stringMatching(/^ {2}ap-syria v3: (\d+) -> (\d+) paragraphs$/),
    ]);
    const json = JSON.parse((await cli(tmp.dir, ['reparse', '--quiet', '--json'])).out) as Record<string, unknown>;
    expect(json).toMatchObject({ versions: 6, changed: 0, unchanged: 6, changes: [], failed: [] });
  });
});
