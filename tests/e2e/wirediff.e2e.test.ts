/**
 * The real thing, end to end: the BUILT `wirediff watch --serve` as a child process on a temporary folder (config on
 * port 0, a `dir` source), fed the AP story's four versions one by one (atomic writes into the watched folder), and
 * checked as real clients would: a `ws` client on /live (order, ids, resume after a disconnect), the RSS feeds with
 * feedsmith's parser (an item per version, stable guids, RFC 822 dates, ETag/304, the file on disk = what is
 * served), the JSON API, the viewer in chromium (the breaking-update diff; a new version appearing live), then
 * SIGTERM (exit 0), a second start on the same folder and the store opened directly: nothing lost.
 *
 * The steps are one story and run in order; each waits for conditions (log lines, messages, DOM), never sleeps.
 */
import { promises as fs } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRssFeed } from 'feedsmith';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventMessage, ReplayCompleteMessage } from '../../src/publish/live/live-protocol.js';
import { openFileStore } from '../../src/store/open.js';
import { launchChromium } from '../http/viewer/harness.js';
import {
  ARTIFACTS,
  FIXTURES,
  LiveClient,
  ensureBuilt,
  startWirediff,
  waitUntil,
  writeAtomically,
  type RunningWirediff,
} from './harness.js';

const ID = 'ap-syria';
const FILE = `${ID}.txt`;
const KINDS = ['initial', 'breaking-update', 'write-thru', 'correction'] as const;
/** RFC 822 (as RFC 2822 tightened it): 4-digit year, GMT or a numeric zone. */
const RFC822 =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} (GMT|[+-]\d{4})$/;

let root: string;
let articlesDir: string;
let configPath: string;
let app: RunningWirediff | undefined;
let app2: RunningWirediff | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
/** The timeline page left open across the SIGTERM. */
let openPage: Page | undefined;
const clients: LiveClient[] = [];
const texts: string[] = [];

/** The watcher's events as the uninterrupted client saw them, version n at index n-1. */
const seen: EventMessage[] = [];
/** Feed guids as first served after each version. */
const guidsAfter: string[][] = [];

function live(): RunningWirediff {
  if (!app) throw new Error('wirediff is not running (an earlier step failed)');
  return app;
}

async function connect(label: string, since?: number): Promise<LiveClient> {
  const c = await LiveClient.connect(live().url, label, since);
  clients.push(c);
  return c;
}

function isReplayComplete(m: { type: string }): m is ReplayCompleteMessage {
  return m.type === 'replay-complete';
}

async function getText(url: string, headers: Record<string, string> = {}): Promise<{ res: Response; body: string }> {
  const res = await fetch(url, { headers });
  return { res, body: await res.text() };
}

async function getJson<T>(path: string): Promise<T> {
  const { res, body } = await getText(`${live().url}${path}`);
  expect(res.status, `GET ${path}: ${body.slice(0, 300)}`).toBe(200);
  expect(res.headers.get('content-type'), path).toMatch(/^application\/json/);
  return JSON.parse(body) as T;
}

/** Writes version n of the story into the watched folder and waits for its event on the witness client. */
async function writeVersion(n: number, witness: LiveClient): Promise<EventMessage> {
  await writeAtomically(articlesDir, FILE, texts[n - 1]!);
  const e = await witness.waitForEvent(ID, n, 90_000).catch((err: Error) => {
    throw new Error(`${err.message}\n${live().tail()}`);
  });
  seen[n - 1] = e;
  return e;
}

/** Fetches the article's feed until it lists `n` items; returns the parsed feed and its raw text. */
async function feedWithItems(name: string, n: number) {
  let last = '';
  return waitUntil(
    `/feeds/${name} to list ${n} items`,
    async () => {
      const { res, body } = await getText(`${live().url}/feeds/${name}`);
      last = `${res.status} ${body.slice(0, 200)}`;
      if (res.status !== 200) return undefined;
      const feed = parseRssFeed(body);
      return (feed.items?.length ?? 0) >= n ? { feed, body, res } : undefined;
    },
    { timeoutMs: 30_000, describe: () => `last answer: ${last}` },
  );
}

