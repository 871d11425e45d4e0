/**
 * Publish benchmark: the live hub's broadcast and the feed serving, each beside a bare baseline in the same run.
 *
 * 1. Broadcast to 1,000 and 10,000 WebSocket clients held by a separate client process (`publish-clients.js`):
 *    - wirediff: `startServer` + its hub (`hub.broadcast(event)`: serialize once, the same Buffer to every client);
 *    - bare: a `ws` server writing one pre-built frame (`Sender.frame`, built outside the timing) to every socket.
 *    Per scenario: latency publish → last client (p50, p99, cross-process clock: `performance.timeOrigin + now()`),
 *    the server's flush time (the synchronous broadcast call), deliveries per second (n / p50 latency), and memory per
 *    idle connection (RSS growth of this process after gc, divided by n). Targets: flush ≤ 1.3×, memory ≤ 1.5×.
 * 2. Feed serving: a ~100 KB feed, conditional GETs (304) and full GETs, requests per second with `wrk` when it is
 *    installed (Debian package `wrk`), else `autocannon` (devDependency); beside a bare `node:http` server returning
 *    the same bytes from a Buffer. Reported as µs per request (inverse throughput). Target ≤ 1.2×.
 *
 * File descriptors: with 10,000 clients this process and the client process each hold 10,000 sockets; the bench
 * reads `ulimit -n` and lowers the client count (with a note) when the soft limit is below n + 200.
 * Raise it with `ulimit -n 20000` before `npm run bench` if needed.
 */
import { fork, spawn, spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import * as wsModule from 'ws';
import { WebSocketServer } from 'ws';
import { diffVersions } from '../../src/core/diff/index.js';
import { parseArticle } from '../../src/core/extract/index.js';
import type { ChangeEvent } from '../../src/core/model/event.js';
import { renderRssFeed } from '../../src/publish/rss/rss-feed.js';
import type { FeedFile } from '../../src/publish/rss/feed-writer.js';
import { startServer } from '../../src/http/server.js';
import { createWsHub } from '../../src/publish/live/hub.js';
import { openFileStore } from '../../src/store/open.js';
import { gcFunction, median, ratioRow, type BenchRow } from './harness.js';

const GROUP = 'publish';
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..', '..');

// ------------------------------------------------------------------------------------------------ helpers

function gc(): void {
  const gcFn = gcFunction();
  if (gcFn === undefined) throw new Error('publish bench: no garbage collector (run node with --expose-gc)');
  gcFn();
  gcFn();
}

/** JS heap + memory held outside it by JS objects (Buffers): what a connection's objects cost. */
function heap(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

function rss(): number {
  return process.memoryUsage().rss;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const k = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, k)]!;
}

