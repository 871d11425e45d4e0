/**
 * One location per article id: two same-named files in two watched folders never feed one article, within a run
 * (the first location in source order keeps the id) and across runs (the store's latest version names its file).
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import type { Config } from '../../src/config/config.js';
import { createWatcher, type PollReport, type Watcher } from '../../src/watch/watcher.js';
import { openStore, story, storyText, testConfig } from './helpers.js';
import { fileStoreEach } from '../support/stores.js';
import { silentLogger } from '../support/log.js';

const ctx = fileStoreEach();
let watcher: Watcher | undefined;

afterEach(async () => {
  await watcher?.close();
  watcher = undefined;
});

/** A config whose schedules do not fire during a test (polls only when asked). */
function dirs(...names: string[]): Config {
  return testConfig(ctx.dir, { sources: names.map((p) => ({ kind: 'dir' as const, path: p, schedule: '0 0 1 1 *' })) });
}

async function open(config: Config): Promise<Watcher> {
  await watcher?.close();
  await ctx.fs?.close();
  ctx.fs = await openStore(config);
  watcher = createWatcher(config, { store: ctx.fs.store, log: ctx.fs.log, logger: silentLogger() });
  return watcher;
}

const lines = (reports: readonly PollReport[]): string[] =>
  reports.flatMap((r) =>
    r.results.map((x) => `${r.index} ${x.article} ${x.outcome}${x.version ? ` v${x.version}` : ''}`),
  );

async function writeStories(): Promise<{ a: string; b: string }> {
  await mkdir(path.join(ctx.dir, 'a'), { recursive: true });
  await mkdir(path.join(ctx.dir, 'b'), { recursive: true });
  const a = path.join(ctx.dir, 'a', 'story.txt');
  const b = path.join(ctx.dir, 'b', 'story.txt');
  await writeFile(a, storyText(story('Floods close the highway', 1, 6)));
  await writeFile(b, storyText(story('The orchestra season', 1, 6, true)));
  return { a, b };
}

const refusal = (id: string, owner: string, stored = false): string =>
  `article id "${id}" is already watched at ${owner}${stored ? ' (its latest version came from there)' : ''}; ` +
  "give one of them an explicit id (a file source's `id`) or rename it";

test('two same-named files in two folders: the first source keeps the id, the other is refused once', async () => {
  const { a, b } = await writeStories();
  const w = await open(dirs('a', 'b'));
  // Source b polled first, alone: it still does not get the id (claims follow source order, not poll order).
  const first = await w.pollNow(1);
  expect(first[0]!.results).toEqual([{ article: 'story', location: b, outcome: 'error', detail: refusal('story', a) }]);
  expect(lines(await w.pollNow())).toEqual(['0 story new-version v1', '1 story error']);
  // Polls again, forced and not: no flipping, b is still refused; the collision is counted once.
  for (let i = 0; i < 2; i++) {
    const r = await w.pollNow(undefined, { force: i === 0 });
    expect(lines(r)).toEqual([`0 story ${i === 0 ? 'unchanged v1' : 'not-modified'}`, '1 story error']);
  }
  const versions = await ctx.fs!.store.listVersions('story');
  expect(versions.map((v) => v.origin.location)).toEqual([a]);
  const st = w.status().sources;
  expect(st[1]!.counts.errors).toBe(1);
  expect(st[1]!.articles).toEqual([
    expect.objectContaining({ id: 'story', location: b, lastOutcome: 'error', lastDetail: refusal('story', a) }),
  ]);
  expect(st[0]!.counts.errors).toBe(0);

  // The owner goes away (moved out of the watched folder): the other file gets the id (an unrelated story, so the
  // guard holds it for one poll first).
  await rename(a, path.join(ctx.dir, 'story-moved.txt'));
  expect(lines(await w.pollNow())).toEqual(['1 story rejected']);
  expect(lines(await w.pollNow())).toEqual(['1 story new-version v2']);
});

test('across runs: a file stored under the id keeps it while it exists; a moved file is fine', async () => {
  const { a, b } = await writeStories();
  let w = await open(dirs('a'));
  expect(lines(await w.pollNow())).toEqual(['0 story new-version v1']);

  // Next run watches b first, then a: the store says a's file has the id, and it still exists.
  w = await open(dirs('b', 'a'));
  const r = await w.pollNow();
  expect(r[0]!.results).toEqual([{ article: 'story', location: b, outcome: 'error', detail: refusal('story', a) }]);
  expect(lines(r)).toEqual(['0 story error', '1 story unchanged v1']);

  // Next run watches only b: a's file is not watched, but it exists and holds the id in the store.
  w = await open(dirs('b'));
  const alone = await w.pollNow();
  expect(alone[0]!.results).toEqual([
    { article: 'story', location: b, outcome: 'error', detail: refusal('story', a, true) },
  ]);
  expect(await ctx.fs!.store.listVersions('story')).toHaveLength(1);

  // a's file is moved away (the same story under another folder's name): b may take over the id.
  await rename(a, path.join(ctx.dir, 'elsewhere.txt'));
  w = await open(dirs('b'));
  expect(lines(await w.pollNow())).toEqual(['0 story rejected']); // a drastic change, held for one poll
  expect(lines(await w.pollNow())).toEqual(['0 story new-version v2']);
  expect((await ctx.fs!.store.listVersions('story')).map((v) => v.origin.location)).toEqual([a, b]);
});

test('a file source with an explicit id does not collide with a same-named folder file', async () => {
  const { a, b } = await writeStories();
  const config = testConfig(ctx.dir, {
    sources: [
      { kind: 'dir', path: 'a', schedule: '0 0 1 1 *' },
      { kind: 'file', path: path.relative(ctx.dir, b), id: 'orchestra', schedule: '0 0 1 1 *' },
    ],
  });
  const w = await open(config);
  expect(lines(await w.pollNow())).toEqual(['0 story new-version v1', '1 orchestra new-version v1']);
  expect((await ctx.fs!.store.listVersions('story')).map((v) => v.origin.location)).toEqual([a]);
});

test('an explicit id in the config wins over a same-named file in a folder listed before it', async () => {
  const { a, b } = await writeStories();
  const config = testConfig(ctx.dir, {
    sources: [
      { kind: 'dir', path: 'a', schedule: '0 0 1 1 *' },
      { kind: 'file', path: path.relative(ctx.dir, b), id: 'story', schedule: '0 0 1 1 *' },
    ],
  });
  const w = await open(config);
  const r = await w.pollNow();
  expect(r[0]!.results).toEqual([{ article: 'story', location: a, outcome: 'error', detail: refusal('story', b) }]);
  expect(lines(r)).toEqual(['0 story error', '1 story new-version v1']);
  expect((await ctx.fs!.store.listVersions('story')).map((v) => v.origin.location)).toEqual([b]);
});
