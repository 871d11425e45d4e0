/**
 * The watcher against a real local HTTP server: pages that change, and faults that must make no false version and
 * lose nothing stored.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import iconv from 'iconv-lite';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { ConfigFile } from '../../src/config/config.js';
import { articleIdFor } from '../../src/sources/index.js';
import { seededRandom } from '../../src/watch/backoff.js';
import { readStatusFile } from '../../src/watch/status-file.js';
import { createWatcher, type PollReport, type Watcher } from '../../src/watch/watcher.js';
import { openStore, startServer, story, storyHtml, testConfig, type TestServer } from './helpers.js';
import { fileStoreEach } from '../support/stores.js';
import { until } from '../support/wait.js';
import { silentLogger } from '../support/log.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

const ctx = fileStoreEach();
let server: TestServer;
let routes: Map<string, Handler>;
let watcher: Watcher | undefined;
const extraServers: TestServer[] = [];

beforeEach(async () => {
  routes = new Map();
  server = await startServer(async (req, res) => {
    const h = routes.get((req.url ?? '/').split('?')[0]!);
    if (!h) {
      res.writeHead(404).end('not found');
      return;
    }
    await h(req, res);
  });
});

afterEach(async () => {
  await watcher?.close();
  watcher = undefined;
  await server.close();
  for (const s of extraServers.splice(0)) await s.close();
});

/** Serves `html()` at `path` with an ETag; answers 304 to a matching If-None-Match. */
function page(path: string, html: () => string | Buffer, contentType = 'text/html; charset=utf-8'): void {
  routes.set(path, (req, res) => {
    const body = html();
    const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    res.writeHead(200, { 'content-type': contentType, etag }).end(body);
  });
}

async function makeWatcher(over: ConfigFile, options: { now?: () => number; seed?: number } = {}): Promise<Watcher> {
  const config = testConfig(ctx.dir, over);
  ctx.fs = await openStore(config);
  watcher = createWatcher(config, {
    store: ctx.fs.store,
    log: ctx.fs.log,
    logger: silentLogger(),
    random: seededRandom(options.seed ?? 3),
    ...(options.now !== undefined ? { now: options.now } : {}),
  });
  return watcher;
}

async function snapshot(id: string): Promise<{ versions: string[]; raws: string[] }> {
  const metas = await ctx.fs!.store.listVersions(id);
  const raws: string[] = [];
  for (const m of metas) {
    const raw = await ctx.fs!.store.getRaw(id, m.version);
    raws.push(createHash('sha256').update(raw!.bytes).digest('hex'));
  }
  return { versions: metas.map((m) => `${m.version}:${m.contentHash}`), raws };
}

const one = (reports: PollReport[]): PollReport => {
  expect(reports).toHaveLength(1);
  return reports[0]!;
};

