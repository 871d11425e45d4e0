/**
 * Candidate pairs between a pool of removed and a pool of added paragraphs, with their similarity.
 *
 * Small pools (|removed| × |added| ≤ `fullCompareLimit`) are compared exhaustively. Larger pools never are (that
 * would be quadratic): each added paragraph is compared with
 * - the removed paragraphs at about the same relative position (a band of ±`BAND` around the diagonal), when the
 *   caller asks for it (paragraphs rewritten in place), and
 * - at most `MAX_BUCKET_CANDIDATES` removed paragraphs sharing a key of its shingle signature (bottom-k sketch of
 *   word pairs); a key held by more than `BUCKET_CAP` removed paragraphs says nothing and is skipped.
 * So a large pool costs O(n) similarity computations. Candidates are visited in a fixed order (pool order), so the
 * result is deterministic.
 */
import { diceMilli, type SideFeatures } from './features.js';
import { SIGNATURE_SIZE } from './similarity.js';

export const BAND = 1;
export const MAX_BUCKET_CANDIDATES = 6;
export const BUCKET_CAP = 16;

export interface Candidate {
  /** Position in the removed pool and in the added pool. */
  readonly r: number;
  readonly a: number;
  /** Similarity in thousandths (an integer, so sums are exact). */
  readonly w: number;
}

export function findCandidates(
  oldF: SideFeatures,
  newF: SideFeatures,
  removed: readonly number[],
  added: readonly number[],
  threshold: number,
  fullCompareLimit: number,
  band: boolean,
): Candidate[] {
  const out: Candidate[] = [];
  const nr = removed.length;
  const na = added.length;
  if (nr === 0 || na === 0) return out;
  const min = Math.round(threshold * 1000);
  if (nr * na <= fullCompareLimit) {
    for (let a = 0; a < na; a++) {
      const j = added[a]!;
      for (let r = 0; r < nr; r++) {
        const w = diceMilli(oldF, removed[r]!, newF, j);
        if (w >= min) out.push({ r, a, w });
      }
    }
    return out;
  }
  oldF.reserve(removed);
  newF.reserve(added);
  // Buckets: key → chain of removed positions, in an open-addressing table (keys are 30-bit, so -1 marks a free
  // slot); `head`/`count` per bucket, links per entry in `next`.
  const cap = nextPow2(nr * SIGNATURE_SIZE * 2);
  const keys = new Int32Array(cap).fill(-1);
  const head = new Int32Array(cap).fill(-1);
  const count = new Int32Array(cap);
  const next = new Int32Array(nr * SIGNATURE_SIZE).fill(-1);
  const owner = new Int32Array(nr * SIGNATURE_SIZE);
  let slots = 0;
  for (let r = nr - 1; r >= 0; r--) {
    const i = removed[r]!;
    oldF.ensure(i);
    const n = oldF.sigN[i]!;
    for (let s = 0; s < n; s++) {
      const key = oldF.sigs[i * SIGNATURE_SIZE + s]!;
      const b = probe(keys, key, cap);
      keys[b] = key;
      count[b]!++;
      if (count[b]! > BUCKET_CAP + 1) continue;
      owner[slots] = r;
      next[slots] = head[b]!;
      head[b] = slots;
      slots++;
    }
  }
  const tried: number[] = [];
  for (let a = 0; a < na; a++) {
    tried.length = 0;
    const j = added[a]!;
    newF.ensure(j);
    if (band) {
      const centre = Math.floor((a * nr) / na);
      const hi = Math.min(nr - 1, centre + BAND);
      for (let r = Math.max(0, centre - BAND); r <= hi; r++) {
        tried.push(r);
        const w = diceMilli(oldF, removed[r]!, newF, j);
        if (w >= min) out.push({ r, a, w });
      }
    }
    let taken = 0;
    const n = newF.sigN[j]!;
    for (let s = 0; s < n && taken < MAX_BUCKET_CANDIDATES; s++) {
      const b = probe(keys, newF.sigs[j * SIGNATURE_SIZE + s]!, cap);
      if (keys[b] === -1 || count[b]! > BUCKET_CAP) continue;
      for (let slot = head[b]!; slot >= 0 && taken < MAX_BUCKET_CANDIDATES; slot = next[slot]!) {
        const r = owner[slot]!;
        if (tried.includes(r)) continue;
        tried.push(r);
        taken++;
        const w = diceMilli(oldF, removed[r]!, newF, j);
        if (w >= min) out.push({ r, a, w });
      }
    }
  }
  return out;
}

function nextPow2(n: number): number {
  let p = 16;
  while (p < n) p *= 2;
  return p;
}

/** The slot of `key` in the table, or the free slot where it would go (linear probing). */
function probe(keys: Int32Array, key: number, cap: number): number {
  let b = Math.imul(key, 0x9e3779b1) >>> 0;
  b &= cap - 1;
  for (;;) {
    const k = keys[b]!;
    if (k === key || k === -1) return b;
    b = (b + 1) & (cap - 1);
  }
}
