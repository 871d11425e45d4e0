/**
 * The PostgreSQL store (skipped with a note when PostgreSQL does not answer at WIREDIFF_BENCH_PG_URL, default
 * postgres://postgres@127.0.0.1:5432/test). Each row is a ratio to a baseline measured in the same run:
 *
 * - ingest versions/s (parse → diff → commitVersion: version + event in one transaction, ids under the event lock)
 *   vs bare INSERTs of the same raw bytes, one transaction each. Target ≥ 0.5×.
 * - 4 watchers vs 1: the same stream (4× the articles) through 4 worker threads, each with its own pool, vs one
 *   thread; versions/s ratio. On 2 cores the ceiling is about 2×.
 * - commit-to-delivery latency p50/p99 through two edges (`wirediff serve` child processes on PostgreSQL, woken by
 *   NOTIFY) × CLIENTS clients each, vs one process (`wirediff serve` on the file store) serving 2 × CLIENTS clients,
 *   where the commit happens in the serving process itself. Commits are pushes (POST); latency is the time from the
 *   event's `at` (set by the committing process) to its arrival at each client.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { WebSocket } from 'ws';
import { spawn, type ChildProcess } from 'node:child_process';
import { median, round, type BenchRow } from './harness.js';
import { commitStream, ingestStream, makeStream, prepareStream } from './postgres-ingest.js';

const GROUP = 'postgres';
const URL_ = process.env.WIREDIFF_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CLIENTS = Number(process.env.WIREDIFF_BENCH_PG_CLIENTS ?? 2000);
const here = path.dirname(fileURLToPath(import.meta.url));
const MAIN = path.join(here, '..', '..', 'src', 'cli', 'main.js');

async function sql(text: string, params: unknown[] = []): Promise<pg.QueryResultRow[]> {
  const c = new pg.Client({ connectionString: URL_ });
  await c.connect();
  try {
    const r: pg.QueryResult = await c.query(text, params);
    return r.rows as pg.QueryResultRow[];
  } finally {
    await c.end();
  }
}

function pct(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/** Bare INSERTs of each update's raw bytes, one autocommit transaction each; ms for all. */
async function bareInserts(schema: string, raws: readonly Uint8Array[]): Promise<number> {
  const c = new pg.Client({ connectionString: URL_ });
  await c.connect();
  try {
    await c.query(`create table "${schema}".bare (id bigserial primary key, raw bytea not null)`);
    const t0 = performance.now();
    for (const r of raws) await c.query(`insert into "${schema}".bare (raw) values ($1)`, [r]);
    return performance.now() - t0;
  } finally {
    await c.end();
  }
}

async function withSchema<T>(fn: (schema: string) => Promise<T>): Promise<T> {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  await sql(`create schema "${schema}"`);
  try {
    return await fn(schema);
  } finally {
    await sql(`drop schema "${schema}" cascade`);
  }
}

/**
 * Two rows against the same bare INSERTs, round by round: the whole pipeline (parse, read the latest version, diff,
 * commit), and the store's commit alone (the same versions parsed and diffed beforehand: version + event in one
 * transaction, the event id taken under the commit-order lock).
 */
async function ingestRows(): Promise<BenchRow[]> {
  const stream = makeStream('ingest', 8, 40, 7);
  const prepared = prepareStream(stream);
  const rounds: { pipeline: number; commit: number; bare: number }[] = [];
  const perSecond = (ms: number): number => (stream.length / ms) * 1000;
  for (let r = 0; r < 3; r++) {
    const pipeline = await withSchema((schema) => ingestStream({ url: URL_, schema }, stream, 1));
    const commit = await withSchema((schema) => commitStream({ url: URL_, schema }, prepared));
    const bare = await withSchema((schema) =>
      bareInserts(
        schema,
        stream.map((u) => u.raw),
      ),
    );
    rounds.push({ pipeline: perSecond(pipeline), commit: perSecond(commit), bare: perSecond(bare) });
  }
  const baseline = median(rounds.map((x) => x.bare).sort((a, b) => a - b));
  const row = (name: string, of: (x: (typeof rounds)[number]) => number, note: string): BenchRow => {
    const value = median(rounds.map(of).sort((a, b) => a - b));
    const ratio = value / baseline;
    return {
      group: GROUP,
      name,
      value: round(value),
      unit: 'versions/s',
      baseline: round(baseline),
      ratio: round(ratio),
      target: '≥ 0.5×',
      pass: ratio >= 0.5,
      note: `rounds ${rounds.map((x) => round(of(x) / x.bare)).join(' / ')}; ${note}`,
    };
  };
  return [
    row(
      'ingest versions/s into PostgreSQL vs bare INSERTs (1 txn each)',
      (x) => x.pipeline,
      'parse, read latest, diff and commit',
    ),
    row(
      'store commit versions/s (parsed and diffed beforehand) vs bare INSERTs (1 txn each)',
      (x) => x.commit,
      'version + event in one transaction',
    ),
  ];
}