describe('watching a web page', () => {
  test('each change makes a version; unchanged pages (304 or same content) make none', async () => {
    let current = story('Storm nears the coast', 1, 8);
    page('/story', () => storyHtml(current));
    const w = await makeWatcher({ sources: [{ kind: 'url', url: `${server.url}/story`, id: 'storm' }] });

    expect(one(await w.pollNow(0)).results[0]).toMatchObject({ outcome: 'new-version', version: 1 });
    expect(one(await w.pollNow(0)).results[0]).toMatchObject({ outcome: 'not-modified' });
    current = { ...current, paragraphs: ['The storm made landfall at dawn, officials said.', ...current.paragraphs] };
    const r = one(await w.pollNow(0)).results[0]!;
    expect(r).toMatchObject({ outcome: 'new-version', version: 2 });
    expect((await ctx.fs!.store.listVersions('storm')).map((m) => m.version)).toEqual([1, 2]);
    const events = await ctx.fs!.log.readAfter(0);
    expect(events.map((e) => [e.article, e.version])).toEqual([
      ['storm', 1],
      ['storm', 2],
    ]);
    expect(events[1]!.changes?.stats.paragraphs.added).toBe(1);

    const st = w.status().sources[0]!;
    expect(st.counts).toMatchObject({ polls: 3, versions: 2, unchanged: 1, errors: 0 });
    expect(st.articles[0]).toMatchObject({ id: 'storm', tier: 'hot' });
  });

  test('UTF-8 bytes under a flipping <meta charset> (right, then iso-8859-1) with a bare Content-Type: one version, no mojibake', async () => {
    const s = story('Café talks resume', 1, 6);
    s.paragraphs[0] = `Le café “Über” naïve €5 — ${s.paragraphs[0]!}`;
    let meta = 'utf-8';
    page('/cafe', () => Buffer.from(storyHtml(s, meta), 'utf8'), 'text/html');
    const w = await makeWatcher({ sources: [{ kind: 'url', url: `${server.url}/cafe`, id: 'cafe' }] });
    expect(one(await w.pollNow(0)).results[0]).toMatchObject({ outcome: 'new-version', version: 1 });
    meta = 'iso-8859-1';
    expect(one(await w.pollNow(0)).results[0]).toMatchObject({ outcome: 'unchanged', version: 1 });
    meta = 'utf-8';
    expect(one(await w.pollNow(0)).results[0]).toMatchObject({ outcome: 'unchanged', version: 1 });
    const latest = await ctx.fs!.store.getLatest('cafe');
    expect(latest!.article.paragraphs[0]!.text).toContain('Le café “Über” naïve €5');
  });

  test('a page that lost most of its text is held, then published after two polls', async () => {
    const full = story('Talks resume in Geneva', 1, 12);
    let current = full;
    page('/talks', () => storyHtml(current));
    const w = await makeWatcher({ sources: [{ kind: 'url', url: `${server.url}/talks`, id: 'talks' }] });
    await w.pollNow(0);
    current = { ...full, paragraphs: full.paragraphs.slice(0, 3) };
    expect(one(await w.pollNow(0)).results[0]).toMatchObject({ outcome: 'rejected', reason: 'lost-most' });
    expect((await ctx.fs!.store.listVersions('talks')).length).toBe(1);
    expect(w.status().sources[0]!.rejected['lost-most']).toBe(1);
    expect(one(await w.pollNow(0)).results[0]).toMatchObject({ outcome: 'new-version', version: 2 });
  });

  test('A/B headline variants make no new version after the first sighting of each', async () => {
    const body = story('Markets rally', 1, 8);
    let n = 0;
    routes.set('/ab', (_req, res) => {
      const title = n++ % 2 === 0 ? 'Markets rally as rates fall' : 'Stocks climb after rate cut';
      res.writeHead(200, { 'content-type': 'text/html' }).end(storyHtml({ ...body, title }));
    });
    const w = await makeWatcher({ sources: [{ kind: 'url', url: `${server.url}/ab`, id: 'ab' }] });
    const outcomes: string[] = [];
    for (let i = 0; i < 6; i++) outcomes.push(one(await w.pollNow(0)).results[0]!.outcome);
    // A, B, then A again is a known variant (v1); B again equals the latest (v2): unchanged.
    expect(outcomes).toEqual(['new-version', 'new-version', 'variant', 'unchanged', 'variant', 'unchanged']);
    expect((await ctx.fs!.store.listVersions('ab')).length).toBe(2);
    expect((await ctx.fs!.store.getArticle('ab'))?.variantsSeen).toBe(2);
    expect(w.status().sources[0]!.counts).toMatchObject({ variants: 2, unchanged: 2, versions: 2 });
  });

  test('a feed: each item link becomes a watched article', async () => {
    page('/a', () => storyHtml(story('First story', 1, 6)));
    page('/b', () => storyHtml(story('Second story', 20, 6)));
    routes.set('/feed.xml', (_req, res) => {
      res
        .writeHead(200, { 'content-type': 'application/rss+xml' })
        .end(
          `<?xml version="1.0"?><rss version="2.0"><channel><title>News</title><link>${server.url}/</link><description>d</description>` +
            `<item><title>First</title><link>${server.url}/a</link></item>` +
            `<item><title>Second</title><link>/b</link></item></channel></rss>`,
        );
    });
    const w = await makeWatcher({ sources: [{ kind: 'feed', url: `${server.url}/feed.xml` }] });
    const report = one(await w.pollNow(0));
    expect(report.error).toBeUndefined();
    expect(report.results.map((r) => [r.article, r.outcome])).toEqual([
      [articleIdFor(`${server.url}/a`), 'new-version'],
      [articleIdFor(`${server.url}/b`), 'new-version'],
    ]);
    expect((await ctx.fs!.store.listArticles()).length).toBe(2);
  });
});