function trace(s: string): void {
  if (process.env.WIREDIFF_BENCH_TRACE !== undefined) process.stderr.write(`[publish bench] ${s}\n`);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function fdLimit(): number {
  const out = spawnSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' });
  const v = out.stdout.trim();
  return v === 'unlimited' ? Number.POSITIVE_INFINITY : Number(v) || 1024;
}

/** A realistic event: the AP Syria story's breaking update (v1 → v2), with its ChangeSet. */
async function sampleEvent(): Promise<ChangeEvent> {
  const dir = path.join(repo, 'tests', 'fixtures', 'ap-syria');
  const [a, b] = await Promise.all([
    fs.readFile(path.join(dir, 'v1.txt'), 'utf8'),
    fs.readFile(path.join(dir, 'v2.txt'), 'utf8'),
  ]);
  const prev = parseArticle({ body: a, format: 'text' });
  const next = parseArticle({ body: b, format: 'text' });
  const cs = diffVersions(prev, next);
  return {
    schema: 'wirediff.event/1',
    id: 1,
    at: '2026-11-25T03:00:00.000Z',
    article: 'ap-syria',
    version: 2,
    title: next.title,
    kind: cs.kind,
    summary: cs.summary,
    significance: cs.significance,
    changes: cs,
  };
}

// ------------------------------------------------------------------------------------------------ client process

interface ClientProcess {
  connect(url: string, n: number, subscribe: boolean): Promise<number>;
  nextRound(): Promise<number>;
  close(): Promise<void>;
}

async function startClients(): Promise<ClientProcess> {
  const child = fork(path.join(here, 'publish-clients.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const queue: { type: string; [k: string]: unknown }[] = [];
  let wake: (() => void) | undefined;
  child.on('message', (m: { type: string }) => {
    queue.push(m);
    wake?.();
  });
  const take = async (type: string): Promise<{ [k: string]: unknown }> => {
    for (;;) {
      const i = queue.findIndex((m) => m.type === type || m.type === 'error');
      if (i >= 0) {
        const m = queue.splice(i, 1)[0]!;
        if (m.type === 'error') throw new Error(`client process: ${String(m.message)}`);
        return m;
      }
      await new Promise<void>((r) => (wake = r));
    }
  };
  await take('started');
  return {
    async connect(url, n, subscribe) {
      child.send({
        cmd: 'connect',
        url,
        n,
        subscribe,
        localAddresses: ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4'],
      });
      const m = await take('ready');
      return Number(m.n);
    },
    async nextRound() {
      const m = await take('round');
      return Number(m.at);
    },
    async close() {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.send({ cmd: 'close' });
      await exited;
    },
  };
}

// ------------------------------------------------------------------------------------------------ servers

interface BroadcastServer {
  readonly url: string;
  /** Broadcasts one event; returns the synchronous flush time in ms. */
  broadcast(e: ChangeEvent): number;
  close(): Promise<void>;
}

async function wirediffServer(tmp: string): Promise<BroadcastServer> {
  const fileStore = await openFileStore({ dir: path.join(tmp, `store-${Date.now()}`) });
  const hub = createWsHub({ store: fileStore.store, log: fileStore.log, maxBufferedBytes: 64 * 1024 * 1024 });
  const server = await startServer({
    store: fileStore.store,
    log: fileStore.log,
    feeds: { get: () => undefined, isNamed: () => false, filtered: () => Promise.resolve(undefined) },
    live: hub,
  });
  return {
    url: `${server.url.replace('http', 'ws')}/live`,
    broadcast(e) {
      const t0 = performance.now();
      hub.broadcast(e);
      return performance.now() - t0;
    },
    async close() {
      await server.close();
      await fileStore.close();
    },
  };
}

async function bareServer(payload: Buffer): Promise<BroadcastServer> {
  const http = createServer();
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const sockets: Socket[] = [];
  http.on('upgrade', (req, socket, head) =>
    wss.handleUpgrade(req, socket, head, (ws) => sockets.push((ws as unknown as { _socket: Socket })._socket)),
  );
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const port = (http.address() as AddressInfo).port;
  // `Sender.frame` is exported by ws (not in its type declarations): the frame bytes for an unmasked text message.
  const { Sender } = wsModule as unknown as { Sender: { frame(data: Buffer, options: object): Buffer[] } };
  const frame = Buffer.concat(
    Sender.frame(payload, { fin: true, rsv1: false, opcode: 1, mask: false, readOnly: false }),
  );
  return {
    url: `ws://127.0.0.1:${port}/live`,
    broadcast() {
      const t0 = performance.now();
      for (const s of sockets) s.write(frame);
      return performance.now() - t0;
    },
    async close() {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}

interface BroadcastFigures {
  readonly n: number;
  readonly p50: number;
  readonly p99: number;
  readonly flush: number;
  readonly bytesPerConn: number;
  readonly rssPerConn: number;
  readonly connectMs: number;
}

async function measureBroadcast(
  kind: 'wirediff' | 'bare',
  n: number,
  rounds: number,
  event: ChangeEvent,
  tmp: string,
): Promise<BroadcastFigures> {
  const clients = await startClients();
  const payload = Buffer.from(JSON.stringify({ type: 'event', ...event }));
  gc();
  await sleep(200);
  gc();
  const before = heap();
  const beforeRss = rss();
  const server = kind === 'wirediff' ? await wirediffServer(tmp) : await bareServer(payload);
  const t0 = performance.now();
  trace(`${kind} ${n}: connecting`);
  const connected = await clients.connect(server.url, n, kind === 'wirediff');
  trace(`${kind} ${n}: connected ${connected}`);
  const connectMs = performance.now() - t0;
  if (connected !== n) throw new Error(`only ${connected} of ${n} clients connected`);
  await sleep(300);
  gc();
  await sleep(200);
  gc();
  const bytesPerConn = (heap() - before) / n;
  const rssPerConn = (rss() - beforeRss) / n;
  const latencies: number[] = [];
  const flushes: number[] = [];
  for (let r = 0; r < rounds + 2; r++) {
    const e = { ...event, id: r + 1 };
    const start = performance.timeOrigin + performance.now();
    const flush = server.broadcast(e);
    const at = await clients.nextRound();
    trace(`${kind} ${n}: round ${r} ${(at - start).toFixed(1)} ms`);
    if (r >= 2) {
      // two warm-up rounds
      latencies.push(at - start);
      flushes.push(flush);
    }
    await sleep(20);
  }
  await clients.close();
  await server.close();
  latencies.sort((a, b) => a - b);
  flushes.sort((a, b) => a - b);
  return {
    n,
    p50: median(latencies),
    p99: percentile(latencies, 99),
    flush: median(flushes),
    bytesPerConn,
    rssPerConn,
    connectMs,
  };
}

function average(runs: readonly BroadcastFigures[]): BroadcastFigures {
  const avg = (f: (r: BroadcastFigures) => number): number => runs.reduce((a, r) => a + f(r), 0) / runs.length;
  return {
    n: runs[0]?.n ?? 0,
    p50: avg((r) => r.p50),
    p99: avg((r) => r.p99),
    flush: avg((r) => r.flush),
    bytesPerConn: avg((r) => r.bytesPerConn),
    rssPerConn: avg((r) => r.rssPerConn),
    connectMs: avg((r) => r.connectMs),
  };
}

async function broadcastRows(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const event = await sampleEvent();
  const size = Buffer.byteLength(JSON.stringify({ type: 'event', ...event }));
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'wirediff-bench-publish-'));
  const limit = fdLimit();
  try {
    const sizes = (process.env.WIREDIFF_BENCH_CLIENTS ?? '1000,10000').split(',').map(Number);
    for (const wanted of sizes) {
      const n = Math.min(wanted, Math.max(100, limit - 200));
      const cap = n < wanted ? ` (capped from ${wanted}: ulimit -n is ${limit})` : '';
      const rounds = n >= 10_000 ? 8 : 20;
      // Alternate the order so neither side always runs on a warmer machine.
      // Alternate bare and wirediff runs (twice each) so neither side always runs on a warmer or
      // quieter machine; figures are averaged over the runs.
      const repeats = 2;
      const bareRuns: BroadcastFigures[] = [];
      const ourRuns: BroadcastFigures[] = [];
      for (let k = 0; k < repeats; k++) {
        bareRuns.push(await measureBroadcast('bare', n, rounds, event, tmp));
        ourRuns.push(await measureBroadcast('wirediff', n, rounds, event, tmp));
      }
      const bare = average(bareRuns);
      const ours = average(ourRuns);
      const label = `${n.toLocaleString('en-US')} clients`;
      const note = `event ${size} B; p99 ${ours.p99.toFixed(1)} ms vs bare ${bare.p99.toFixed(1)} ms; connect ${(ours.connectMs / 1000).toFixed(1)} s${cap}`;
      rows.push(
        ratioRow({
          group: GROUP,
          name: `broadcast ${label}: latency p50`,
          value: ours.p50,
          unit: 'ms',
          baseline: bare.p50,
          note,
        }),
        ratioRow({
          group: GROUP,
          name: `broadcast ${label}: latency p99`,
          value: ours.p99,
          unit: 'ms',
          baseline: bare.p99,
        }),
        ratioRow({
          group: GROUP,
          name: `broadcast ${label}: server flush`,
          value: ours.flush,
          unit: 'ms',
          baseline: bare.flush,
          maxRatio: 1.3,
          note: `hub.broadcast (serialize once, frame once, send) vs writing a pre-built frame; ${repeats} run(s) each`,
        }),
        {
          group: GROUP,
          name: `broadcast ${label}: deliveries/s`,
          value: Math.round(n / (ours.p50 / 1000)),
          unit: 'msg/s',
          baseline: Math.round(n / (bare.p50 / 1000)),
          ratio: Math.round((bare.p50 / ours.p50) * 100) / 100,
          note: 'n / p50 latency (ratio: wirediff / bare, higher is better)',
        },
        ratioRow({
          group: GROUP,
          name: `broadcast ${label}: memory per idle connection`,
          value: ours.bytesPerConn / 1024,
          unit: 'KiB',
          baseline: bare.bytesPerConn / 1024,
          maxRatio: 1.5,
          note: `JS heap + external growth after gc / n; RSS growth ${(ours.rssPerConn / 1024).toFixed(1)} vs bare ${(bare.rssPerConn / 1024).toFixed(1)} KiB (noisy)`,
        }),
      );
    }
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
  return rows;
}

// ------------------------------------------------------------------------------------------------ feed serving

function bigFeed(): FeedFile {
  const events: ChangeEvent[] = [];
  const para =
    'Syrian government forces shelled rebel-held districts on Saturday, activists said, as the conflict entered its third year. ';
  for (let i = 1; i <= 200; i++) {
    events.push({
      schema: 'wirediff.event/1',
      id: i,
      at: new Date(Date.UTC(2026, 10, 25, 0, i)).toISOString(),
      article: `story-${i % 7}`,
      version: i,
      title: `Story ${i % 7}`,
      kind: 'update',
      summary: `Version ${i}: 2 paragraphs edited`,
      significance: 0.4,
      changes: null,
    });
  }
  let xml = '';
  for (let items = 10; items <= 200; items += 2) {
    xml = renderRssFeed(events, {
      title: 'wirediff: latest changes',
      siteUrl: 'http://127.0.0.1/',
      selfUrl: 'http://127.0.0.1/feeds/all.xml',
      describe: (e) => ({ headline: `Rewritten: ${e.title}`, summary: e.summary, html: `<p>${para}${para}</p>` }),
      maxItems: items,
    });
    if (Buffer.byteLength(xml) >= 100 * 1024) break;
  }
  const body = Buffer.from(xml);
  return {
    name: 'all',
    body,
    etag: '"bench-etag-0123456789abcdef"',
    lastModified: new Date(Date.UTC(2026, 10, 25)).toUTCString(),
    lastModifiedMs: Date.UTC(2026, 10, 25),
  };
}

async function bareFeedServer(file: FeedFile): Promise<{ url: string; close(): Promise<void>; server: Server }> {
  const server = createServer((req, res) => {
    if (req.headers['if-none-match'] === file.etag) {
      res.writeHead(304, { ETag: file.etag, 'Last-Modified': file.lastModified });
      res.end();
      return;
    }
    res.writeHead(200, {
      'Content-Type': 'application/rss+xml; charset=utf-8',
      'Content-Length': String(file.body.length),
      ETag: file.etag,
      'Last-Modified': file.lastModified,
    });
    res.end(file.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/feeds/all.xml`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function hasWrk(): boolean {
  return spawnSync('wrk', ['--version'], { encoding: 'utf8' }).error === undefined;
}

/** Requests per second against `url` for `seconds`, with the tool found. */
function load(
  tool: 'wrk' | 'autocannon',
  url: string,
  seconds: number,
  headers: Record<string, string>,
): Promise<number> {
  const h = Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  const args =
    tool === 'wrk'
      ? ['-t1', '-c32', `-d${seconds}s`, ...h, url]
      : [
          path.join(repo, 'node_modules', 'autocannon', 'autocannon.js'),
          '-c',
          '32',
          '-d',
          String(seconds),
          '-j',
          ...h,
          url,
        ];
  const child = spawn(tool === 'wrk' ? 'wrk' : process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', () => {
      if (tool === 'wrk') {
        const m = /Requests\/sec:\s+([\d.]+)/.exec(out);
        const errors = /Non-2xx or 3xx responses: (\d+)/.exec(out);
        if (m === null || errors !== null) return reject(new Error(`wrk: ${out}`));
        resolve(Number(m[1]));
      } else {
        try {
          const j = JSON.parse(out) as { requests: { average: number }; non2xx: number; errors: number };
          const total = j.requests.average;
          if (headers['If-None-Match'] === undefined && j.non2xx > 0) return reject(new Error('autocannon: non-2xx'));
          resolve(total);
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      }
    });
  });
}

async function feedRows(): Promise<BenchRow[]> {
  const file = bigFeed();
  const tool = hasWrk() ? 'wrk' : 'autocannon';
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'wirediff-bench-feeds-'));
  const fileStore = await openFileStore({ dir: path.join(tmp, 'store') });
  const ours = await startServer({
    store: fileStore.store,
    log: fileStore.log,
    feeds: {
      get: (n) => (n === 'all' ? file : undefined),
      isNamed: () => false,
      filtered: () => Promise.resolve(undefined),
    },
  });
  const bare = await bareFeedServer(file);
  const oursUrl = `${ours.url}/feeds/all.xml`;
  const rows: BenchRow[] = [];
  try {
    for (const [label, headers] of [
      ['conditional GET (304)', { 'If-None-Match': file.etag }],
      [`full GET (${Math.round(file.body.length / 1024)} KB)`, {}],
    ] as const) {
      const oursRps: number[] = [];
      const bareRps: number[] = [];
      await load(tool, oursUrl, 1, headers); // warm-up
      await load(tool, bare.url, 1, headers);
      for (let k = 0; k < 3; k++) {
        bareRps.push(await load(tool, bare.url, 3, headers));
        oursRps.push(await load(tool, oursUrl, 3, headers));
      }
      oursRps.sort((a, b) => a - b);
      bareRps.sort((a, b) => a - b);
      const o = median(oursRps);
      const b = median(bareRps);
      rows.push(
        ratioRow({
          group: GROUP,
          name: `feed ${label}`,
          value: 1e6 / o,
          unit: 'µs/req',
          baseline: 1e6 / b,
          maxRatio: 1.2,
          note: `${Math.round(o)} req/s vs bare ${Math.round(b)} req/s (${tool}, 32 connections, median of 3×3 s)`,
        }),
      );
    }
  } finally {
    await bare.close();
    await ours.close();
    await fileStore.close();
    await fs.rm(tmp, { recursive: true, force: true });
  }
  return rows;
}

export async function run(): Promise<BenchRow[]> {
  const only = process.env.WIREDIFF_BENCH_PUBLISH;
  const rows: BenchRow[] = [];
  if (only === undefined || only === 'feeds') rows.push(...(await feedRows()));
  if (only === undefined || only === 'broadcast') rows.push(...(await broadcastRows()));
  return rows;
}
