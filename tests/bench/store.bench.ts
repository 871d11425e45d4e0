/**
 * The snapshot store in the versioning pipeline, end to end: parse (parseArticle + contentHash) → diff against the
 * latest stored version (diffVersions) → store and log (commitVersion: one version file, atomic and durable, naming
 * its event, which the log then writes). Called directly, without the watcher's guards (see watcher.bench.ts for the same through ingestVersion).
 *
 * Rows:
 * - versions ingested per second vs writing the same raw bytes to files with fsync (one new file per version, file
 *   and folder fsynced), in the same run. Target: at least 0.5× that rate.
 * - the same with four articles in flight against four concurrent raw-byte writers (the watcher's shape).
 * - the same pipeline vs writing every byte the store writes (raw + JSON document as one fsync'd file, the event
 *   record appended) as plain files, for reference: what the store's own bookkeeping costs on top of the bytes.
 * - heap over a long stream: heapUsed after a full GC at 1/4 of the stream and at the end; the growth per version
 *   must stay within the index (a meta per version and three numbers per event).
 * - stored bytes per version (the version file, document and raw bytes, and the event record) against the raw bytes,
 *   on the same update stream. Target: at most 1.5×.
 * - memory per event: heap and buffers held (after the log's writes settle and a full GC) after 20 and after 40 events
 *   of 1 MB, and of 100 KB (4 articles): the growth per event over the last 20, once the caches are full. Target: bounded caches (the event
 *   tail, the newest versions), so that the growth per event is next to nothing, however large the events. (It was
 *   about one text per event: the index kept each version's meta, whose title and summary were V8 substrings of the
 *   whole text, holding it alive; metas now own their strings: meta-index.ts `ownMeta`.)
 */
import { mkdtemp, open, readdir, rm, stat } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { contentHash, parseArticle } from '../../src/core/extract/index.js';
import { diffVersions } from '../../src/core/diff/index.js';
import type { FileEventLog } from '../../src/store/file/event-log.js';
import { openFileStore } from '../../src/store/open.js';
import { gcFunction, median, round, seededRandom, type BenchRow } from './harness.js';

const GROUP = 'store';
const WORDS = (
  'the minister said on tuesday that talks would resume after rebels seized the northern town while aid groups ' +
  'warned of shortages and witnesses described heavy shelling near the border crossing as officials urged calm ' +
  'across the region police confirmed casualties hospital sources reported dozens wounded overnight'
).split(' ');

interface Update {
  readonly article: string;
  readonly fetchedAt: string;
  readonly text: string;
  readonly raw: Uint8Array;
}

/** A seeded stream: `articles` stories, each updated `perArticle` times (a new top paragraph, an edit, a split…). */
function makeStream(articles: number, perArticle: number, seed: number): Update[] {
  const rng = seededRandom(seed);
  const sentence = (n: number): string =>
    Array.from({ length: n }, () => WORDS[Math.floor(rng() * WORDS.length)]!).join(' ') + '.';
  const stories = Array.from({ length: articles }, (_, a) => ({
    title: `Story ${a}: ${sentence(7)}`,
    paragraphs: Array.from({ length: 16 + Math.floor(rng() * 10) }, () => sentence(20 + Math.floor(rng() * 20))),
  }));
  const t0 = Date.parse('2026-11-25T00:00:00Z');
  const out: Update[] = [];
  for (let v = 0; v < perArticle; v++) {
    for (let a = 0; a < articles; a++) {
      const s = stories[a]!;
      if (v > 0) {
        const r = rng();
        if (r < 0.35) s.paragraphs.unshift(sentence(25));
        else if (r < 0.7) {
          const k = Math.floor(rng() * s.paragraphs.length);
          s.paragraphs[k] = s.paragraphs[k]!.replace(/\w+\.$/, sentence(4));
        } else if (r < 0.85)
          s.paragraphs.splice(Math.floor(rng() * s.paragraphs.length), 1, sentence(18), sentence(18));
        else s.title = `Story ${a}: ${sentence(7)}`;
        if (s.paragraphs.length > 30) s.paragraphs.pop();
      }
      const text = `${s.title}\n\n${s.paragraphs.join('\n\n')}\n`;
      out.push({
        article: `bench-story-${a}`,
        fetchedAt: new Date(t0 + (v * articles + a) * 1000).toISOString(),
        text,
        raw: Buffer.from(text, 'utf8'),
      });
    }
  }
  return out;
}