describe('faults make no false version and lose nothing stored', () => {
  test('500, 429 with Retry-After, a trickling body, a huge body, a bot wall, a wrong charset', async () => {
    const good = story('Café owners protest new rules', 1, 8);
    const goodHtml = storyHtml(good);
    let mode = 'ok';
    const trickles: ServerResponse[] = [];
    routes.set('/story', (_req, res) => {
      switch (mode) {
        case 'ok':
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(goodHtml);
          return;
        case '500':
          res.writeHead(500, { 'content-type': 'text/html' }).end('<h1>Internal Server Error</h1>');
          return;
        case '429':
          res.writeHead(429, { 'retry-after': '120', 'content-type': 'text/plain' }).end('slow down');
          return;
        case 'trickle': {
          res.writeHead(200, { 'content-type': 'text/html' });
          res.write('<html><body><p>');
          trickles.push(res);
          const t = setInterval(() => {
            if (res.destroyed || res.writableEnded) clearInterval(t);
            else res.write('word ');
          }, 100);
          res.on('close', () => clearInterval(t));
          return;
        }
        case 'huge':
          res.writeHead(200, { 'content-type': 'text/html' });
          res.end(
            `<html><body>${'<p>' + 'filler text '.repeat(40) + '</p>'.repeat(1)}`.repeat(2000) + '</body></html>',
          );
          return;
        case 'wall':
          res
            .writeHead(200, { 'content-type': 'text/html' })
            .end(
              '<html><head><title>Just a moment...</title></head><body><h1>Checking your browser</h1>' +
                '<p>Please verify you are human by completing the action below.</p><p>Cloudflare Ray ID: 8a1b2c</p></body></html>',
            );
          return;
        case 'charset':
          // The same page in windows-1252 bytes while the header claims UTF-8.
          res
            .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
            .end(iconv.encode(goodHtml, 'windows-1252'));
          return;
      }
    });
    const w = await makeWatcher({
      fetch: { timeout: '1s', maxBytes: 64 * 1024 },
      sources: [{ kind: 'url', url: `${server.url}/story`, id: 'cafe' }],
    });
    expect(one(await w.pollNow(0)).results[0]).toMatchObject({ outcome: 'new-version', version: 1 });
    const before = await snapshot('cafe');
    expect(before.versions).toHaveLength(1);

    const expectations: [string, (r: PollReport) => void][] = [
      ['500', (r) => expect(r.error).toMatchObject({ code: 'E_FETCH_STATUS', httpStatus: 500 })],
      ['429', (r) => expect(r.error).toMatchObject({ code: 'E_FETCH_STATUS', httpStatus: 429 })],
      ['trickle', (r) => expect(r.error?.code).toBe('E_FETCH_TIMEOUT')],
      ['huge', (r) => expect(r.error?.code).toBe('E_FETCH_TOO_LARGE')],
      ['wall', (r) => expect(r.results[0]).toMatchObject({ outcome: 'rejected', reason: 'no-article' })],
      ['wall', (r) => expect(r.results[0]).toMatchObject({ outcome: 'rejected', reason: 'no-article' })],
      ['charset', (r) => expect(r.results[0]).toMatchObject({ outcome: 'unchanged', version: 1 })],
    ];
    for (const [m, check] of expectations) {
      mode = m;
      const r = one(await w.pollNow(0));
      check(r);
      expect(await snapshot('cafe'), `after ${m}`).toEqual(before);
    }
    expect((await ctx.fs!.log.bounds()).last).toBe(1);
    for (const t of trickles) t.destroy();

    const st = w.status().sources[0]!;
    expect(st.counts.errors).toBe(4);
    expect(st.rejected['no-article']).toBe(2);
    expect(st.lastError?.code).toBe('E_FETCH_TOO_LARGE');
  });

  test('429 with Retry-After backs the source off: scheduled polls skip it, the status says until when', async () => {
    routes.set('/busy', (_req, res) => {
      res.writeHead(429, { 'retry-after': '120' }).end('slow down');
    });
    let clock = Date.parse('2026-11-25T03:00:00Z');
    const watcher = await makeWatcher(
      { sources: [{ kind: 'url', url: `${server.url}/busy`, id: 'busy' }] },
      { now: () => clock, seed: 9 },
    );
    expect(one(await watcher.pollNow(0)).error).toMatchObject({ code: 'E_FETCH_STATUS', httpStatus: 429 });
    const st = watcher.status().sources[0]!;
    expect(Date.parse(st.backoffUntil!)).toBeGreaterThanOrEqual(clock + 120_000);
    expect(st.state).toBe('backoff');
    const hits = server.hits.get('/busy');
    expect(one(await watcher.pollNow(0, { force: false })).skipped).toBe('backoff');
    expect(server.hits.get('/busy')).toBe(hits);
    clock += 10 * 60_000; // past the back-off and the article's 5-minute tier
    expect(one(await watcher.pollNow(0, { force: false })).skipped).toBeUndefined();
    expect(server.hits.get('/busy')).toBe(hits! + 1);
    expect(watcher.status().sources[0]!.consecutiveFailures).toBe(2);
  });

  test('a 429 holds the whole host: other sources on it defer their fetches, sources on other hosts go on', async () => {
    let busy = true;
    routes.set('/a', (_req, res) => {
      if (busy) res.writeHead(429, { 'retry-after': '300' }).end('slow down');
      else res.writeHead(200, { 'content-type': 'text/html' }).end(storyHtml(story('Page A', 1, 6)));
    });
    page('/b', () => storyHtml(story('Page B on the same host', 1, 6)));
    // Another host (127.0.0.2) serving a third page.
    const other = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end(storyHtml(story('Page C elsewhere', 1, 6)));
    }, '127.0.0.2');
    extraServers.push(other);
    let clock = Date.parse('2026-11-25T03:00:00Z');
    const watcher = await makeWatcher(
      {
        sources: [
          { kind: 'url', url: `${server.url}/a`, id: 'page-a' },
          { kind: 'url', url: `${server.url}/b`, id: 'page-b' },
          { kind: 'url', url: `${other.url}/c`, id: 'page-c' },
        ],
      },
      { now: () => clock, seed: 5 },
    );
    expect(one(await watcher.pollNow(0)).error).toMatchObject({ code: 'E_FETCH_STATUS', httpStatus: 429 });
    // Scheduled polls of the other sources: B (same host) is deferred without a request, C is fetched.
    const [b] = (await watcher.pollNow(1, { force: false }))[0]!.results;
    expect(b).toMatchObject({ article: 'page-b', outcome: 'deferred' });
    expect(b!.detail).toMatch(/^127\.0\.0\.1:\d+ is backing off until 2026-11-25T03:0[5-9]/);
    expect(server.hits.get('/b')).toBeUndefined();
    expect((await watcher.pollNow(2, { force: false }))[0]!.results[0]).toMatchObject({ outcome: 'new-version' });
    expect(watcher.status().sources[1]!.articles[0]).toMatchObject({ lastOutcome: 'deferred' });
    // A forced poll ignores the hold (the user asked); once the hold is over, B is fetched on schedule.
    expect((await watcher.pollNow(1))[0]!.results[0]).toMatchObject({ outcome: 'new-version' });
    expect(server.hits.get('/b')).toBe(1);
    clock += 20 * 60_000;
    busy = false;
    expect((await watcher.pollNow(0, { force: false }))[0]!.results[0]).toMatchObject({ outcome: 'new-version' });
  });

  test('a redirect to 127.0.0.1 is refused when private networks are', async () => {
    page('/story', () => storyHtml(story('Secret intranet page', 1, 8)));
    // A "public" server on 127.0.0.2 (allowed by address) that redirects to loopback 127.0.0.1.
    const pub = await startServer((_req, res) => {
      res.writeHead(302, { location: `${server.url}/story` }).end();
    }, '127.0.0.2');
    extraServers.push(pub);
    const w = await makeWatcher({
      fetch: { allowPrivateNetwork: false, allowedAddresses: ['127.0.0.2'] },
      sources: [{ kind: 'url', url: `${pub.url}/go`, id: 'redirected' }],
    });
    const r = one(await w.pollNow(0));
    expect(r.error?.code).toBe('E_FETCH_BLOCKED_ADDRESS');
    expect(pub.hits.get('/go')).toBe(1);
    expect(server.hits.get('/story')).toBeUndefined();
    expect(await ctx.fs!.store.listVersions('redirected')).toEqual([]);
  });
});

