/**
 * Benchmark harness shared by every `tests/bench/<area>.bench.ts` module.
 *
 * A bench module exports `run(): Promise<BenchRow[]>`. Figures are ratios against a baseline measured in the same
 * run, on the same machine, under the same load (absolute times on a shared 2-core machine mean little).
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

export interface BenchRow {
  /** The area or input, e.g. `core-diff`. */
  group: string;
  /** What was measured, e.g. `(c) 10k paragraphs, half edited`. */
  name: string;
  /** The measured figure (median), in `unit`. */
  value: number;
  unit: string;
  /** The baseline measured in the same run, in the same unit. */
  baseline: number;
  /** value / baseline. */
  ratio: number;
  /** The target, e.g. `≤ 3×`. */
  target?: string;
  /** Whether the ratio meets the target. */
  pass?: boolean;
  note?: string;
}

export interface TimingOptions {
  /** Timed samples; the median is reported. Default 9. */
  samples?: number;
  /** Warm-up: at least this many untimed calls… Default 5. */
  warmup?: number;
  /** …and for at least this long, so the JIT has optimised the code before timing. Default 400 ms. */
  warmupMs?: number;
  /** Each sample repeats the function until it lasts about this long (for fast functions). Default 5 ms. */
  minSampleMs?: number;
}

export interface Timing {
  /** Median milliseconds per call. */
  medianMs: number;
  /** Fastest sample, milliseconds per call. */
  minMs: number;
  samples: number;
  /** Calls per sample. */
  batch: number;
}

/** Anything the benchmarked function returns is kept here so the work cannot be optimised away. */
export let sink: unknown = undefined;

function nowNs(): bigint {
  return process.hrtime.bigint();
}

/**
 * Warms `fn` up (at least `warmup` calls and `warmupMs`), and returns how many calls make one sample of about
 * `minSampleMs`, from the median call time of the second half of the warm-up.
 */
function warmUp(fn: () => unknown, options: TimingOptions): number {
  const minCalls = options.warmup ?? 5;
  const warmNs = BigInt(Math.round((options.warmupMs ?? 400) * 1e6));
  const minSampleNs = (options.minSampleMs ?? 5) * 1e6;
  const times: number[] = [];
  const start = nowNs();
  while (times.length < minCalls || nowNs() - start < warmNs) {
    const t0 = nowNs();
    sink = fn();
    times.push(Number(nowNs() - t0));
  }
  const late = times.slice(times.length >> 1).sort((a, b) => a - b);
  const per = Math.max(1, median(late));
  return Math.min(1 << 20, Math.max(1, Math.ceil(minSampleNs / per)));
}

function sampleOnce(fn: () => unknown, batch: number): number {
  const t0 = nowNs();
  for (let k = 0; k < batch; k++) sink = fn();
  return Number(nowNs() - t0) / 1e6 / batch;
}

function summarise(times: number[], batch: number): Timing {
  times.sort((a, b) => a - b);
  return { medianMs: median(times), minMs: times[0]!, samples: times.length, batch };
}

/** Median time per call of `fn`, over repeated samples, with `process.hrtime.bigint()`. */
export function timeMedian(fn: () => unknown, options: TimingOptions = {}): Timing {
  const batch = warmUp(fn, options);
  const times: number[] = [];
  for (let s = 0; s < (options.samples ?? 9); s++) times.push(sampleOnce(fn, batch));
  return summarise(times, batch);
}

/**
 * Times a baseline and a subject with their samples interleaved (baseline, subject, baseline, …), so both see the
 * same machine load; returns the median of each. Use this for ratios on a shared machine.
 */
export function timeInterleaved(
  baseline: () => unknown,
  subject: () => unknown,
  options: TimingOptions = {},
): { baseline: Timing; subject: Timing } {
  const bBatch = warmUp(baseline, options);
  const sBatch = warmUp(subject, options);
  const bTimes: number[] = [];
  const sTimes: number[] = [];
  for (let s = 0; s < (options.samples ?? 9); s++) {
    bTimes.push(sampleOnce(baseline, bBatch));
    sTimes.push(sampleOnce(subject, sBatch));
  }
  return { baseline: summarise(bTimes, bBatch), subject: summarise(sTimes, sBatch) };
}

