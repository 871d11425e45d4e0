/**
 * The ingest worker pool (piscina) with the built worker: the same outcomes as the calling thread, the work done by
 * the workers, tasks in flight finished on close.
 */
import { join } from 'node:path';
import { afterEach, beforeAll, expect, test } from 'vitest';
import { createIngestPool, type IngestPool } from '../../src/ingest/pool.js';
import { inThreadCompute, runIngestWork } from '../../src/ingest/work.js';
import { openFileStore, type FileStore } from '../../src/store/open.js';
import { ingestVersion, type IngestInput } from '../../src/ingest/ingest.js';
import { ensureBuilt, ROOT } from '../e2e/harness.js';
import { story, storyHtml } from '../watch/helpers.js';
import { tempDirEach } from '../support/temp.js';

const WORKER = join(ROOT, 'dist/src/ingest/worker.js');

const tmp = tempDirEach();
let pool: IngestPool | undefined;
beforeAll(async () => {
  await ensureBuilt();
}, 300_000); // tsc on a busy 2-core machine
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

const base = story('Ceasefire talks open in Doha', 1, 12);
const next = { ...base, paragraphs: ['Negotiators said a draft was agreed overnight.', ...base.paragraphs] };
const page = (s: typeof base, i: number): IngestInput => ({
  article: 'doha',
  raw: new TextEncoder().encode(storyHtml(s)),
  contentType: 'text/html; charset=utf-8',
  origin: { kind: 'url', location: 'https://news.example/doha' },
  fetchedAt: new Date(Date.parse('2026-11-25T03:00:00Z') + i * 60_000).toISOString(),
});

async function ingestTwice(compute: IngestPool | typeof inThreadCompute, dir: string) {
  const fs: FileStore = await openFileStore({ dir });
  try {
    const deps = { store: fs.store, compute };
    const a = await ingestVersion(deps, page(base, 0), { variantWindow: 5, now: () => 1 });
    const b = await ingestVersion(deps, page(next, 1), { variantWindow: 5, now: () => 2 });
    const c = await ingestVersion(deps, page(next, 2), { variantWindow: 5, now: () => 3 });
    return { a, b, c, v2: await fs.store.getVersion('doha', 2) };
  } finally {
    await fs.close();
  }
}

test('versions ingested through the pool are the ones made in the calling thread; the workers did the work', async () => {
  pool = createIngestPool({ filename: WORKER, maxThreads: 1 });
  expect(pool.threads).toBe(1);
  const viaPool = await ingestTwice(pool, join(tmp.dir, 'pool'));
  const here = await ingestTwice(inThreadCompute, join(tmp.dir, 'here'));
  expect(viaPool.a).toMatchObject({ status: 'new-version', meta: { version: 1 } });
  expect(viaPool.b).toMatchObject({ status: 'new-version', meta: { version: 2 } });
  expect(viaPool.c).toEqual({ status: 'unchanged', version: 2 });
  expect(viaPool.v2!.meta.contentHash).toBe(here.v2!.meta.contentHash);
  expect(viaPool.v2!.article).toEqual(here.v2!.article);
  expect(viaPool.v2!.changes).toEqual(here.v2!.changes);
  expect(viaPool.v2!.changes?.stats.paragraphs.added).toBe(1);
  expect(pool.completed).toBe(3);
});

test('bad input is an outcome from the worker too (empty, too short), and close waits for tasks in flight', async () => {
  pool = createIngestPool({ filename: WORKER, maxThreads: 1 });
  const raw = new TextEncoder().encode('Hi.');
  const tasks = [
    pool.run({ raw, contentType: 'text/plain', minChars: 25 }),
    pool.run({ raw: new Uint8Array(0), contentType: 'text/plain', minChars: 25 }),
  ];
  const closed = pool.close();
  const [short, empty] = await Promise.all(tasks);
  await closed;
  expect(short).toEqual(runIngestWork({ raw, contentType: 'text/plain', minChars: 25 }));
  expect(short).toMatchObject({ ok: false, reason: 'no-article' });
  expect(empty).toMatchObject({ ok: false, reason: 'empty' });
});

test('without a built worker file the pool says so and works in the calling thread', async () => {
  pool = createIngestPool({ filename: join(tmp.dir, 'no-such-worker.js') });
  expect(pool.threads).toBe(0);
  const r = await pool.run({ raw: new TextEncoder().encode(storyHtml(base)), contentType: 'text/html', minChars: 25 });
  expect(r.ok).toBe(true);
});