describe('concurrency', () => {
  test('a hanging source never runs twice at once and does not block another source', async () => {
    let active = 0;
    let mostActive = 0;
    const release: (() => void)[] = [];
    routes.set('/hang', async (_req, res) => {
      active++;
      mostActive = Math.max(mostActive, active);
      await new Promise<void>((r) => release.push(r));
      active--;
      res.writeHead(200, { 'content-type': 'text/html' }).end(storyHtml(story('Slow story', 1, 6)));
    });
    page('/quick', () => storyHtml(story('Quick story', 40, 6)));
    const w = await makeWatcher({
      fetch: { timeout: '30s' },
      sources: [
        { kind: 'url', url: `${server.url}/hang`, id: 'slow' },
        { kind: 'url', url: `${server.url}/quick`, id: 'quick' },
      ],
    });
    const first = w.pollNow(0);
    await until(() => (release.length === 1 ? true : undefined), 'the first /hang request');
    const second = w.pollNow(0); // queued behind the first, not run beside it
    const third = w.pollNow(0); // coalesced with the second
    const quick = one(await w.pollNow(1));
    expect(quick.results[0]).toMatchObject({ outcome: 'new-version' });
    // /quick completed while /hang was still hanging, and /hang was asked once only
    expect(release.length).toBe(1);
    expect(server.hits.get('/hang')).toBe(1);
    expect(w.status().sources[0]!.state).toBe('polling');

    release.shift()!();
    expect(one(await first).results[0]).toMatchObject({ outcome: 'new-version', version: 1 });
    await until(() => (release.length === 1 ? true : undefined), 'the second /hang request');
    release.shift()!();
    const [s2, s3] = await Promise.all([second, third]);
    expect(s2).toEqual(s3);
    expect(server.hits.get('/hang')).toBe(2);
    expect(mostActive).toBe(1);
  });

  test('watch.concurrency bounds fetches across sources, and a fetch that throws frees its slot', async () => {
    let active = 0;
    let mostActive = 0;
    const release: (() => void)[] = [];
    routes.set('/broken', async (_req, res) => {
      active++;
      mostActive = Math.max(mostActive, active);
      await new Promise<void>((r) => release.push(r));
      active--;
      res.socket?.destroy(); // the fetch throws
    });
    routes.set('/next', (_req, res) => {
      active++;
      mostActive = Math.max(mostActive, active);
      active--;
      res.writeHead(200, { 'content-type': 'text/html' }).end(storyHtml(story('Next story', 7, 6)));
    });
    const w = await makeWatcher({
      watch: { concurrency: 1 },
      fetch: { timeout: '30s' },
      sources: [
        { kind: 'url', url: `${server.url}/broken`, id: 'broken' },
        { kind: 'url', url: `${server.url}/next`, id: 'next' },
      ],
    });
    const broken = w.pollNow(0);
    await until(() => (release.length === 1 ? true : undefined), 'the /broken request');
    const next = w.pollNow(1);
    // Time for a watcher without the bound to send /next beside /broken (it must wait for the one slot).
    await new Promise((r) => setTimeout(r, 200));
    expect(server.hits.get('/next')).toBeUndefined();
    release.shift()!();
    const b = one(await broken);
    expect(b.error?.code).toBe('E_FETCH');
    expect(one(await next).results[0]).toMatchObject({ outcome: 'new-version', version: 1 });
    expect(server.hits.get('/next')).toBe(1);
    expect(mostActive).toBe(1);
  });

  test('close() waits for a poll in flight (aborting its fetch) and is idempotent; the status file is written', async () => {
    routes.set('/hang', () => new Promise<void>(() => undefined)); // never answers
    const w = await makeWatcher({
      fetch: { timeout: '60s' },
      sources: [{ kind: 'url', url: `${server.url}/hang`, id: 'never' }],
    });
    await w.start();
    await until(() => (server.hits.get('/hang') === 1 ? true : undefined), 'the first request');
    await Promise.all([w.close(), w.close()]);
    await w.close();
    const st = await readStatusFile(testConfig(ctx.dir).storeDir);
    expect(st?.running).toBe(false);
    expect(st?.sources[0]).toMatchObject({ kind: 'url', locator: `${server.url}/hang` });
    expect(st?.sources[0]!.counts.polls).toBe(1);
    // The abort is the watcher stopping, not a failure of the source: no error, no back-off carried to the next run.
    expect(st?.sources[0]!.counts.errors).toBe(0);
    expect(st?.sources[0]!.consecutiveFailures).toBe(0);
    expect(st?.sources[0]!.backoffUntil).toBeUndefined();
    expect(st?.sources[0]!.lastError).toBeUndefined();
    expect(await ctx.fs!.store.listVersions('never')).toEqual([]);
  });
});