export function median(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const mid = n >>> 1;
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A seeded PRNG (mulberry32): the same seed gives the same sequence on every machine (the watcher's jitter's). */
export { seededRandom } from '../../src/watch/backoff.js';

/** An integer in [0, n) from a PRNG. */
export function randInt(rng: () => number, n: number): number {
  return Math.floor(rng() * n);
}

/** FNV-1a 32-bit over the UTF-16 code units of a string: the "fast non-cryptographic hash" of the floors. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < s.length; k++) h = Math.imul(h ^ s.charCodeAt(k), 0x01000193);
  return h >>> 0;
}

let gcCached: (() => void) | null | undefined;

/**
 * The garbage collector: `globalThis.gc` when node runs with `--expose-gc` (as `npm run bench` does), else one
 * obtained by setting the flag at run time; undefined when neither works.
 */
export function gcFunction(): (() => void) | undefined {
  if (gcCached === undefined) {
    const existing = (globalThis as { gc?: () => void }).gc;
    if (typeof existing === 'function') gcCached = existing;
    else {
      try {
        v8.setFlagsFromString('--expose-gc');
        gcCached = vm.runInNewContext('gc') as () => void;
      } catch {
        gcCached = null;
      }
    }
  }
  return gcCached ?? undefined;
}

/** Runs a full garbage collection; returns whether it could. */
export function collectGarbage(): boolean {
  const gc = gcFunction();
  if (gc === undefined) return false;
  gc();
  return true;
}

/** Heap in use, in MiB. */
export function heapUsedMiB(): number {
  return process.memoryUsage().heapUsed / (1024 * 1024);
}

/**
 * Heap retained by what `fn` returns, in MiB (heap after minus heap before, each after a full GC). NaN when node
 * runs without `--expose-gc` (the figure would be noise).
 */
export function retainedHeapMiB(fn: () => unknown): number {
  if (!collectGarbage()) return NaN;
  const before = heapUsedMiB();
  const kept = fn();
  collectGarbage();
  const after = heapUsedMiB();
  sink = kept;
  return after - before;
}

/** A row comparing a value to its baseline against a ratio target (`value / baseline ≤ maxRatio`). */
export function ratioRow(fields: {
  group: string;
  name: string;
  value: number;
  unit: string;
  baseline: number;
  maxRatio?: number;
  note?: string;
}): BenchRow {
  const ratio = fields.baseline > 0 ? fields.value / fields.baseline : NaN;
  const row: BenchRow = {
    group: fields.group,
    name: fields.name,
    value: round(fields.value),
    unit: fields.unit,
    baseline: round(fields.baseline),
    ratio: round(ratio),
  };
  if (fields.maxRatio !== undefined) {
    row.target = `≤ ${fields.maxRatio}×`;
    row.pass = ratio <= fields.maxRatio;
  }
  if (fields.note !== undefined) row.note = fields.note;
  return row;
}

/** Rounds to 4 significant digits (for printing and JSON). */
export function round(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  return Number(x.toPrecision(4));
}

/** The rows as one aligned text table. */
export function formatTable(rows: readonly BenchRow[]): string {
  const head = ['group', 'name', 'value', 'unit', 'baseline', 'ratio', 'target', 'pass', 'note'];
  const body = rows.map((r) => [
    r.group,
    r.name,
    String(r.value),
    r.unit,
    String(r.baseline),
    Number.isFinite(r.ratio) ? `${r.ratio}×` : String(r.ratio),
    r.target ?? '',
    r.pass === undefined ? '' : r.pass ? 'ok' : 'FAIL',
    r.note ?? '',
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...body.map((line) => line[c]!.length)));
  const numeric = new Set([2, 4, 5]);
  const fmt = (line: readonly string[]): string =>
    line
      .map((cell, c) => (numeric.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [fmt(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(fmt)].join('\n');
}