/** What the store writes for a version, measured by the pipeline so the second baseline writes the same bytes. */
interface Written {
  raw: number;
  doc: number;
  file: string;
  event: number;
}

/** parse → diff → store → log for every update; returns ms per version. */
type Opened = Awaited<ReturnType<typeof openFileStore>> & { readonly dir: string };

/** One update through parse → diff → store → log. */
async function ingestOne(fs: Opened, u: Update, written?: Written[]): Promise<void> {
  const parsed = parseArticle({ body: u.text, format: 'text' });
  const hash = contentHash(parsed);
  const prev = await fs.store.getLatest(u.article);
  const changes = prev ? diffVersions(prev.article, parsed) : null;
  const { meta, event } = await fs.store.commitVersion(
    {
      article: u.article,
      fetchedAt: u.fetchedAt,
      origin: { kind: 'push' },
      contentType: 'text/plain; charset=utf-8',
      raw: u.raw,
      parsed,
      contentHash: hash,
      changes,
      expectedLatest: prev?.meta.version ?? 0,
    },
    { at: u.fetchedAt },
  );
  if (written) {
    written.push({
      raw: u.raw.byteLength,
      // The version file's size (document and raw bytes, compressed together): measured once the round is done.
      doc: 0,
      file: path.join(fs.dir, 'articles', u.article, `${String(meta.version).padStart(6, '0')}.wdv`),
      event: Buffer.byteLength(JSON.stringify(event)) + 12,
    });
  }
}

/** parse → diff → store → log for every update, one at a time; returns ms per version. */
async function pipeline(
  dir: string,
  stream: readonly Update[],
  onEach?: (k: number) => void,
  written?: Written[],
): Promise<number> {
  const fs = { ...(await openFileStore({ dir })), dir };
  try {
    const t0 = performance.now();
    let k = 0;
    for (const u of stream) {
      await ingestOne(fs, u, written);
      onEach?.(++k);
    }
    return (performance.now() - t0) / stream.length;
  } finally {
    await fs.close();
  }
}

/** Splits the stream into `lanes` queues by article (each article's updates stay in order in one lane). */
function lanesOf(stream: readonly Update[], lanes: number): Update[][] {
  const out: Update[][] = Array.from({ length: lanes }, () => []);
  for (const u of stream) out[Number(u.article.split('-').pop()) % lanes]!.push(u);
  return out;
}

/** The pipeline with `lanes` articles in flight at once (as the watcher polls several sources); ms per version. */
async function pipelineConcurrent(dir: string, stream: readonly Update[], lanes: number): Promise<number> {
  const fs = { ...(await openFileStore({ dir })), dir };
  try {
    const t0 = performance.now();
    await Promise.all(
      lanesOf(stream, lanes).map(async (lane) => {
        for (const u of lane) await ingestOne(fs, u);
      }),
    );
    return (performance.now() - t0) / stream.length;
  } finally {
    await fs.close();
  }
}

/** The raw-byte baseline with the same number of writers in flight. */
async function baselineRawConcurrent(dir: string, stream: readonly Update[], lanes: number): Promise<number> {
  const d = await open(dir, 'r');
  try {
    const t0 = performance.now();
    let k = 0;
    await Promise.all(
      lanesOf(stream, lanes).map(async (lane) => {
        for (const u of lane) {
          await writeDurably(path.join(dir, `${k++}.raw`), u.raw);
          await d.sync();
        }
      }),
    );
    return (performance.now() - t0) / stream.length;
  } finally {
    await d.close();
  }
}

