/** The publishing side wired from the config: feed links use `server.publicUrl` when set, else the listen address. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { startPublishing, type RunningPublishing } from '../src/app.js';
import { openStore, story, storyText, testConfig } from './watch/helpers.js';
import { ingestVersion } from '../src/ingest/ingest.js';
import { upgradeStatus } from './http/harness.js';
import { fileStoreEach } from './support/stores.js';
import { until } from './support/wait.js';
import { silentLogger } from './support/log.js';

const ctx = fileStoreEach('wirediff-app-');
let running: RunningPublishing | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function publishOneVersion(server: Record<string, unknown>): Promise<string> {
  const config = testConfig(ctx.dir, { server: { port: 0, ...server } });
  ctx.fs = await openStore(config);
  running = await startPublishing({ config, store: ctx.fs.store, log: ctx.fs.log, logger: silentLogger() });
  const text = storyText(story('Levee breaks upstream', 1, 5));
  await ingestVersion(
    { store: ctx.fs.store },
    {
      article: 'levee',
      raw: new TextEncoder().encode(text),
      contentType: 'text/plain',
      text,
      origin: { kind: 'push' },
      fetchedAt: '2026-12-01T09:00:00.000Z',
    },
    { variantWindow: 5 },
  );
  const feed = join(config.feedsDir, 'all.xml');
  return until(async () => {
    const xml = await readFile(feed, 'utf8').catch(() => '');
    return xml.includes('/articles/levee/v/1') ? xml : undefined;
  }, 'the feed with the new version');
}

test('feed links start with server.publicUrl when it is set', async () => {
  const xml = await publishOneVersion({ publicUrl: 'https://news.example.org/wirediff/' });
  expect(xml).toContain('<link>https://news.example.org/wirediff/articles/levee/v/1</link>');
  expect(xml).not.toContain('127.0.0.1');
});

test('without it, feed links use the address the server listens on', async () => {
  const xml = await publishOneVersion({});
  expect(xml).toMatch(new RegExp(`<link>${running!.url.replace(/[.]/g, '\\.')}/articles/levee/v/1</link>`));
});

test('server.live.requireToken puts /live behind server.token; the viewer origin stays allowed', async () => {
  const config = testConfig(ctx.dir, {
    server: { port: 0, token: 't0ken', allowedOrigins: ['https://other.example'], live: { requireToken: true } },
  });
  ctx.fs = await openStore(config);
  running = await startPublishing({ config, store: ctx.fs.store, log: ctx.fs.log, logger: silentLogger() });
  const live = running.url.replace(/^http/, 'ws') + '/live';
  const status = async (headers: Record<string, string>): Promise<number> =>
    (await upgradeStatus(live, { headers })).status;
  const own = `http://${new URL(running.url).host}`;
  expect(await status({ Origin: own })).toBe(401);
  expect(await status({ Origin: own, Authorization: 'Bearer t0ken' })).toBe(101);
  expect(await status({ Origin: 'https://evil.example', Authorization: 'Bearer t0ken' })).toBe(403);
});

test('server.live.requireToken without server.token is a config error naming both', async () => {
  const config = testConfig(ctx.dir, { server: { port: 0, live: { requireToken: true } } });
  ctx.fs = await openStore(config);
  await expect(
    startPublishing({ config, store: ctx.fs.store, log: ctx.fs.log, logger: silentLogger() }),
  ).rejects.toThrow(/server\.live\.requireToken.*server\.token/);
});