async function workers(n: number, perWorkerArticles: number): Promise<number> {
  return withSchema(async (schema) => {
    // Migrate once up front, so the workers do not measure the first open's DDL.
    await ingestStream({ url: URL_, schema }, [], 1);
    const ws = Array.from(
      { length: n },
      (_, i) =>
        new Worker(path.join(here, 'postgres-ingest.js'), {
          workerData: {
            options: { url: URL_, schema, poolSize: 2 },
            prefix: `w${i}`,
            articles: perWorkerArticles,
            perArticle: 25,
            seed: 11 + i,
            lanes: 2,
          },
        }),
    );
    await Promise.all(ws.map((w) => new Promise((r) => w.once('message', r))));
    const t0 = performance.now();
    const done = ws.map((w) => new Promise<void>((r) => w.once('message', () => r())));
    for (const w of ws) w.postMessage('go');
    await Promise.all(done);
    const ms = performance.now() - t0;
    await Promise.all(ws.map((w) => w.terminate()));
    return ((n * perWorkerArticles * 25) / ms) * 1000;
  });
}

async function scalingRow(): Promise<BenchRow[]> {
  const one = await workers(1, 8);
  const four = await workers(4, 8);
  return [
    {
      group: GROUP,
      name: '4 watchers vs 1 (worker threads, own pools, 2 articles in flight each)',
      value: round(four),
      unit: 'versions/s',
      baseline: round(one),
      ratio: round(four / one),
      target: '≥ 1.5× (2 cores)',
      pass: four / one >= 1.5,
      note: `machine has ${os.cpus().length} cores`,
    },
  ];
}

// ----- commit-to-delivery latency -----

interface Served {
  proc: ChildProcess;
  url: string;
}

function serve(cwd: string, env: Record<string, string>): Promise<Served> {
  const proc = spawn(process.execPath, [MAIN, 'serve', '--json-logs', '--port', '0', '--log-level', 'info'], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let buf = '';
    proc.stdout.setEncoding('utf8').on('data', (d: string) => {
      buf += d;
      const m = /"msg":"serving on (http:\/\/[^"]+)"/.exec(buf);
      if (m) resolve({ proc, url: m[1]! });
    });
    proc.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
  });
}

/** Opens `n` live clients on `url`; each records (arrival time, id, at) for every event. */
async function clients(url: string, n: number, into: { arrived: number; at: number }[]): Promise<WebSocket[]> {
  const out: WebSocket[] = [];
  for (let i = 0; i < n; i += 100) {
    const batch = Array.from({ length: Math.min(100, n - i) }, () => {
      const ws = new WebSocket(url.replace(/^http/, 'ws') + '/live');
      ws.on('message', (data: Buffer) => {
        const now = Date.now();
        const head = data.subarray(0, 160).toString('latin1');
        if (head.startsWith('{"type":"hello"')) {
          ws.send('{"type":"subscribe","articles":"*"}');
          return;
        }
        const m = /"at":"([^"]+)"/.exec(head);
        if (head.startsWith('{"type":"event"') && m) into.push({ arrived: now, at: Date.parse(m[1]!) });
      });
      return new Promise<WebSocket>((resolve, reject) => {
        ws.once('open', () => resolve(ws));
        ws.once('error', reject);
      });
    });
    out.push(...(await Promise.all(batch)));
  }
  return out;
}

