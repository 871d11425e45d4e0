/**
 * Candidate pairs between a pool of removed and a pool of added paragraphs, with their similarity.
 *
 * Small pools (|removed| × |added| ≤ `fullCompareLimit`) are compared exhaustively. Larger pools never are (that
 * would be quadratic): each added paragraph is compared with
 * - the removed paragraphs at about the same relative position (a band of ±`BAND` around the diagonal), when the
 *   caller asks for it (paragraphs rewritten in place), and
 * - at most `MAX_BUCKET_CANDIDATES` removed paragraphs sharing a key of its shingle signature (bottom-k sketch of
 *   word pairs); a key held by more than `BUCKET_CAP` removed paragraphs says nothing and is skipped.
 * Candidates are visited in a fixed order (pool order), so the result is deterministic.
 */
import type { SideFeatures } from './features.js';
import { dice } from './similarity.js';

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
  if (nr * na <= fullCompareLimit) {
    for (let a = 0; a < na; a++) {
      const sa = newF.set(added[a]!);
      for (let r = 0; r < nr; r++) {
        const s = dice(oldF.set(removed[r]!), sa);
        if (s >= threshold) out.push({ r, a, w: Math.round(s * 1000) });
      }
    }
    return out;
  }
  const buckets = new Map<number, number[]>();
  for (let r = 0; r < nr; r++) {
    for (const key of oldF.signature(removed[r]!)) {
      const list = buckets.get(key);
      if (list === undefined) buckets.set(key, [r]);
      else if (list.length <= BUCKET_CAP) list.push(r);
    }
  }
  const tried = new Set<number>();
  for (let a = 0; a < na; a++) {
    tried.clear();
    const sa = newF.set(added[a]!);
    const consider = (r: number): void => {
      if (tried.has(r)) return;
      tried.add(r);
      const s = dice(oldF.set(removed[r]!), sa);
      if (s >= threshold) out.push({ r, a, w: Math.round(s * 1000) });
    };
    if (band) {
      const centre = Math.floor((a * nr) / na);
      for (let r = Math.max(0, centre - BAND); r <= Math.min(nr - 1, centre + BAND); r++) consider(r);
    }
    let taken = 0;
    for (const key of newF.signature(added[a]!)) {
      const list = buckets.get(key);
      if (list === undefined || list.length > BUCKET_CAP) continue;
      for (const r of list) {
        if (taken >= MAX_BUCKET_CANDIDATES) break;
        if (!tried.has(r)) taken++;
        consider(r);
      }
    }
  }
  return out;
}