async function writeDurably(file: string, data: Uint8Array): Promise<void> {
  const fh = await open(file, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Each update's raw bytes to a new file, file and folder fsynced. Returns ms per version. */
async function baselineRaw(dir: string, stream: readonly Update[]): Promise<number> {
  const d = await open(dir, 'r');
  try {
    const t0 = performance.now();
    let k = 0;
    for (const u of stream) {
      await writeDurably(path.join(dir, `${k++}.raw`), u.raw);
      await d.sync();
    }
    return (performance.now() - t0) / stream.length;
  } finally {
    await d.close();
  }
}

/**
 * Every byte the store wrote per version, written the way a plain program would: raw bytes and document in one new
 * file, fsynced with its folder, and the event record appended to a log (unflushed, as the store does: the version
 * file holds the event durably).
 */
async function baselineAllBytes(dir: string, stream: readonly Update[], written: readonly Written[]): Promise<number> {
  const d = await open(dir, 'r');
  const log = await open(path.join(dir, 'events.log'), 'a');
  try {
    const t0 = performance.now();
    for (let k = 0; k < stream.length; k++) {
      const w = written[k]!;
      await writeDurably(path.join(dir, `${k}.wdv`), Buffer.alloc(w.doc, 0x20));
      await d.sync();
      await log.write(Buffer.alloc(w.event, 0x20));
    }
    return (performance.now() - t0) / stream.length;
  } finally {
    await log.close();
    await d.close();
  }
}

export async function run(): Promise<BenchRow[]> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'wirediff-bench-store-'));
  try {
    const stream = makeStream(10, 12, 20261125); // 120 versions
    const pipeMs: number[] = [];
    const rawMs: number[] = [];
    const allMs: number[] = [];
    const written: Written[] = [];
    // One untimed round first, so the parser and the diff engine are compiled by the JIT before timing (the first
    // pass over the stream runs several times slower). Then paired rounds, interleaved, so that load on the shared
    // machine hits the pipeline and its baselines alike; the figure is the median of the per-round ratios.
    await pipeline(await mkdtemp(path.join(root, 'warm-')), stream);
    let stored: { files: number; log: number } | undefined;
    for (let r = 0; r < 5; r++) {
      const storeDir = await mkdtemp(path.join(root, 'store-'));
      pipeMs.push(await pipeline(storeDir, stream, undefined, r === 0 ? written : undefined));
      if (r === 0) {
        for (const w of written) w.doc = (await stat(w.file)).size;
        stored = await storedBytes(storeDir);
        const perEvent = stored.log / written.length;
        for (const w of written) w.event = perEvent;
      }
      rawMs.push(await baselineRaw(await mkdtemp(path.join(root, 'raw-')), stream));
      allMs.push(await baselineAllBytes(await mkdtemp(path.join(root, 'all-')), stream, written));
    }
    const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);
    const p = median(sorted(pipeMs));
    const b1 = median(sorted(rawMs));
    const b2 = median(sorted(allMs));
    const r1 = median(sorted(pipeMs.map((x, i) => rawMs[i]! / x)));
    const r2 = median(sorted(pipeMs.map((x, i) => allMs[i]! / x)));
    const avg = (f: (w: Written) => number): number => written.reduce((s, w) => s + f(w), 0) / written.length;
    const rows: BenchRow[] = [
      {
        group: GROUP,
        name: `versions/s, ${stream.length} updates of 10 stories: parse+diff+store+log vs fsync'd raw-byte files`,
        value: round(1000 / p),
        unit: 'versions/s',
        baseline: round(1000 / b1),
        ratio: round(r1),
        target: '≥ 0.5×',
        pass: r1 >= 0.5,
        note: `median of 5 paired rounds (${sorted(pipeMs.map((x, i) => rawMs[i]! / x))
          .map((r) => r.toFixed(2))
          .join(
            ' ',
          )}); ${round(p)} ms/version vs ${round(b1)} ms/file; raw ${round(avg((w) => w.raw) / 1024)} KiB/version`,
      },
      {
        group: GROUP,
        name: "same pipeline vs writing all its bytes (raw + JSON doc in one fsync'd file, event record appended)",
        value: round(1000 / p),
        unit: 'versions/s',
        baseline: round(1000 / b2),
        ratio: round(r2),
        note: `for reference; version file ${round(avg((w) => w.doc) / 1024)} KiB, event ${round(avg((w) => w.event) / 1024)} KiB per version`,
      },
    ];
    const rawTotal = written.reduce((n, w) => n + w.raw, 0);
    const storedRatio = stored ? (stored.files + stored.log) / rawTotal : NaN;
    rows.push({
      group: GROUP,
      name: `stored bytes per version (version file: document + raw; event record) vs raw bytes, ${stream.length} updates`,
      value: round(stored ? (stored.files + stored.log) / written.length / 1024 : NaN),
      unit: 'KiB/version',
      baseline: round(rawTotal / written.length / 1024),
      ratio: round(storedRatio),
      target: '≤ 1.5×',
      pass: storedRatio <= 1.5,
      note: stored
        ? `version files ${round(stored.files / written.length / 1024)} KiB, events.log ${round(stored.log / written.length / 1024)} KiB per version; baseline = raw KiB/version`
        : 'not measured',
    });

    // Four articles in flight at once: commits of different versions (and event appends) share journal flushes.
    const cPipe: number[] = [];
    const cBase: number[] = [];
    for (let r = 0; r < 3; r++) {
      cPipe.push(await pipelineConcurrent(await mkdtemp(path.join(root, 'cstore-')), stream, 4));
      cBase.push(await baselineRawConcurrent(await mkdtemp(path.join(root, 'craw-')), stream, 4));
    }
    const cp = median(sorted(cPipe));
    const cb = median(sorted(cBase));
    const cr = median(sorted(cPipe.map((x, i) => cBase[i]! / x)));
    rows.push({
      group: GROUP,
      name: 'same, 4 articles in flight (as the watcher polls sources concurrently) vs 4 concurrent raw-byte writers',
      value: round(1000 / cp),
      unit: 'versions/s',
      baseline: round(1000 / cb),
      ratio: round(cr),
      target: '≥ 0.5×',
      pass: cr >= 0.5,
      note: `median of 3 paired rounds; ${round(cp)} ms/version vs ${round(cb)} ms/file`,
    });

    // Memory over a long stream: heap after a full GC at 1/4 and at the end.
    const gc = gcFunction();
    const long = makeStream(20, 60, 7); // 1200 versions
    const quarter = Math.floor(long.length / 4);
    const marks: number[] = [];
    await pipeline(await mkdtemp(path.join(root, 'long-')), long, (k) => {
      if ((k === quarter || k === long.length) && gc) {
        gc();
        gc();
        marks.push(process.memoryUsage().heapUsed / 1024);
      }
    });
    const perVersion = marks.length === 2 ? (marks[1]! - marks[0]!) / (long.length - quarter) : NaN;
    rows.push({
      group: GROUP,
      name: `heap growth per version over ${long.length} versions of 20 stories (after GC, from version ${quarter} to the end)`,
      value: round(perVersion),
      unit: 'KiB/version',
      baseline: round((marks[0] ?? NaN) / 1024),
      ratio: round(marks.length === 2 ? marks[1]! / marks[0]! : NaN),
      target: '≤ 2 KiB/version (the index)',
      pass: perVersion <= 2,
      note: gc
        ? `heapUsed ${round(marks[0]! / 1024)} → ${round(marks[1]! / 1024)} MiB (baseline = MiB at 1/4, ratio = end/quarter)`
        : 'no gc available: not measured',
    });
    // Two event sizes: once the caches are full, memory must stay flat, however large the events.
    rows.push(await memoryPerEvent(root, gc, 1_000_000));
    rows.push(await memoryPerEvent(root, gc, 100_000));
    return rows;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** The bytes of the version files and of the event log in a store folder (the index caches left out). */