async function latency(edges: Served[], perEdge: number, pushTo: string, events: number): Promise<number[]> {
  const got: { arrived: number; at: number }[] = [];
  const sockets: WebSocket[] = [];
  for (const e of edges) sockets.push(...(await clients(e.url, perEdge, got)));
  // Let every subscribe land before the first push.
  await new Promise((r) => setTimeout(r, 500));
  const total = perEdge * edges.length;
  for (let k = 1; k <= events; k++) {
    const before = got.length;
    const body = `Latency story\n\n${Array.from({ length: 3 + k }, (_, i) => `Paragraph ${i} of the story, update ${k}, with enough words to read.`).join('\n\n')}\n`;
    const res = await fetch(`${pushTo}/api/articles/latency/versions`, {
      method: 'POST',
      headers: { authorization: 'Bearer bench', 'content-type': 'text/plain; charset=utf-8' },
      body,
    });
    if (res.status !== 201) throw new Error(`push answered ${res.status}: ${await res.text()}`);
    while (got.length < before + total) await new Promise((r) => setTimeout(r, 5));
  }
  for (const s of sockets) s.terminate();
  return got.map((g) => g.arrived - g.at).sort((a, b) => a - b);
}

async function latencyRows(): Promise<BenchRow[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'wirediff-bench-pg-'));
  const procs: ChildProcess[] = [];
  try {
    const schema = `bench_${randomBytes(4).toString('hex')}`;
    const config = (store: unknown): string =>
      JSON.stringify({ store, server: { port: 0, token: 'bench', publicUrl: 'http://bench.example' } });
    for (const d of ['e1', 'e2', 'single']) await mkdir(path.join(dir, d));
    await writeFile(path.join(dir, 'e1', 'wirediff.config.json'), config({ kind: 'postgres', url: URL_, schema }));
    await writeFile(path.join(dir, 'e2', 'wirediff.config.json'), config({ kind: 'postgres', url: URL_, schema }));
    await writeFile(path.join(dir, 'single', 'wirediff.config.json'), config({ kind: 'file' }));
    const e1 = await serve(path.join(dir, 'e1'), {});
    procs.push(e1.proc);
    const e2 = await serve(path.join(dir, 'e2'), {});
    procs.push(e2.proc);
    const EVENTS = 30;
    const viaPg = await latency([e1, e2], CLIENTS, e1.url, EVENTS);
    e1.proc.kill('SIGTERM');
    e2.proc.kill('SIGTERM');
    const single = await serve(path.join(dir, 'single'), {});
    procs.push(single.proc);
    const local = await latency([single], 2 * CLIENTS, single.url, EVENTS);
    single.proc.kill('SIGTERM');
    await sql(`drop schema if exists "${schema}" cascade`);
    const row = (name: string, p: number, target: number): BenchRow => {
      const value = pct(viaPg, p);
      const baseline = Math.max(1, pct(local, p));
      return {
        group: GROUP,
        name,
        value,
        unit: 'ms',
        baseline,
        ratio: round(value / baseline),
        target: `≤ ${target}×`,
        pass: value / baseline <= target,
        note: `2 edges × ${CLIENTS} clients vs 1 process × ${2 * CLIENTS}; ${EVENTS} events, ${viaPg.length} deliveries`,
      };
    };
    return [
      row('commit→delivery p50: 2 PostgreSQL edges vs 1 process', 0.5, 3),
      row('commit→delivery p99: 2 PostgreSQL edges vs 1 process', 0.99, 3),
    ];
  } finally {
    for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchRow[]> {
  try {
    await sql('select 1');
  } catch (err) {
    return [
      {
        group: GROUP,
        name: 'PostgreSQL not reachable: rows skipped',
        value: NaN,
        unit: '',
        baseline: NaN,
        ratio: NaN,
        note: `${URL_}: ${(err as Error).message}`,
      },
    ];
  }
  return [...(await ingestRows()), ...(await scalingRow()), ...(await latencyRows())];
}
