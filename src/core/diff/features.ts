/**
 * Per-paragraph features for similarity, computed lazily (a paragraph aligned as unchanged is never tokenized) and
 * kept in flat typed arrays per side, so tokenizing 10,000 paragraphs makes a handful of allocations, not 30,000.
 *
 * For each tokenized paragraph: its word set (sorted, de-duplicated 32-bit word hashes, see `similarity.ts`), its
 * word count and its shingle signature (the `SIGNATURE_SIZE` smallest mixed hashes of consecutive word pairs,
 * as non-negative 30-bit integers).
 */
import { hashWordsInto, intersectionSize, mix32, SIGNATURE_SIZE, wordRoom } from './similarity.js';

const EMPTY = new Int32Array(0);

export class SideFeatures {
  readonly texts: readonly string[];
  readonly norms: readonly string[];
  /** Word sets of the tokenized paragraphs, back to back. Reallocated as it grows: read it through `buf` each time. */
  buf: Int32Array;
  private used = 0;
  /** Start of paragraph i's set in `buf` (-1: not tokenized yet), and its size. */
  readonly start: Int32Array;
  readonly size: Int32Array;
  private readonly counts: Int32Array;
  /** Signature keys, `SIGNATURE_SIZE` slots per paragraph, and how many are used. */
  readonly sigs: Int32Array;
  readonly sigN: Uint8Array;

  constructor(texts: readonly string[], norms: readonly string[]) {
    this.texts = texts;
    this.norms = norms;
    const n = texts.length;
    this.start = new Int32Array(n).fill(-1);
    this.size = new Int32Array(n);
    this.counts = new Int32Array(n);
    this.sigs = new Int32Array(n * SIGNATURE_SIZE);
    this.sigN = new Uint8Array(n);
    this.buf = EMPTY;
  }

  get length(): number {
    return this.texts.length;
  }

  /** Makes room in `buf` for the paragraphs `indexes` at once (before tokenizing a large pool). */
  reserve(indexes: readonly number[]): void {
    let need = this.used;
    for (const i of indexes) if (this.start[i]! < 0) need += (this.norms[i]!.length >> 1) + 2;
    if (need > this.buf.length) this.growTo(need);
  }

  private growTo(need: number): void {
    const bigger = new Int32Array(Math.max(need, this.buf.length * 2, 1024));
    bigger.set(this.buf.subarray(0, this.used));
    this.buf = bigger;
  }

  /** Tokenizes paragraph i if not done yet. */
  ensure(i: number): void {
    if (this.start[i]! >= 0) return;
    const text = this.norms[i]!;
    const s = this.used;
    const need = s + wordRoom(text);
    if (need > this.buf.length) this.growTo(need);
    const buf = this.buf;
    const m = hashWordsInto(text, buf, s);
    this.counts[i] = m;
    this.signatureOf(i, buf, s, m);
    // Sort the run in place (insertion sort for short runs: no allocation), then de-duplicate.
    if (m <= 64) {
      for (let x = s + 1; x < s + m; x++) {
        const v = buf[x]!;
        let y = x - 1;
        while (y >= s && buf[y]! > v) {
          buf[y + 1] = buf[y]!;
          y--;
        }
        buf[y + 1] = v;
      }
    } else {
      buf.subarray(s, s + m).sort();
    }
    let w = 0;
    for (let r = 0; r < m; r++) {
      if (w === 0 || buf[s + r] !== buf[s + w - 1]) buf[s + w++] = buf[s + r]!;
    }
    this.start[i] = s;
    this.size[i] = w;
    this.used = s + w;
  }

  private signatureOf(i: number, buf: Int32Array, s: number, m: number): void {
    const base = i * SIGNATURE_SIZE;
    const sigs = this.sigs;
    let n = 0;
    const end = s + m;
    for (let k = m === 1 ? s : s + 1; k < end; k++) {
      const v = (m === 1 ? mix32(buf[k]!) : mix32(Math.imul(buf[k - 1]!, 31) ^ buf[k]!)) >>> 2;
      // Insert v into the sorted slots sigs[base .. base+n), keeping the SIGNATURE_SIZE smallest, no duplicates.
      if (n === SIGNATURE_SIZE && v >= sigs[base + n - 1]!) continue;
      let p = n;
      while (p > 0 && sigs[base + p - 1]! > v) p--;
      if (p > 0 && sigs[base + p - 1] === v) continue;
      for (let q = Math.min(n, SIGNATURE_SIZE - 1); q > p; q--) sigs[base + q] = sigs[base + q - 1]!;
      sigs[base + p] = v;
      if (n < SIGNATURE_SIZE) n++;
    }
    this.sigN[i] = n;
  }

  /** A copy of paragraph i's word set. */
  set(i: number): Int32Array {
    this.ensure(i);
    const s = this.start[i]!;
    return this.buf.slice(s, s + this.size[i]!);
  }

  /** Number of words in paragraph i's normalized text. */
  wordCount(i: number): number {
    this.ensure(i);
    return this.counts[i]!;
  }
}

/**
 * Dice similarity of paragraph i of `a` and paragraph j of `b` (see `similarity.ts`), in thousandths (an integer,
 * so sums and comparisons are exact).
 */
export function diceMilli(a: SideFeatures, i: number, b: SideFeatures, j: number): number {
  a.ensure(i);
  b.ensure(j);
  const na = a.size[i]!;
  const nb = b.size[j]!;
  if (na === 0 && nb === 0) return 1000;
  if (na === 0 || nb === 0) return 0;
  const x = a.start[i]!;
  const y = b.start[j]!;
  const common = intersectionSize(a.buf, b.buf, x, x + na, y, y + nb);
  return Math.round((2000 * common) / (na + nb));
}
