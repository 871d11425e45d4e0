/**
 * The multi-process test: real `wirediff` child processes on one PostgreSQL schema.
 *
 * - Two watchers (`wirediff watch`), each owning a folder of 8 articles, and both configured with the same 4 web
 *   articles (served by a test HTTP server that keeps a poll log); two edges (`wirediff serve`) taking pushes for 4
 *   more articles. 20 articles get 10 updates each (200), through the folders and the pushes.
 * - A live client on each edge; mid-stream one watcher is killed with SIGKILL and restarted, and later one edge is
 *   killed with SIGKILL while its client reconnects to the other edge with `since`.
 *
 * Asserts: every acknowledged version is stored exactly once (and each has one event); every client saw every event
 * exactly once, in id order, with no gap; no web article was fetched by two processes at once, nor again before it
 * was due (the poll log); the feeds of two edges are byte-identical with the same ETag.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { paragraph } from '../watch/helpers.js';
import { testSchema, type TestSchema } from '../support/stores.js';
import { connectLive, type LiveClient } from './live-client.js';
import { servingUrl, startChild, type Child } from './processes.js';
import { tempDir } from '../support/temp.js';

const FOLDER_ARTICLES = 8; // per watcher
const PUSHED = ['pushed-1', 'pushed-2', 'pushed-3', 'pushed-4'];
const UPDATES = 10;
const WEB = ['web-1', 'web-2', 'web-3', 'web-4'];
const TIER_MS = 2000;

let t: TestSchema;
let work: { dir: string; cleanup: () => Promise<void> };
let web: Server;
let webUrl: string;
const children: Child[] = [];
const clients: LiveClient[] = [];
/** The poll log: every request for a web article, with who made it and when it started and ended. */
const polls: { path: string; agent: string; start: number; end: number }[] = [];
let inFlight = new Map<string, number>();
let overlaps = 0;

beforeAll(async () => {
  t = await testSchema('multi');
  work = await tempDir('wirediff-multi-');
  web = createServer((req, res) => {
    const path = req.url ?? '';
    const start = Date.now();
    const now = (inFlight.get(path) ?? 0) + 1;
    inFlight.set(path, now);
    if (now > 1) overlaps++;
    const n = WEB.indexOf(path.slice(1));
    // Answer a little later, so that a second poller arriving meanwhile would overlap.
    setTimeout(() => {
      inFlight.set(path, (inFlight.get(path) ?? 1) - 1);
      polls.push({ path, agent: String(req.headers['user-agent']), start, end: Date.now() });
      res.writeHead(n < 0 ? 404 : 200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(n < 0 ? 'no' : text(`Web story ${n}`, 900 + n * 40, 4));
    }, 30);
  });
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  webUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const c of clients) c.close();
  for (const c of children) c.kill('SIGKILL');
  await Promise.all(children.map((c) => c.exited));
  await new Promise<void>((resolve) => web.close(() => resolve()));
  await t.drop();
  await work.cleanup();
});

function text(title: string, seed: number, paragraphs: number): string {
  return `${title}\n\n${Array.from({ length: paragraphs }, (_, i) => paragraph(seed + i)).join('\n\n')}\n`;
}

/** Update `k` (1-based) of an article: one more paragraph each time. */
function update(article: string, seed: number, k: number): string {
  return text(`Story ${article}`, seed, 2 + k);
}

async function configIn(dir: string, extra: Record<string, unknown>): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'wirediff.config.json'),
    JSON.stringify({
      store: { kind: 'postgres', url: t.options.url, schema: t.schema, poolSize: 3 },
      server: { port: 0, token: 'push-token', publicUrl: 'http://news.example' },
      ...extra,
    }),
  );
}

function startWatcher(name: string): Child {
  const c = startChild(name, ['watch', '--json-logs'], join(work.dir, name), {});
  children.push(c);
  return c;
}

function startEdge(name: string): Child {
  const c = startChild(name, ['serve', '--json-logs', '--port', '0'], join(work.dir, name), {});
  children.push(c);
  return c;
}

