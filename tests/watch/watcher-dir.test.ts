/**
 * Folder and file sources: a saved file shows up as a version soon after, via fs.watch (debounced).
 */
import { rename, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { createWatcher, type Watcher } from '../../src/watch/watcher.js';
import { openStore, story, storyText, testConfig } from './helpers.js';
import { fileStoreEach } from '../support/stores.js';
import { until } from '../support/wait.js';
import { silentLogger } from '../support/log.js';

const ctx = fileStoreEach();
let watcher: Watcher | undefined;

afterEach(async () => {
  await watcher?.close();
  watcher = undefined;
});

async function versionsOf(id: string): Promise<number | undefined> {
  const n = (await ctx.fs!.store.listVersions(id)).length;
  return n;
}

test('a dir source picks up a new file and a changed file without a poll being asked for', async () => {
  const articles = path.join(ctx.dir, 'articles'); // created by start()
  // A cron schedule that will not fire during the test: only ctx.fs.watch can trigger the reads.
  const config = testConfig(ctx.dir, { sources: [{ kind: 'dir', path: 'articles', schedule: '0 0 1 1 *' }] });
  ctx.fs = await openStore(config);
  watcher = createWatcher(config, { store: ctx.fs.store, log: ctx.fs.log, logger: silentLogger() });
  await watcher.start();

  const a = story('Floods close the highway', 1, 6);
  await writeFile(path.join(articles, 'floods.txt'), storyText(a));
  await until(async () => ((await versionsOf('floods')) === 1 ? true : undefined), 'floods v1');

  // An editor-style save: write a temp file, then rename over the original.
  const a2 = { ...a, paragraphs: ['The highway reopened on Thursday morning.', ...a.paragraphs] };
  await writeFile(path.join(articles, '.floods.txt.swp'), 'editor junk');
  await writeFile(path.join(articles, 'floods.txt.tmp'), storyText(a2));
  await rename(path.join(articles, 'floods.txt.tmp'), path.join(articles, 'floods.txt'));
  await until(async () => ((await versionsOf('floods')) === 2 ? true : undefined), 'floods v2');

  await writeFile(
    path.join(articles, 'fire.html'),
    `<html><body><article><h1>Fire</h1>${story('Fire', 30, 5)
      .paragraphs.map((p) => `<p>${p}</p>`)
      .join('')}</article></body></html>`,
  );
  await until(async () => ((await versionsOf('fire')) === 1 ? true : undefined), 'fire v1');

  expect((await ctx.fs.store.listArticles()).map((x) => x.id).sort()).toEqual(['fire', 'floods']);
  // The event is appended just after the version: wait for it.
  const events = await until(async () => {
    const e = await ctx.fs!.log.readAfter(0);
    return e.length === 3 ? e : undefined;
  }, 'three events');
  expect(events.map((e) => `${e.article}@${e.version}`)).toEqual(['floods@1', 'floods@2', 'fire@1']);
  const st = await until(() => {
    const s0 = watcher!.status().sources[0]!;
    return s0.counts.versions === 3 ? s0 : undefined;
  }, 'the status to count three versions');
  expect(st.articles.map((x) => x.id).sort()).toEqual(['fire', 'floods']);
});

test('a dir source: an empty file is refused, untouched files are not re-read, the folder is created', async () => {
  const config = testConfig(ctx.dir, { sources: [{ kind: 'dir', path: 'news' }] });
  ctx.fs = await openStore(config);
  watcher = createWatcher(config, { store: ctx.fs.store, log: ctx.fs.log, logger: silentLogger() });
  await watcher.start(); // creates news/
  await watcher.close();
  watcher = createWatcher(config, { store: ctx.fs.store, log: ctx.fs.log, logger: silentLogger() });
  const news = path.join(ctx.dir, 'news');
  await writeFile(path.join(news, 'a.txt'), storyText(story('A story', 1, 5)));
  await writeFile(path.join(news, 'empty.txt'), '   \n');
  const r1 = await watcher.pollNow(0, { force: false });
  expect(r1[0]!.results.map((r) => [r.article, r.outcome, r.reason])).toEqual([
    ['a', 'new-version', undefined],
    ['empty', 'rejected', 'empty'],
  ]);
  const r2 = await watcher.pollNow(0, { force: false });
  expect(r2[0]!.results.map((r) => r.outcome)).toEqual(['not-modified', 'not-modified']);
  const r3 = await watcher.pollNow(0); // forced: read again, same content
  expect(r3[0]!.results.map((r) => r.outcome)).toEqual(['unchanged', 'rejected']);
  expect(await versionsOf('a')).toBe(1);
  expect(await versionsOf('empty')).toBe(0);
});

test('a file source with an id', async () => {
  const file = path.join(ctx.dir, 'Story One.txt');
  await writeFile(file, storyText(story('One', 1, 5)));
  const config = testConfig(ctx.dir, { sources: [{ kind: 'file', path: 'Story One.txt', id: 'one' }] });
  ctx.fs = await openStore(config);
  watcher = createWatcher(config, { store: ctx.fs.store, log: ctx.fs.log, logger: silentLogger() });
  await watcher.start();
  await until(async () => ((await versionsOf('one')) === 1 ? true : undefined), 'one v1');
  await writeFile(file, storyText(story('One', 2, 5)));
  await until(async () => ((await versionsOf('one')) === 2 ? true : undefined), 'one v2');
});

test('a dir source: a 3-byte page ("Hi.") is not a version; all.txt does not take the combined feed\'s id', async () => {
  const config = testConfig(ctx.dir, { sources: [{ kind: 'dir', path: 'news' }] });
  ctx.fs = await openStore(config);
  watcher = createWatcher(config, { store: ctx.fs.store, log: ctx.fs.log, logger: silentLogger() });
  await watcher.start();
  await writeFile(path.join(ctx.dir, 'news', 'hi.txt'), 'Hi.');
  await writeFile(path.join(ctx.dir, 'news', 'all.txt'), storyText(story('Everything at once', 1, 4)));
  const [report] = await watcher.pollNow(0);
  const byLocation = new Map(report!.results.map((r) => [path.basename(r.location), r]));
  expect(byLocation.get('hi.txt')).toMatchObject({ article: 'hi', outcome: 'rejected', reason: 'no-article' });
  expect(byLocation.get('all.txt')).toMatchObject({ outcome: 'new-version', version: 1 });
  expect(byLocation.get('all.txt')!.article).toMatch(/^all-[0-9a-f]{8}$/);
  expect(await versionsOf('hi')).toBe(0);
  expect(await versionsOf('all')).toBe(0);
});