async function storedBytes(dir: string): Promise<{ files: number; log: number }> {
  let files = 0;
  for (const e of await readdir(path.join(dir, 'articles'), { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.endsWith('.wdv')) files += (await stat(path.join(e.parentPath, e.name))).size;
  }
  return { files, log: (await stat(path.join(dir, 'events.log'))).size };
}

/**
 * Heap and buffers held after committing 40 events of about 1 MB each (4 articles, each version a new text),
 * measured after a full GC against the same store before them: what the store and the log keep in memory per event.
 */
/**
 * Events before the memory row's first measure: by then the caches are full for both sizes (the log's tail holds 4 MiB
 * of JSON, 9 or so events of a 100 KB text replaced whole; the newest versions of the 4 articles), so what grows after
 * it grows per event.
 */
const FROM = 20;

export async function memoryPerEvent(root: string, gc: (() => void) | undefined, textBytes: number): Promise<BenchRow> {
  const size = textBytes >= 1e6 ? `${textBytes / 1e6} MB` : `${textBytes / 1e3} KB`;
  const name = `memory growth per event from the ${FROM}th to the 40th event of ~${size} text (4 articles), after GC`;
  if (!gc) {
    return {
      group: GROUP,
      name,
      value: NaN,
      unit: 'KiB/event',
      baseline: NaN,
      ratio: NaN,
      note: 'no gc: not measured',
    };
  }
  const rng = seededRandom(11);
  const big = (k: number): string => {
    const paras: string[] = [`Story headline ${k}`];
    let size = 0;
    while (size < textBytes) {
      const p = Array.from({ length: 40 }, () => WORDS[Math.floor(rng() * WORDS.length)]!).join(' ') + ` (${k}).`;
      paras.push(p);
      size += p.length + 2;
    }
    return paras.join('\n\n');
  };
  const fs = { ...(await openFileStore({ dir: await mkdtemp(path.join(root, 'mem-')) })), dir: '' };
  try {
    const held = async (): Promise<number> => {
      // Settled first: the log's records waiting to be copied to the file are written (within 100 ms), and the
      // buffers of the last commit's compression are released; then two full collections.
      await new Promise((r) => setTimeout(r, 250));
      gc();
      gc();
      const m = process.memoryUsage();
      // `external` already counts the array buffers.
      return m.heapUsed + m.external;
    };
    const start = await held();
    let before = start;
    let textTotal = 0;
    for (let k = 0; k < 40; k++) {
      if (k === FROM) before = await held();
      const text = big(k);
      textTotal += text.length;
      await ingestOne(fs, {
        article: `mem-${k % 4}`,
        fetchedAt: new Date(Date.UTC(2026, 10, 25, 0, k)).toISOString(),
        text,
        raw: Buffer.from(text, 'utf8'),
      });
    }
    const after = await held();
    const cached = (fs.log as FileEventLog).cached;
    const heapAfter = process.memoryUsage().heapUsed;
    const perEvent = (after - before) / (40 - FROM) / 1024;
    return {
      group: GROUP,
      name,
      value: round(perEvent),
      unit: 'KiB/event',
      baseline: round(textTotal / 40 / 1024),
      ratio: round((after - before) / (40 - FROM) / (textTotal / 40)),
      target: '≤ 0.05× the event text',
      pass: (after - before) / (40 - FROM) <= (textTotal / 40) * 0.05,
      note: `held ${round(start / 1048576)} MiB before, ${round(before / 1048576)} after ${FROM} events, ${round(after / 1048576)} after 40 (heap ${round(heapAfter / 1048576)}); the log's tail: ${cached.events} events, ${round(cached.bytes / 1048576)} MiB of JSON; baseline = KiB of text per event`,
    };
  } finally {
    await fs.close();
  }
}