it('two watchers and two edges on one PostgreSQL: exactly once, in order, no gaps, no double polling, identical feeds', async () => {
  for (const w of ['w1', 'w2']) {
    await configIn(join(work.dir, w), {
      fetch: { allowPrivateNetwork: true, timeout: '5s', userAgent: `wirediff-test ${w}` },
      watch: { debounce: 50, tiers: [{ name: 'all', every: `${TIER_MS / 1000}s` }], cron: { url: '* * * * * *' } },
      sources: [{ kind: 'dir', path: 'articles' }, ...WEB.map((id) => ({ kind: 'url', url: `${webUrl}/${id}`, id }))],
    });
    await mkdir(join(work.dir, w, 'articles'), { recursive: true });
  }
  for (const e of ['e1', 'e2', 'e3']) await configIn(join(work.dir, e), {});
  let w1 = startWatcher('w1');
  const w2 = startWatcher('w2');
  const e1 = startEdge('e1');
  const e2 = startEdge('e2');
  const [url1, url2] = [await servingUrl(e1), await servingUrl(e2)];
  const isWatching = (l: Record<string, unknown>): boolean => String(l['msg']).startsWith('watching');
  await Promise.all([w1.waitForLog(isWatching, 'watching'), w2.waitForLog(isWatching, 'watching')]);
  let c1 = await connectLive(url1, 0);
  const c2 = await connectLive(url2, 0);
  clients.push(c1, c2);
  const c1Before: number[] = [];
  const has = (article: string, version: number): boolean =>
    c2.events.some((e) => e.article === article && e.version === version);

  // Acknowledged versions: a folder update once its event is out, a push once the edge answered.
  const acked: { article: string; version: number }[] = [];
  let e1Alive = true;

  const folderDriver = async (owner: 'w1' | 'w2', i: number): Promise<void> => {
    const article = `${owner}-story-${i}`;
    const dir = join(work.dir, owner, 'articles');
    for (let k = 1; k <= UPDATES; k++) {
      const tmp = join(dir, `.${article}.tmp`);
      await writeFile(tmp, update(article, i * 97 + (owner === 'w1' ? 0 : 50), k));
      await rename(tmp, join(dir, `${article}.txt`));
      await c2.until(() => has(article, k));
      acked.push({ article, version: k });
    }
  };
  const pushDriver = async (article: string, i: number): Promise<void> => {
    for (let k = 1; k <= UPDATES; k++) {
      for (;;) {
        const edge = e1Alive && k % 2 === 0 ? url1 : url2;
        try {
          const res = await fetch(`${edge}/api/articles/${article}/versions`, {
            method: 'POST',
            headers: { authorization: 'Bearer push-token', 'content-type': 'text/plain; charset=utf-8' },
            body: update(article, 3000 + i * 97, k),
          });
          const body = (await res.json()) as { status: string; meta?: { version: number }; version?: number };
          expect([200, 201]).toContain(res.status);
          // 201: stored now; 200 "unchanged": stored by an earlier try whose answer was lost with its edge.
          acked.push({ article, version: body.meta?.version ?? body.version ?? -1 });
          break;
        } catch (err) {
          if (edge === url1 && !e1Alive) continue; // the edge died under the request: retry on the other
          throw err;
        }
      }
    }
  };

  const total = 2 * FOLDER_ARTICLES * UPDATES + PUSHED.length * UPDATES;
  const chaos = (async () => {
    // One watcher killed mid-stream and restarted: its folder's updates wait for it, nothing is lost.
    await c2.until(() => acked.length >= total * 0.3);
    w1.kill('SIGKILL');
    await w1.exited;
    w1 = startWatcher('w1');
    await w1.waitForLog(isWatching, 'watching again');
    // One edge killed: its client reconnects to the other edge with since.
    await c2.until(() => acked.length >= total * 0.65);
    e1Alive = false;
    e1.kill('SIGKILL');
    await c1.closed;
    c1Before.push(...c1.ids);
    c1 = await connectLive(url2, c1.last);
    clients.push(c1);
  })();
  await Promise.all([
    ...Array.from({ length: FOLDER_ARTICLES }, (_, i) => folderDriver('w1', i + 1)),
    ...Array.from({ length: FOLDER_ARTICLES }, (_, i) => folderDriver('w2', i + 1)),
    ...PUSHED.map((a, i) => pushDriver(a, i)),
    chaos,
  ]);
  expect(acked).toHaveLength(total);

  // Every acknowledged version stored exactly once, each with exactly one event; nothing else stored.
  const versions = await t.sql(
    `select article, count(*)::int as n, max(n)::int as last, count(distinct event_id)::int as events
         from "${t.schema}".versions group by article order by article`,
  );
  const perArticle = new Map(versions.map((r) => [r.article as string, r]));
  for (const a of acked) expect(perArticle.get(a.article)!.last as number).toBeGreaterThanOrEqual(a.version);
  const updated = [...perArticle.values()].filter((r) => !WEB.includes(r.article as string));
  expect(updated).toHaveLength(2 * FOLDER_ARTICLES + PUSHED.length);
  for (const r of updated) expect([r.n, r.last, r.events]).toEqual([UPDATES, UPDATES, UPDATES]);
  for (const id of WEB) expect(perArticle.get(id)?.n).toBe(1);
  const [ev] = await t.sql(
    `select count(*)::int as n, max(id)::int as last, count(distinct (article, version))::int as distinct_versions
         from "${t.schema}".events`,
  );
  const lastId = ev!.last as number;
  expect(ev!.n).toBe(total + WEB.length);
  expect(ev!.n).toBe(lastId);
  expect(ev!.distinct_versions).toBe(lastId);

  // Every client saw every event once, in id order, with no gap (c1 across its edge's death).
  await c2.until(() => c2.last >= lastId);
  await c1.until(() => c1.last >= lastId);
  const all = Array.from({ length: lastId }, (_, i) => i + 1);
  expect(c2.ids).toEqual(all);
  expect([...c1Before, ...c1.ids]).toEqual(all);

  // The poll log: never two fetches of one web article at once, never again before it was due.
  expect(overlaps).toBe(0);
  for (const id of WEB) {
    const mine = polls.filter((p) => p.path === `/${id}`).sort((a, b) => a.start - b.start);
    expect(mine.length).toBeGreaterThan(0);
    for (let i = 1; i < mine.length; i++) {
      expect(mine[i]!.start).toBeGreaterThanOrEqual(mine[i - 1]!.end);
      expect(mine[i]!.start - mine[i - 1]!.start).toBeGreaterThanOrEqual(TIER_MS * 0.75);
    }
  }

  // Feeds: a fresh edge and the surviving one serve the same bytes with the same ETag.
  const e3 = startEdge('e3');
  const url3 = await servingUrl(e3);
  const newest = `/articles/${(await t.sql(`select article, version from "${t.schema}".events where id = $1`, [lastId]))[0]!.article as string}/`;
  for (;;) {
    const [f2, f3] = await Promise.all([fetch(`${url2}/feeds/all.xml`), fetch(`${url3}/feeds/all.xml`)]);
    const [b2, b3] = [await f2.text(), await f3.text()];
    if (b2.includes(newest) && b3.includes(newest) && b2 === b3) {
      expect(f2.headers.get('etag')).toBe(f3.headers.get('etag'));
      break;
    }
    await new Promise((r) => setTimeout(r, 50)); // waiting for a condition, not asserting on time
  }
  const counts = { polls: polls.length, byWatcher: {} as Record<string, number> };
  for (const p of polls) counts.byWatcher[p.agent] = (counts.byWatcher[p.agent] ?? 0) + 1;
  console.log(
    `multi-process: ${total} updates acknowledged, ${lastId} events, clients saw ${c2.ids.length} / ${c1Before.length}+${c1.ids.length}; ` +
      `web polls ${JSON.stringify(counts)}, overlaps ${overlaps}`,
  );
  inFlight = new Map();
}, 240_000);
