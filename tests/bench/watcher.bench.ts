/**
 * The versioning pipeline end to end (extract, diff, store, log): versions ingested per second for a stream of
 * article updates, against writing the same bytes to files with fsync in the same run (target: at least half that
 * rate, i.e. at most 2× the time per version), and the heap over a long stream (flat: no growth per version beyond
 * the store's index).
 */
import { mkdtemp, open, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openFileStore } from '../../src/store/open.js';
import { ingestVersion, type IngestInput } from '../../src/ingest/ingest.js';
import { gcFunction, median, round, seededRandom, type BenchRow } from './harness.js';

const GROUP = 'watcher-ingest';
const WORDS =
  'the minister said on tuesday that talks would resume after rebels seized the northern town while aid groups warned of ' +
  'shortages and witnesses described heavy shelling near the border crossing as officials urged calm across the region';

/** A stream of updates: `articles` stories, each rewritten `perArticle` times (a new top paragraph, an edit, a cut). */
function makeStream(articles: number, perArticle: number, seed: number): IngestInput[] {
  const rng = seededRandom(seed);
  const vocab = WORDS.split(' ');
  const sentence = (n: number): string =>
    Array.from({ length: n }, () => vocab[Math.floor(rng() * vocab.length)]!).join(' ') + '.';
  const stories = Array.from({ length: articles }, (_, a) => ({
    title: `Story ${a}: ${sentence(6)}`,
    paragraphs: Array.from({ length: 18 }, () => sentence(28)),
  }));
  const out: IngestInput[] = [];
  const t0 = Date.parse('2026-11-25T00:00:00Z');
  for (let v = 0; v < perArticle; v++) {
    for (let a = 0; a < articles; a++) {
      const s = stories[a]!;
      if (v > 0) {
        const r = rng();
        if (r < 0.4) s.paragraphs.unshift(sentence(25));
        else if (r < 0.8) {
          const k = Math.floor(rng() * s.paragraphs.length);
          s.paragraphs[k] = s.paragraphs[k]!.replace(/\w+\.$/, `${sentence(3)}`);
        } else s.paragraphs.splice(Math.floor(rng() * s.paragraphs.length), 1, sentence(20), sentence(20));
        if (s.paragraphs.length > 30) s.paragraphs.pop();
      }
      const text = `${s.title}\n\n${s.paragraphs.join('\n\n')}\n`;
      out.push({
        article: `bench-story-${a}`,
        raw: new TextEncoder().encode(text),
        contentType: 'text/plain',
        text,
        origin: { kind: 'push' },
        fetchedAt: new Date(t0 + (v * articles + a) * 1000).toISOString(),
      });
    }
  }
  return out;
}

/** Writes each input's bytes to its own file with fsync (and the folder's fsync), as a durable store must at least. */
async function baselineWrite(dir: string, stream: readonly IngestInput[]): Promise<number> {
  const t0 = performance.now();
  let k = 0;
  const d = await open(dir, 'r');
  try {
    for (const v of stream) {
      const fh = await open(path.join(dir, `${k++}.raw`), 'w');
      try {
        await fh.writeFile(v.raw);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await d.sync();
    }
  } finally {
    await d.close();
  }
  return (performance.now() - t0) / stream.length;
}

async function pipeline(dir: string, stream: readonly IngestInput[], onEach?: (k: number) => void): Promise<number> {
  const fs = await openFileStore({ dir });
  try {
    const t0 = performance.now();
    let k = 0;
    for (const v of stream) {
      const o = await ingestVersion({ store: fs.store }, v, { variantWindow: 5, now: () => 0 });
      if (o.status !== 'new-version') throw new Error(`bench stream: expected a new version, got ${o.status}`);
      onEach?.(++k);
    }
    return (performance.now() - t0) / stream.length;
  } finally {
    await fs.close();
  }
}

export async function run(): Promise<BenchRow[]> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'wirediff-bench-watcher-'));
  try {
    const stream = makeStream(8, 25, 11); // 200 versions
    const pipeMs: number[] = [];
    const baseMs: number[] = [];
    // An untimed round first (the JIT compiles the extractor and the diff engine), then paired rounds; the figure is
    // the median of the per-round ratios, so load on the shared machine hits both sides of each ratio alike.
    await pipeline(await mkdtemp(path.join(root, 'warm-')), stream);
    for (let round_ = 0; round_ < 5; round_++) {
      baseMs.push(await baselineWrite(await mkdtemp(path.join(root, 'base-')), stream));
      pipeMs.push(await pipeline(await mkdtemp(path.join(root, 'store-')), stream));
    }
    const sorted = (xs: readonly number[]): number[] => [...xs].sort((a, b) => a - b);
    const p = median(sorted(pipeMs));
    const b = median(sorted(baseMs));
    const ratio = median(sorted(pipeMs.map((x, i) => x / baseMs[i]!)));
    const rows: BenchRow[] = [
      {
        group: GROUP,
        name: `ms per version, ${stream.length} updates of 8 stories (extract+diff+store+log) vs fsync'd file write`,
        value: round(p),
        unit: 'ms/version',
        baseline: round(b),
        ratio: round(ratio),
        target: '≤ 2×',
        pass: ratio <= 2,
        note: `median of 5 paired rounds (${sorted(pipeMs.map((x, i) => x / baseMs[i]!))
          .map((r) => r.toFixed(2))
          .join(' ')}); ${round(1000 / p)} versions/s vs ${round(1000 / b)} files/s`,
      },
    ];

    // Memory over a long stream: heap after GC at one third and at the end.
    const gc = gcFunction();
    const long = makeStream(10, 60, 29); // 600 versions
    const marks: number[] = [];
    const third = Math.floor(long.length / 3);
    await pipeline(await mkdtemp(path.join(root, 'long-')), long, (k) => {
      if ((k === third || k === long.length) && gc) {
        gc();
        gc();
        marks.push(process.memoryUsage().heapUsed / (1024 * 1024));
      }
    });
    const growth = marks.length === 2 ? marks[1]! - marks[0]! : NaN;
    const perVersionKiB = (growth * 1024) / (long.length - third);
    rows.push({
      group: GROUP,
      name: `heap growth per version over ${long.length} versions (after GC, from version ${third} to the end)`,
      value: round(perVersionKiB),
      unit: 'KiB/version',
      baseline: round(marks[0] ?? NaN),
      ratio: round(growth / (marks[0] ?? NaN)),
      target: '≤ 2 KiB/version (the index)',
      pass: perVersionKiB <= 2,
      note: gc ? `heap ${round(marks[0] ?? NaN)} → ${round(marks[1] ?? NaN)} MiB` : 'no gc available: not measured',
    });
    return rows;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
