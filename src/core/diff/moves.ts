/**
 * Moves: a removed paragraph and an added one, anywhere in the documents, that are the same paragraph.
 *
 * 1. Same normalized text (a paragraph moved unchanged, or with cosmetic changes only): matched first, in document
 *    order (the k-th added copy takes the k-th removed copy), with a Map — linear.
 * 2. Similar text (moved and edited): candidates at or above `MOVE_THRESHOLD` (`candidates.ts`: exhaustive for
 *    small pools, shingle-signature buckets for large ones), then greedily taken best first (ties: earlier new,
 *    then earlier old paragraph), one-to-one. When every leftover paragraph lies in the one large gap the pairing
 *    stage already searched (a big rewrite), its candidates are reused instead of searching the same pool twice.
 */
import { findCandidates, type Candidate } from './candidates.js';
import { MOVE_THRESHOLD } from './similarity.js';
import { type DiffState, NewSource, OldFate } from './state.js';

/** The candidates already found for one large gap (`engine.ts`), reusable when every leftover paragraph lies in it. */
export interface SearchedGap {
  readonly removed: readonly number[];
  readonly added: readonly number[];
  readonly cands: readonly Candidate[];
}

export function findMoves(st: DiffState, fullCompareLimit: number, searched: SearchedGap | null): void {
  const removed: number[] = [];
  const added: number[] = [];
  for (let i = 0; i < st.oldKind.length; i++) if (st.oldKind[i] === OldFate.deleted) removed.push(i);
  for (let j = 0; j < st.newKind.length; j++) if (st.newKind[j] === NewSource.inserted) added.push(j);
  if (removed.length === 0 || added.length === 0) return;

  const byNorm = new Map<string, number[]>();
  for (let k = removed.length - 1; k >= 0; k--) {
    const i = removed[k]!;
    const norm = st.oldF.norms[i]!;
    const list = byNorm.get(norm);
    if (list === undefined) byNorm.set(norm, [i]);
    else list.push(i);
  }
  for (const j of added) {
    const list = byNorm.get(st.newF.norms[j]!);
    if (list === undefined || list.length === 0) continue;
    st.link(list.pop()!, j, OldFate.moved, NewSource.moved, 1000);
  }

  const restOld = removed.filter((i) => st.oldKind[i] === OldFate.deleted);
  const restNew = added.filter((j) => st.newKind[j] === NewSource.inserted);
  if (restOld.length === 0 || restNew.length === 0) return;
  let pairs: { i: number; j: number; w: number }[];
  if (searched !== null && within(restOld, searched.removed) && within(restNew, searched.added)) {
    // Every leftover lies in the one large gap whose candidates were already found (at the lower edit threshold).
    const min = Math.round(MOVE_THRESHOLD * 1000);
    pairs = searched.cands
      .filter((c) => c.w >= min)
      .map((c) => ({ i: searched.removed[c.r]!, j: searched.added[c.a]!, w: c.w }));
  } else {
    pairs = findCandidates(st.oldF, st.newF, restOld, restNew, MOVE_THRESHOLD, fullCompareLimit, false).map((c) => ({
      i: restOld[c.r]!,
      j: restNew[c.a]!,
      w: c.w,
    }));
  }
  pairs.sort((x, y) => y.w - x.w || x.j - y.j || x.i - y.i);
  for (const { i, j, w } of pairs) {
    if (st.oldKind[i] !== OldFate.deleted || st.newKind[j] !== NewSource.inserted) continue;
    st.link(i, j, OldFate.moved, NewSource.moved, w);
  }
}

/** True when every index of `xs` (ascending) lies within the range of `range` (ascending, contiguous). */
function within(xs: readonly number[], range: readonly number[]): boolean {
  if (range.length === 0) return xs.length === 0;
  return xs[0]! >= range[0]! && xs[xs.length - 1]! <= range[range.length - 1]!;
}
