/**
 * The pollers on their own (no watcher, no schedule): a folder poller over a real folder and a real file store, and a
 * page poller against a real HTTP server answering 503.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { ArticleIngester } from '../../src/watch/article-ingest.js';
import { HttpStatusError } from '../../src/watch/failure.js';
import pLimit from 'p-limit';
import { HeldChanges } from '../../src/watch/held.js';
import { HostGate } from '../../src/watch/host-gate.js';
import { ArticleClaims } from '../../src/watch/id-claims.js';
import type { WatchSource } from '../../src/watch/options.js';
import { createPoller, type PollContext } from '../../src/watch/pollers/index.js';
import type { ArticlePollResult } from '../../src/watch/report.js';
import { SourceState } from '../../src/watch/source-state.js';
import { openStore, startServer, story, storyText, testConfig, type TestServer } from './helpers.js';
import { fileStoreEach } from '../support/stores.js';
import { silentLogger } from '../support/log.js';

const env = fileStoreEach();
let web: TestServer | undefined;
/** Each source's state across polls of one test. */
const states = new Map<WatchSource, SourceState>();

afterEach(async () => {
  await web?.close();
  web = undefined;
  states.clear();
});

async function context(): Promise<PollContext> {
  const config = testConfig(env.dir);
  env.fs = await openStore(config);
  const logger = silentLogger();
  const now = Date.now;
  const held = new HeldChanges(now);
  const store = env.fs.store;
  return {
    watch: config.watch,
    fetch: config.fetch,
    store,
    logger,
    now,
    slots: pLimit(2),
    hosts: new HostGate(),
    signal: new AbortController().signal,
    claims: new ArticleClaims(store, logger),
    ingester: new ArticleIngester({ store, held, settings: config.watch, logger, now }),
    held,
    closed: () => false,
    stopping: () => false,
  };
}

async function poll(ctx: PollContext, source: WatchSource, force = false): Promise<ArticlePollResult[]> {
  const state = states.get(source) ?? new SourceState(0, source, '* * * * *');
  states.set(source, state);
  const results: ArticlePollResult[] = [];
  await createPoller(ctx, state).poll(force, results);
  return results;
}

test('a folder poller reads new and changed files, skips unchanged ones, and forgets a deleted one', async () => {
  const ctx = await context();
  const dir = path.join(env.dir, 'desk');
  await mkdir(dir);
  await writeFile(path.join(dir, 'floods.txt'), storyText(story('Floods close the highway', 1, 6)));
  await writeFile(path.join(dir, 'fire.txt'), storyText(story('Fire in the port', 20, 5)));
  const source: WatchSource = { kind: 'dir', path: dir };
  const outcomes = (rs: ArticlePollResult[]): string[] => rs.map((r) => `${r.article}:${r.outcome}`);

  expect(outcomes(await poll(ctx, source))).toEqual(['fire:new-version', 'floods:new-version']);
  expect(outcomes(await poll(ctx, source))).toEqual(['fire:not-modified', 'floods:not-modified']);
  await rm(path.join(dir, 'fire.txt'));
  const changed = story('Floods close the highway', 1, 6);
  changed.paragraphs.unshift('The highway reopened on Thursday morning after the water receded.');
  await writeFile(path.join(dir, 'floods.txt'), storyText(changed));
  expect(outcomes(await poll(ctx, source))).toEqual(['floods:new-version']);
  expect([...states.get(source)!.articles.keys()]).toEqual([path.join(dir, 'floods.txt')]);
  expect(states.get(source)!.counts).toMatchObject({ versions: 3 });
});

test('a page poller throws HttpStatusError for a 503, and its host is not held by the poller itself', async () => {
  const ctx = await context();
  web = await startServer((_req, res) => void res.writeHead(503, { 'retry-after': '60' }).end('busy'));
  const source: WatchSource = { kind: 'url', url: `${web.url}/story`, id: 'story' };
  const err = await poll(ctx, source, true).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(HttpStatusError);
  expect(err).toMatchObject({ code: 'E_FETCH_STATUS', httpStatus: 503, retryAfterMs: 60_000, holdsHost: true });
  // Holding the host is the source runner's decision (with the back-off), not the poller's.
  expect(ctx.hosts.heldUntil(`${web.url}/story`, Date.now())).toBeUndefined();
});
