/**
 * The event loop while 2 MB versions are ingested: the worst delay of a 10 ms ping (how long a live client, an API
 * read or another poll could wait), against the same ping on an idle loop in the same run. Parsing, extraction and
 * diffing run on the ingest worker pool (src/ingest/pool.ts), which also encodes the article and its ChangeSet as JSON
 * (src/store/file/encoded.ts): the store's commit then only copies those bytes into the version file and the event
 * record, and compresses them on libuv's thread pool. The rows split what is left on the main thread between the
 * pool's hand-off and the store's commit, and show the same stream with everything on the main thread.
 * Target: under 50 ms.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createIngestPool } from '../../src/ingest/pool.js';
import { inThreadCompute, type IngestCompute, type IngestWorkResult } from '../../src/ingest/work.js';
import { openFileStore } from '../../src/store/open.js';
import { ingestVersion } from '../../src/ingest/ingest.js';
import { round, seededRandom, type BenchRow } from './harness.js';

const GROUP = 'event-loop';
const TARGET_MS = 50;
const VERSIONS = 4;
const WORDS =
  'the minister said on tuesday that talks would resume after rebels seized the northern town while aid groups warned of ' +
  'shortages and witnesses described heavy shelling near the border crossing as officials urged calm across the region';

/** `VERSIONS` HTML pages of about 2 MB (a long live blog), each editing a fortieth of the paragraphs of the last. */
function pages(): Uint8Array[] {
  const rng = seededRandom(7);
  const vocab = WORDS.split(' ');
  const sentence = (n: number): string =>
    Array.from({ length: n }, () => vocab[Math.floor(rng() * vocab.length)]!).join(' ') + '.';
  const paragraphs: string[] = [];
  for (let size = 0; size < 2_000_000;) {
    const p = sentence(90);
    paragraphs.push(p);
    size += p.length + 9;
  }
  const html = (ps: readonly string[]): Uint8Array =>
    new TextEncoder().encode(
      `<!doctype html><html><head><title>Live: the long night</title></head><body><article><h1>Live: the long night</h1>` +
        ps.map((p) => `<p>${p}</p>`).join('') +
        `</article></body></html>`,
    );
  const out: Uint8Array[] = [];
  let current = paragraphs;
  for (let v = 0; v < VERSIONS; v++) {
    if (v > 0) current = current.map((p, i) => (i % 40 === v ? sentence(90) : p));
    out.push(html(current));
  }
  return out;
}

/** Runs `work` while a 10 ms interval measures how late each tick comes; resolves with the worst lateness in ms. */
async function worstDelay(work: () => Promise<void>): Promise<number> {
  let worst = 0;
  let last = performance.now();
  const ping = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 10);
    last = now;
  }, 10);
  try {
    await work();
    // One more tick, so a block at the very end is seen too.
    await new Promise((r) => setTimeout(r, 20));
  } finally {
    clearInterval(ping);
  }
  return worst;
}

const idle = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Ingests every page as a push (forced: a measurement, not a guard test) into a fresh store. */
async function pushAll(versions: readonly Uint8Array[], compute: IngestCompute): Promise<void> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'wirediff-bench-loop-'));
  const opened = await openFileStore({ dir: root });
  try {
    for (let i = 0; i < versions.length; i++) {
      const o = await ingestVersion(
        { store: opened.store, compute },
        {
          article: 'live-blog',
          raw: versions[i]!,
          contentType: 'text/html',
          origin: { kind: 'push' },
          fetchedAt: new Date(Date.parse('2026-11-25T00:00:00Z') + i * 60_000).toISOString(),
        },
        { variantWindow: 5, push: { force: true } },
      );
      if (o.status !== 'new-version') throw new Error(`version ${i + 1}: ${o.status}`);
    }
  } finally {
    await opened.close();
    await rm(root, { recursive: true, force: true });
  }
}

/** The pool's work alone: each page parsed and diffed against the one before, no store. */
async function workOnly(versions: readonly Uint8Array[], compute: IngestCompute): Promise<void> {
  let previous: Extract<IngestWorkResult, { ok: true }> | undefined;
  for (const raw of versions) {
    const r = await compute.run({
      raw,
      contentType: 'text/html',
      minChars: 25,
      ...(previous !== undefined ? { previous: previous.article, previousHash: previous.hash } : {}),
    });
    if (!r.ok) throw new Error(r.detail);
    previous = r;
  }
}

export async function run(): Promise<BenchRow[]> {
  const versions = pages();
  const mb = round(versions[0]!.length / 1e6);
  const pool = createIngestPool();
  if (pool.threads === 0) throw new Error('no built ingest worker (run the bench from dist/: npm run bench)');
  try {
    // Warm the worker and the JIT once; then each trial.
    await pushAll(versions.slice(0, 2), pool);
    const t0 = performance.now();
    const pooled = await worstDelay(() => pushAll(versions, pool));
    const tookMs = performance.now() - t0;
    const workDelay = await worstDelay(() => workOnly(versions, pool));
    const idleDelay = await worstDelay(() => idle(Math.min(5_000, Math.max(1_000, tookMs))));
    const mainThread = await worstDelay(() => pushAll(versions, inThreadCompute));
    const row = (name: string, value: number, target: boolean, note?: string): BenchRow => ({
      group: GROUP,
      name,
      value: round(value),
      unit: 'ms',
      baseline: round(idleDelay),
      ratio: round(value / Math.max(1, idleDelay)),
      ...(target ? { target: `< ${TARGET_MS} ms`, pass: value < TARGET_MS } : {}),
      ...(note !== undefined ? { note } : {}),
    });
    return [
      row(
        `worst delay of a 10 ms ping while ${VERSIONS} × ${mb} MB versions are pushed (worker pool + store commit) vs idle`,
        pooled,
        true,
        'left on the main thread: taking the worker result (structured clone), copying the encoded JSON into the version file and event record, sha256 of the raw bytes, and the garbage collector',
      ),
      row(`same, the pool's work alone (decode, parse, extract, hash, diff, guard measures)`, workDelay, true),
      row(`same stream, all on the main thread (no pool: before)`, mainThread, false),
    ];
  } finally {
    await pool.close();
  }
}
