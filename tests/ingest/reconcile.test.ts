import { afterEach, beforeEach, expect, test } from 'vitest';
import { contentHash, parseArticle } from '../../src/core/extract/index.js';
import { diffVersions } from '../../src/core/diff/index.js';
import { openFileStore, type FileStore } from '../../src/store/open.js';
import { reconcileEvents } from '../../src/ingest/reconcile.js';
import { createWatcher } from '../../src/watch/watcher.js';
import { story, storyText, testConfig } from '../watch/helpers.js';
import { tempDir } from '../support/temp.js';
import { silentLogger } from '../support/log.js';

let tmp: { dir: string; cleanup(): Promise<void> };
let fs: FileStore;
beforeEach(async () => {
  tmp = await tempDir();
  fs = await openFileStore({ dir: testConfig(tmp.dir).storeDir });
});
afterEach(async () => {
  await fs.close();
  await tmp.cleanup();
});

/** Appends a version with no event, as a crash between the two writes leaves it. */
async function versionOnly(id: string, first: number, expectedLatest: number): Promise<void> {
  const text = storyText(story('Crash story', first, 5));
  const parsed = parseArticle({ body: text, format: 'text' });
  const prev = expectedLatest > 0 ? (await fs.store.getLatest(id))!.article : undefined;
  await fs.store.appendVersion({
    article: id,
    fetchedAt: '2026-11-25T03:00:00.000Z',
    origin: { kind: 'push' },
    contentType: 'text/plain',
    raw: new TextEncoder().encode(text),
    parsed,
    contentHash: contentHash(parsed),
    changes: prev ? diffVersions(prev, parsed) : null,
    expectedLatest,
  });
}

test('the newest version stored without its event gets it, once', async () => {
  await versionOnly('a', 1, 0); // version 1 of a, no event
  await versionOnly('b', 10, 0);
  const now = () => Date.parse('2026-11-25T04:00:00Z');
  const first = await reconcileEvents({ store: fs.store, log: fs.log }, now);
  expect(first.map((e) => `${e.article}@${e.version}`).sort()).toEqual(['a@1', 'b@1']);
  expect(await reconcileEvents({ store: fs.store, log: fs.log }, now)).toEqual([]);

  await versionOnly('a', 2, 1); // version 2 of a, no event
  const second = await reconcileEvents({ store: fs.store, log: fs.log }, now);
  expect(second.map((e) => `${e.article}@${e.version}`)).toEqual(['a@2']);
  expect(second[0]!.changes).not.toBeNull();
  expect((await fs.log.bounds()).last).toBe(3);
});

test('the watcher repairs on start', async () => {
  await versionOnly('c', 1, 0);
  const config = testConfig(tmp.dir, { sources: [] });
  const w = createWatcher(config, { store: fs.store, log: fs.log, logger: silentLogger(), persistStatus: false });
  await w.start();
  await w.close();
  expect((await fs.log.readLatest(10, 'c')).map((e) => e.version)).toEqual([1]);
});