beforeAll(async () => {
  const build = await ensureBuilt();
  if (build.built) console.warn(`e2e: ${build.note}`);
  for (let v = 1; v <= 4; v++) texts.push(await fs.readFile(join(FIXTURES, `ap-syria/v${v}.txt`), 'utf8'));
  // Version 5 (after the restart): v4 with one more paragraph at the end.
  texts.push(
    `${texts[3]!.trimEnd()}\n\nSyria's government did not respond on Saturday to requests for comment on the report.\n`,
  );
  root = await mkdtemp(join(tmpdir(), 'wirediff-e2e-'));
  articlesDir = join(root, 'articles');
  configPath = join(root, 'wirediff.config.json');
  await fs.writeFile(
    configPath,
    JSON.stringify({
      storeDir: 'store',
      feedsDir: 'feeds',
      server: { port: 0 },
      sources: [{ kind: 'dir', path: 'articles' }],
    }),
  );
  app = await startWirediff(configPath, root);
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  for (const c of clients) c.terminate();
  app?.kill();
  app2?.kill();
  await context?.close().catch(() => undefined);
  await browser?.close().catch(() => undefined);
  if (root) await rm(root, { recursive: true, force: true });
}, 60_000);

describe.sequential('wirediff, built and run as a child process, fed the AP story', { timeout: 180_000 }, () => {
  let witness: LiveClient;
  let resumer: LiveClient;
  let restarted: LiveClient;

  it('logs JSON lines with where it serves, and creates the watched folder', async () => {
    const a = live();
    expect(a.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(a.otherStdout, 'stdout is not a terminal: every line is JSON').toEqual([]);
    const msgs = a.logs.map((l) => l.msg);
    expect(msgs).toContain(`feed (all)   ${a.url}/feeds/all.xml`);
    expect(msgs).toContain(`live stream  ${a.url.replace('http', 'ws')}/live`);
    await waitUntil('the watcher to log "watching …/articles"', () =>
      a.logs.some((l) => l.msg === `watching ${articlesDir}`),
    );
    expect((await fs.stat(articlesDir)).isDirectory()).toBe(true);
  });

  it('versions 1 and 2 reach two live clients subscribed from the start, in order, with increasing ids', async () => {
    witness = await connect('witness');
    resumer = await connect('resumer');
    for (const c of [witness, resumer]) {
      const hello = await c.waitFor('hello', (m) => m.type === 'hello');
      expect(hello).toMatchObject({ protocol: 'wirediff.live/1' });
      const done = await c.waitFor('replay-complete', isReplayComplete);
      expect(done).toMatchObject({ last: 0, replayed: 0 });
    }
    for (const n of [1, 2]) {
      const e = await writeVersion(n, witness);
      expect(e.kind, `version ${n}`).toBe(KINDS[n - 1]);
      const r = await resumer.waitForEvent(ID, n);
      expect(r.id).toBe(e.id);
      // A new feed item for each version (and the first ones keep their guid when the feed is rebuilt).
      const { feed } = await feedWithItems(`${ID}.xml`, n);
      guidsAfter[n - 1] = (feed.items ?? []).map((i) => i.guid?.value ?? '(none)');
    }
    expect(seen[1]!.id).toBeGreaterThan(seen[0]!.id);
    expect(seen[0]!.summary).not.toBe('');
    expect(seen[1]!.changes?.structure).toMatchObject({
      updateParagraphs: 6,
      bannerAdded: true,
      earlierUnchanged: true,
    });
    expect(guidsAfter[0]).toEqual([`urn:wirediff:${ID}:1`]);
    expect(guidsAfter[1]).toEqual([`urn:wirediff:${ID}:2`, `urn:wirediff:${ID}:1`]);
  });

  it('the viewer in chromium shows the v1→v2 breaking update above the unchanged earlier story', async () => {
    context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems = watchProblems(page);
    const res = await page.goto(`${live().url}/articles/${ID}/diff?from=1&to=2`);
    expect(res?.status()).toBe(200);
    const update = page.locator('.wd-block-update');
    await expect(update.locator('.wd-block-title').textContent()).resolves.toMatch(
      /Breaking update.*new, 6 paragraphs/,
    );
    expect(await update.locator('.wd-p.wd-added').count()).toBe(6);
    await expect(page.locator('.wd-block-banner').textContent()).resolves.toContain('THIS IS A BREAKING NEWS UPDATE');
    const earlier = page.locator('.wd-block-earlier');
    await expect(earlier.locator('.wd-block-title').textContent()).resolves.toMatch(/Earlier story.*unchanged/);
    expect(await earlier.locator('.wd-added, .wd-removed, .wd-edited, .wd-moved').count()).toBe(0);
    // The unchanged earlier story: two paragraphs of context, the rest folded behind a link that opens it.
    expect(await earlier.locator('.wd-unchanged').count()).toBe(2);
    await expect(earlier.locator('a.wd-fold-open').textContent()).resolves.toMatch(/^Show 28 unchanged paragraphs/);
    await fs.mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'diff-1-2.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a client that disconnects after v2 resumes with `since` and gets exactly the missed v3, then v4 live', async () => {
    const lastSeen = resumer.events().at(-1)!;
    expect(lastSeen.version).toBe(2);
    await resumer.close();
    expect(resumer.closed?.code).toBe(1000);

    const e3 = await writeVersion(3, witness);
    expect(e3.kind).toBe('write-thru');
    expect(e3.id).toBeGreaterThan(seen[1]!.id);

    const back = await connect('resumer (again)', lastSeen.id);
    const done = await back.waitFor('replay-complete', isReplayComplete);
    expect(back.events().map((e) => [e.id, e.version, e.kind])).toEqual([[e3.id, 3, 'write-thru']]);
    expect(done).toMatchObject({ last: e3.id, replayed: 1 });
    expect(back.messages.some((m) => m.type === 'reset')).toBe(false);
    const { feed } = await feedWithItems(`${ID}.xml`, 3);
    guidsAfter[2] = (feed.items ?? []).map((i) => i.guid?.value ?? '(none)');
    resumer = back;
  });

  it('with /articles/ap-syria open in chromium, writing v4 makes it appear without a reload', async () => {
    const page = await context!.newPage();
    const problems = watchProblems(page);
    let navigations = 0;
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) navigations++;
    });
    const res = await page.goto(`${live().url}/articles/${ID}`);
    expect(res?.status()).toBe(200);
    await page.locator('#live-status.live').waitFor({ state: 'visible', timeout: 30_000 });
    await page.evaluate(() => {
      (window as unknown as { e2eMarker: string }).e2eMarker = 'same document';
    });
    // Before: three versions, v3 on top, no v4 (so its appearing below is the live update, nothing else).
    await expect(page.locator('#version-count').textContent()).resolves.toBe('3 versions');
    expect(await page.locator('#version-4').count()).toBe(0);
    const navigationsBefore = navigations;

    const e4 = await writeVersion(4, witness);
    expect(e4.kind).toBe('correction');
    await page.locator('#timeline > li:first-child#version-4').waitFor({ timeout: 30_000 });
    await expect(page.locator('#version-count').textContent()).resolves.toBe('4 versions');
    await expect(page.locator('#version-4 .summary').textContent()).resolves.toMatch(/correct/i);
    expect(await page.evaluate(() => (window as unknown as { e2eMarker?: string }).e2eMarker)).toBe('same document');
    expect(navigations).toBe(navigationsBefore);
    await page.screenshot({ path: join(ARTIFACTS, 'timeline-live-v4.png'), fullPage: true });
    expect(problems).toEqual([]);
    openPage = page; // stays open: a reader still has the timeline open when the service is stopped

    // The resumed client got v4 live, after v3, with nothing twice.
    const r4 = await resumer.waitForEvent(ID, 4);
    expect(r4.id).toBe(e4.id);
    expect(resumer.events().map((e) => e.version)).toEqual([3, 4]);
  });

  it('the uninterrupted client saw versions 1..4 once each, in order, with the right kinds and increasing ids', () => {
    const events = witness.events();
    expect(events.map((e) => [e.article, e.version, e.kind])).toEqual(KINDS.map((k, i) => [ID, i + 1, k]));
    const ids = events.map((e) => e.id);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(new Set(ids).size).toBe(4);
    expect(witness.errors).toEqual([]);
  });

  it('the feeds, read with feedsmith: an item per version, stable guids, RFC 822 dates, 304 on ETag, file = served', async () => {
    const a = live();
    for (const name of [`${ID}.xml`, 'all.xml']) {
      const { feed, body, res } = await feedWithItems(name, 4);
      expect(res.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
      const items = feed.items ?? [];
      expect(items.map((i) => i.guid?.value)).toEqual([4, 3, 2, 1].map((n) => `urn:wirediff:${ID}:${n}`));
      expect(items.every((i) => i.guid?.isPermaLink === false)).toBe(true);
      for (const [k, item] of items.entries()) {
        const e = seen[3 - k]!;
        // An item links to its change (the diff page); the first version, to its page.
        expect(item.link).toBe(
          e.version === 1
            ? `${a.url}/articles/${ID}/v/1`
            : `${a.url}/articles/${ID}/diff?from=${e.version - 1}&to=${e.version}`,
        );
        expect(item.description).toContain(`href="${a.url}/articles/${ID}/v/${e.version}"`);
        expect(item.title, `item ${k}`).toBeTruthy();
        expect(item.pubDate, `item ${k} pubDate`).toMatch(RFC822);
        // The date is the event's time, to the second.
        expect(Date.parse(item.pubDate!)).toBe(Math.floor(Date.parse(e.at) / 1000) * 1000);
      }
      if (feed.lastBuildDate !== undefined) expect(feed.lastBuildDate).toMatch(RFC822);
      if (feed.pubDate !== undefined) expect(feed.pubDate).toMatch(RFC822);

      // Fetched again: the same bytes and ETag (nothing changed, so nothing was rebuilt differently).
      const again = await getText(`${a.url}/feeds/${name}`);
      expect(again.body).toBe(body);
      const etag = res.headers.get('etag');
      expect(etag).toMatch(/^"[^"]+"$/);
      expect(again.res.headers.get('etag')).toBe(etag);
      const conditional = await getText(`${a.url}/feeds/${name}`, { 'If-None-Match': etag! });
      expect(conditional.res.status).toBe(304);
      expect(conditional.body).toBe('');
      // The file under feedsDir is what is served.
      expect(await fs.readFile(join(root, 'feeds', name), 'utf8')).toBe(body);
    }
    // Guids are stable across rebuilds: what was served after v1, v2 and v3 is the tail of what is served now.
    for (const [i, guids] of guidsAfter.entries()) {
      expect(guids, `the feed as served after version ${i + 1}`).toEqual(
        [4, 3, 2, 1].slice(3 - i).map((n) => `urn:wirediff:${ID}:${n}`),
      );
    }
    // No temp files left in feedsDir.
    expect((await fs.readdir(join(root, 'feeds'))).sort()).toEqual(['all.xml', `${ID}.xml`]);
  });

  it('the JSON API: articles, versions, a version’s paragraphs, the 1→4 diff, 404 and 400 for bad ids', async () => {
    const a = live();
    const list = await getJson<{ articles: { id: string; versions: number; lastKind: string }[] }>('/api/articles');
    expect(list.articles.map((x) => [x.id, x.versions, x.lastKind])).toEqual([[ID, 4, 'correction']]);

    const versions = await getJson<{ versions: { version: number; kind: string; contentHash: string }[] }>(
      `/api/articles/${ID}/versions`,
    );
    expect(versions.versions.map((v) => [v.version, v.kind])).toEqual(KINDS.map((k, i) => [i + 1, k]));
    expect(new Set(versions.versions.map((v) => v.contentHash)).size).toBe(4);

    const v2 = await getJson<{ meta: { version: number }; article: { title: string; paragraphs: { text: string }[] } }>(
      `/api/articles/${ID}/versions/2`,
    );
    expect(v2.meta.version).toBe(2);
    const paragraphs = v2.article.paragraphs.map((p) => p.text);
    expect(paragraphs).toContain(
      'THIS IS A BREAKING NEWS UPDATE. Check back soon for further information. AP’s earlier story is below.',
    );
    // Every paragraph is a paragraph of the file as written (blank-line separated), in order.
    const fileParagraphs = texts[1]!.split(/\n\s*\n/).map((p) => p.trim());
    let at = 0;
    for (const p of paragraphs) {
      const found = fileParagraphs.indexOf(p, at);
      expect(found, `paragraph not in v2.txt after #${at}: ${p.slice(0, 80)}`).toBeGreaterThanOrEqual(0);
      at = found + 1;
    }

    const raw = await getText(`${a.url}/api/articles/${ID}/versions/4?raw=1`);
    expect(raw.res.status).toBe(200);
    expect(raw.body).toBe(texts[3]);

    const diff = await getJson<{ from: number; to: number; changes: { kind: string; stats: Record<string, number> } }>(
      `/api/articles/${ID}/diff?from=1&to=4`,
    );
    expect(diff).toMatchObject({ from: 1, to: 4 });
    expect(diff.changes.kind).not.toBe('none');
    expect(Object.values(diff.changes.stats).some((n) => typeof n === 'number' && n > 0)).toBe(true);

    const events = await getJson<{ events: { id: number }[]; last: number }>('/api/events?since=0');
    expect(events.events.map((e) => e.id)).toEqual(seen.map((e) => e.id));
    expect(events.last).toBe(seen[3]!.id);

    for (const path of [
      '/api/articles/no-such-story',
      '/api/articles/no-such-story/versions',
      `/api/articles/${ID}/versions/5`,
    ]) {
      const { res, body } = await getText(`${a.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(JSON.parse(body), path).toMatchObject({ error: { code: 'E_NOT_FOUND' } });
    }
    for (const path of [
      '/api/articles/..%2f',
      '/api/articles/..%2f..%2fstore/versions',
      '/api/articles/%2e%2e%2fetc%2fpasswd',
      '/feeds/..%2fstore.xml',
      '/articles/..%2f',
      `/articles/..%2f${ID}/diff?from=1&to=2`,
    ]) {
      const { res } = await getText(`${a.url}${path}`);
      expect([400, 404], `${path} → ${res.status}`).toContain(res.status);
    }
  });

  it('SIGTERM: live clients are told the server is going away, and the process exits 0 by itself', async () => {
    const a = live();
    const stopped = await a.stop(30_000);
    expect(stopped, a.tail()).toMatchObject({ code: 0, signal: null });
    console.info(`e2e: wirediff exited ${stopped.code} ${stopped.ms} ms after SIGTERM`);
    for (const c of [witness, resumer]) {
      await waitUntil(`${c.label} to be closed`, () => c.closed, { describe: () => c.describe() });
      expect(c.closed?.code, c.describe()).toBe(1001);
    }
    // The reader's open timeline says it is offline (and keeps what it showed).
    await openPage!.locator('#live-status.offline').waitFor({ timeout: 30_000 });
    expect(await openPage!.locator('#version-4').count()).toBe(1);
    expect(a.logs.some((l) => /SIGTERM: stopping/.test(l.msg ?? ''))).toBe(true);
    const errors = a.logs.filter((l) => (l.level ?? 0) >= 50);
    expect(errors, 'no error or fatal log lines').toEqual([]);
    const warnings = a.logs.filter((l) => (l.level ?? 0) === 40);
    expect(warnings, 'no warnings').toEqual([]);
    expect(a.stderr.join(''), 'nothing on stderr').toBe('');
  });

  it('a second start on the same folder serves all 4 versions and replays the same 4 events: nothing lost', async () => {
    // Same port as before, so the reader's open page (which reconnects to its own host) finds the service again.
    const port = Number(new URL(live().url).port);
    const cfg = JSON.parse(await fs.readFile(configPath, 'utf8')) as { server: { port: number } };
    cfg.server.port = port;
    await fs.writeFile(configPath, JSON.stringify(cfg));
    app2 = await startWirediff(configPath, root);
    expect(app2.url).toBe(`http://127.0.0.1:${port}`);
    restarted = await connect('after restart', 0);
    const all = restarted;
    app = app2;
    const a = app2;
    // Everything the watcher sees at start is already stored: no new version, no new event.
    const done = await all.waitFor('replay-complete', isReplayComplete);
    expect(all.events().map((e) => [e.id, e.version, e.kind, e.at])).toEqual(
      seen.map((e) => [e.id, e.version, e.kind, e.at]),
    );
    expect(done).toMatchObject({ last: seen[3]!.id, replayed: 4 });
    // The new process read the folder once (its status file says so): the file it found was already stored.
    const polled = await waitUntil(
      'the status file of the second process to show the folder polled',
      async () => {
        const status = JSON.parse(await fs.readFile(join(root, 'store', 'status.json'), 'utf8')) as {
          pid: number;
          sources: { articles: { id: string; lastOutcome?: string }[] }[];
        };
        if (status.pid !== a.child.pid) return undefined;
        return status.sources[0]?.articles.find((x) => x.id === ID && x.lastOutcome !== undefined);
      },
      { describe: () => a.tail() },
    );
    expect(polled.lastOutcome).toBe('unchanged');
    expect(all.events()).toHaveLength(4);
    const versions = await getJson<{ versions: { version: number }[] }>(`/api/articles/${ID}/versions`);
    expect(versions.versions.map((v) => v.version)).toEqual([1, 2, 3, 4]);
    const { feed } = await feedWithItems(`${ID}.xml`, 4);
    expect(feed.items?.map((i) => [i.guid?.value, i.pubDate])).toEqual(
      [3, 2, 1, 0].map((k) => [
        `urn:wirediff:${ID}:${k + 1}`,
        new Date(Math.floor(Date.parse(seen[k]!.at) / 1000) * 1000).toUTCString(),
      ]),
    );
    expect(all.events()).toHaveLength(4);
  });

  it('the reader’s open page reconnects by itself; a 5th version gets the next event id and appears live', async () => {
    const a = live();
    const page = openPage!;
    await page.locator('#live-status.live').waitFor({ timeout: 60_000 });
    const e5 = await writeVersion(5, restarted);
    expect(e5.id, 'event ids continue after a restart').toBe(seen[3]!.id + 1);
    expect(e5.kind).not.toBe('none');
    await page.locator('#timeline > li:first-child#version-5').waitFor({ timeout: 30_000 });
    await expect(page.locator('#version-count').textContent()).resolves.toBe('5 versions');
    expect(await page.evaluate(() => (window as unknown as { e2eMarker?: string }).e2eMarker)).toBe('same document');
    expect(restarted.events().map((e) => e.version)).toEqual([1, 2, 3, 4, 5]);
    const { feed } = await feedWithItems(`${ID}.xml`, 5);
    expect(feed.items?.[0]?.guid?.value).toBe(`urn:wirediff:${ID}:5`);

    const stopped = await a.stop(30_000);
    expect(stopped, a.tail()).toMatchObject({ code: 0, signal: null });
    console.info(`e2e: the second wirediff exited ${stopped.code} ${stopped.ms} ms after SIGTERM`);
    expect(a.logs.filter((l) => (l.level ?? 0) >= 40)).toEqual([]);
    expect(a.stderr.join('')).toBe('');
  });

  it('the store opened directly holds the 5 versions byte for byte and the 5 events', async () => {
    const opened = await openFileStore({ dir: join(root, 'store'), readOnly: true });
    try {
      expect(opened.recovery.removed).toEqual([]);
      expect(opened.recovery.truncatedLogBytes).toBe(0);
      const metas = await opened.store.listVersions(ID);
      expect(metas.map((m) => [m.version, m.kind]).slice(0, 4)).toEqual(KINDS.map((k, i) => [i + 1, k]));
      expect(metas).toHaveLength(5);
      for (let n = 1; n <= 5; n++) {
        const raw = await opened.store.getRaw(ID, n);
        expect(Buffer.from(raw!.bytes).toString('utf8'), `raw bytes of version ${n}`).toBe(texts[n - 1]);
      }
      const events = await opened.log.readAfter(0, 100);
      expect(events.map((e) => [e.id, e.version, e.kind])).toEqual(seen.map((e) => [e.id, e.version, e.kind]));
      expect(await opened.log.bounds()).toEqual({ first: seen[0]!.id, last: seen[4]!.id });
    } finally {
      await opened.close();
    }
  });
});

/** Console errors and warnings, page errors and failed requests on a page. */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  return problems;
}
