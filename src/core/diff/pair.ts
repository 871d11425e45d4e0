/**
 * Pairing: inside one gap between aligned paragraphs, which removed paragraph became which added paragraph.
 *
 * Candidates at or above `EDIT_THRESHOLD` (see `candidates.ts` for how they are found without quadratic work) are
 * reduced to the order-preserving one-to-one pairing with the greatest total similarity (a weighted longest
 * increasing subsequence over a Fenwick tree, O(k log k)). Pairs must keep document order on both sides: a
 * crossing pair is not an edit in place but a move, and is left to `moves.ts`.
 */
import type { Candidate } from './candidates.js';

export interface Pair {
  /** Positions in the removed and added pools of the gap. */
  readonly r: number;
  readonly a: number;
  readonly w: number;
}

/** The best order-preserving pairing among `cands` (pool sizes `nr`, `na`). Deterministic for a given input order. */
export function bestMonotonePairing(cands: readonly Candidate[], nr: number): Pair[] {
  if (cands.length === 0) return [];
  // Order: added ascending, removed descending within the same added (so at most one pair per added is chained).
  const order = cands.map((_, k) => k);
  order.sort((x, y) => {
    const cx = cands[x]!;
    const cy = cands[y]!;
    return cx.a - cy.a || cy.r - cx.r;
  });
  // Fenwick tree over removed positions holding (best total, candidate index) prefix maxima.
  const treeVal = new Float64Array(nr + 1);
  const treeIdx = new Int32Array(nr + 1).fill(-1);
  const total = new Float64Array(cands.length);
  const prev = new Int32Array(cands.length).fill(-1);
  for (const k of order) {
    const c = cands[k]!;
    // Query best over removed positions < c.r (tree positions 1..c.r).
    let bestV = 0;
    let bestI = -1;
    for (let p = c.r; p > 0; p -= p & -p) {
      const v = treeVal[p]!;
      const ix = treeIdx[p]!;
      if (ix >= 0 && (v > bestV || (v === bestV && bestI >= 0 && ix < bestI))) {
        bestV = v;
        bestI = ix;
      }
    }
    total[k] = bestV + c.w;
    prev[k] = bestI;
    for (let p = c.r + 1; p <= nr; p += p & -p) {
      const v = treeVal[p]!;
      const ix = treeIdx[p]!;
      if (ix < 0 || total[k] > v || (total[k] === v && k < ix)) {
        treeVal[p] = total[k]!;
        treeIdx[p] = k;
      }
    }
  }
  let end = -1;
  for (let k = 0; k < cands.length; k++) {
    if (end < 0 || total[k]! > total[end]! || (total[k] === total[end] && k < end)) end = k;
  }
  const out: Pair[] = [];
  for (let k = end; k >= 0; k = prev[k]!) {
    const c = cands[k]!;
    out.push({ r: c.r, a: c.a, w: c.w });
  }
  out.reverse();
  return out;
}
