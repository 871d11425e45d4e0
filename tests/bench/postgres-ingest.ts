/**
 * The PostgreSQL ingest pipeline for postgres.bench.ts: a seeded stream of story updates, each parsed, diffed
 * against the stored latest version and committed (version + event in one transaction). Run in the bench's own
 * thread (one watcher) or in worker threads, each with its own pool (several watchers: worker_threads stand in for
 * processes, each with its own event loop and connections).
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { contentHash, parseArticle } from '../../src/core/extract/index.js';
import { diffVersions } from '../../src/core/diff/index.js';
import type { Article } from '../../src/core/model/article.js';
import type { NewVersion, SnapshotStore } from '../../src/store/types.js';
import { openPostgresStore, type PostgresStoreOptions } from '../../src/store/postgres/open.js';
import { seededRandom } from './harness.js';

export interface Update {
  readonly article: string;
  readonly fetchedAt: string;
  readonly text: string;
  readonly raw: Uint8Array;
}

const WORDS = (
  'the minister said on tuesday that talks would resume after rebels seized the northern town while aid groups ' +
  'warned of shortages and witnesses described heavy shelling near the border crossing as officials urged calm'
).split(' ');

/** `articles` stories (ids prefixed with `prefix`), each updated `perArticle` times; a new top paragraph each time. */
export function makeStream(prefix: string, articles: number, perArticle: number, seed: number): Update[] {
  const rng = seededRandom(seed);
  const sentence = (n: number): string =>
    Array.from({ length: n }, () => WORDS[Math.floor(rng() * WORDS.length)]!).join(' ') + '.';
  const stories = Array.from({ length: articles }, (_, a) => ({
    title: `Story ${a}: ${sentence(7)}`,
    paragraphs: Array.from({ length: 16 + Math.floor(rng() * 10) }, () => sentence(20 + Math.floor(rng() * 20))),
  }));
  const out: Update[] = [];
  const t0 = Date.parse('2026-12-01T00:00:00Z');
  for (let v = 0; v < perArticle; v++) {
    for (let a = 0; a < articles; a++) {
      const s = stories[a]!;
      if (v > 0) s.paragraphs.unshift(sentence(25));
      if (s.paragraphs.length > 30) s.paragraphs.pop();
      const text = `${s.title}\n\n${s.paragraphs.join('\n\n')}\n`;
      out.push({
        article: `${prefix}-${a}`,
        fetchedAt: new Date(t0 + (v * articles + a) * 1000).toISOString(),
        text,
        raw: Buffer.from(text, 'utf8'),
      });
    }
  }
  return out;
}

/** The version the pipeline hands the store for update `u`: parsed, and diffed against `prev` (the latest stored). */
function newVersionOf(
  u: Update,
  prev: { readonly article: Article; readonly version: number } | undefined,
): NewVersion {
  const parsed = parseArticle({ body: u.text, format: 'text' });
  return {
    article: u.article,
    fetchedAt: u.fetchedAt,
    origin: { kind: 'push' },
    contentType: 'text/plain; charset=utf-8',
    raw: u.raw,
    parsed,
    contentHash: contentHash(parsed),
    changes: prev ? diffVersions(prev.article, parsed) : null,
    expectedLatest: prev?.version ?? 0,
  };
}

export async function ingestOne(store: SnapshotStore, u: Update): Promise<number> {
  const latest = await store.getLatest(u.article);
  const prev = latest === undefined ? undefined : { article: latest.article, version: latest.meta.version };
  const { event } = await store.commitVersion(newVersionOf(u, prev), { at: new Date().toISOString() });
  return event.id;
}

/**
 * The versions the pipeline would hand the store for `stream`, parsed and diffed up front (in memory, against each
 * article's previous update), so that committing them measures the store's write alone.
 */
export function prepareStream(stream: readonly Update[]): NewVersion[] {
  const last = new Map<string, { article: Article; version: number }>();
  return stream.map((u) => {
    const prev = last.get(u.article);
    const v = newVersionOf(u, prev);
    last.set(u.article, { article: v.parsed, version: v.expectedLatest + 1 });
    return v;
  });
}

/** Commits `versions` one after the other (version + event, one transaction each); resolves with the elapsed ms. */
export async function commitStream(options: PostgresStoreOptions, versions: readonly NewVersion[]): Promise<number> {
  const opened = await openPostgresStore(options);
  try {
    const t0 = performance.now();
    for (const v of versions) await opened.store.commitVersion(v, { at: v.fetchedAt });
    return performance.now() - t0;
  } finally {
    await opened.close();
  }
}

/** Ingests `stream` with `lanes` articles in flight on one pool; resolves with the elapsed milliseconds. */
export async function ingestStream(
  options: PostgresStoreOptions,
  stream: readonly Update[],
  lanes: number,
): Promise<number> {
  const opened = await openPostgresStore(options);
  try {
    const byLane: Update[][] = Array.from({ length: lanes }, () => []);
    const laneOf = new Map<string, number>();
    for (const u of stream) {
      let l = laneOf.get(u.article);
      if (l === undefined) laneOf.set(u.article, (l = laneOf.size % lanes));
      byLane[l]!.push(u);
    }
    const t0 = performance.now();
    await Promise.all(
      byLane.map(async (lane) => {
        for (const u of lane) await ingestOne(opened.store, u);
      }),
    );
    return performance.now() - t0;
  } finally {
    await opened.close();
  }
}

if (!isMainThread && parentPort !== null) {
  const data = workerData as {
    options: PostgresStoreOptions;
    prefix: string;
    articles: number;
    perArticle: number;
    seed: number;
    lanes: number;
  };
  const stream = makeStream(data.prefix, data.articles, data.perArticle, data.seed);
  // Parse and diff once untimed so the JIT is warm, as in the single-thread run.
  parentPort.postMessage({ ready: true });
  parentPort.once('message', () => {
    void ingestStream(data.options, stream, data.lanes).then((ms) => parentPort!.postMessage({ ms }));
  });
}