describe('a poll that throws', () => {
  test('is reported (not swallowed): pollNow gives an error report, the status counts it', async () => {
    // A log destination that fails (stdout closed under the watcher): the poll's own failure log throws.
    const broken = pino(
      { level: 'info' },
      {
        write: () => {
          throw new Error('write EPIPE');
        },
      },
    );
    const config = testConfig(ctx.dir, { sources: [{ kind: 'url', url: `${server.url}/missing`, id: 'gone' }] });
    ctx.fs = await openStore(config);
    watcher = createWatcher(config, { store: ctx.fs.store, log: ctx.fs.log, logger: broken, persistStatus: false });
    const reports = await watcher.pollNow(0);
    expect(reports).toHaveLength(1);
    expect(reports[0]!.error).toMatchObject({ message: 'write EPIPE' });
    expect(watcher.status().sources[0]!.lastError).toMatchObject({ message: 'write EPIPE' });
  });
});

describe('feeds with faults', () => {
  test('one missing item page does not stop the others; a 429 on the feed backs the source off', async () => {
    page('/ok', () => storyHtml(story('Fine story', 1, 6)));
    let feedStatus = 200;
    routes.set('/feed.xml', (_req, res) => {
      if (feedStatus !== 200) {
        res.writeHead(feedStatus, { 'retry-after': '60' }).end();
        return;
      }
      res
        .writeHead(200, { 'content-type': 'application/atom+xml' })
        .end(
          `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>N</title><id>urn:x</id><updated>2026-11-25T00:00:00Z</updated>` +
            `<entry><title>Gone</title><id>urn:1</id><updated>2026-11-25T00:00:00Z</updated><link href="${server.url}/gone"/></entry>` +
            `<entry><title>Ok</title><id>urn:2</id><updated>2026-11-25T00:00:00Z</updated><link href="${server.url}/ok"/></entry></feed>`,
        );
    });
    const w = await makeWatcher({ sources: [{ kind: 'feed', url: `${server.url}/feed.xml` }] });
    const r = one(await w.pollNow(0));
    expect(r.error).toBeUndefined();
    expect(r.results.map((x) => x.outcome)).toEqual(['error', 'new-version']);
    expect(w.status().sources[0]!.counts).toMatchObject({ errors: 1, versions: 1 });

    feedStatus = 429;
    const r2 = one(await w.pollNow(0));
    expect(r2.error).toMatchObject({ code: 'E_FETCH_STATUS', httpStatus: 429 });
    expect(w.status().sources[0]!.state).toBe('backoff');
    expect((await ctx.fs!.store.listArticles()).length).toBe(1);
  });
});
