/**
 * Splits and merges: one old paragraph that became several adjacent new ones, or several adjacent old ones that
 * became one.
 *
 * Starts from an edit pair found by `pair.ts` (old i ↔ new j) and grows it over the adjacent, still unpaired
 * paragraphs of the same gap, one at a time, forward then backward, while
 * - the piece has at least `SPLIT_PIECE_CONTAINMENT` of its words in the whole, and
 * - joining it raises the similarity of the whole to the joined pieces by at least `SPLIT_MERGE_GAIN`.
 * The result is kept when it has two or more pieces and a similarity of at least `SPLIT_MERGE_THRESHOLD`.
 * Growing stays inside the gap, so splits and merges keep document order.
 */
import type { SideFeatures } from './features.js';
import {
  containment,
  dice,
  SPLIT_MERGE_GAIN,
  SPLIT_MERGE_THRESHOLD,
  SPLIT_PIECE_CONTAINMENT,
  unionSets,
} from './similarity.js';
import { type DiffState, NewSource, OldFate } from './state.js';

/**
 * Grows the pair (whole, first) over `free` neighbours of `first` on the "pieces" side, within `[lo, hi)`.
 * Returns the first piece and the count, or null when it does not grow.
 */
function grow(
  wholeSet: Int32Array,
  pieces: SideFeatures,
  first: number,
  lo: number,
  hi: number,
  isFree: (k: number) => boolean,
  startW: number,
): { from: number; count: number; w: number } | null {
  let from = first;
  let to = first + 1;
  let sets = [pieces.set(first)];
  let best = startW / 1000;
  for (let dir = 0; dir < 2; dir++) {
    for (;;) {
      const k = dir === 0 ? to : from - 1;
      if (k < lo || k >= hi || !isFree(k)) break;
      const piece = pieces.set(k);
      if (containment(piece, wholeSet) < SPLIT_PIECE_CONTAINMENT) break;
      const nextSets = dir === 0 ? [...sets, piece] : [piece, ...sets];
      const s = dice(wholeSet, unionSets(nextSets));
      if (s < best + SPLIT_MERGE_GAIN) break;
      sets = nextSets;
      best = s;
      if (dir === 0) to++;
      else from--;
    }
  }
  const count = to - from;
  if (count < 2 || best < SPLIT_MERGE_THRESHOLD) return null;
  return { from, count, w: Math.round(best * 1000) };
}

/**
 * Looks for splits and merges around the edit pairs of one gap (`[aLo, aHi)` old × `[bLo, bHi)` new).
 * `pairs` are the gap's edit pairs as [old, new] in order.
 */
export function findSplitsAndMerges(
  st: DiffState,
  pairs: readonly (readonly [number, number])[],
  aLo: number,
  aHi: number,
  bLo: number,
  bHi: number,
): void {
  for (const [i, j] of pairs) {
    const w0 = st.sim[j]!;
    const newFree = (k: number): boolean => k >= bLo && k < bHi && st.newKind[k] === NewSource.inserted;
    const oldFree = (k: number): boolean => k >= aLo && k < aHi && st.oldKind[k] === OldFate.deleted;
    // Cheap test first: a split or merge needs a free neighbour.
    const canSplit = newFree(j - 1) || newFree(j + 1);
    const canMerge = oldFree(i - 1) || oldFree(i + 1);
    if (!canSplit && !canMerge) continue;
    const split = canSplit ? grow(st.oldF.set(i), st.newF, j, bLo, bHi, (k) => k === j || newFree(k), w0) : null;
    const merge =
      split === null && canMerge ? grow(st.newF.set(j), st.oldF, i, aLo, aHi, (k) => k === i || oldFree(k), w0) : null;
    if (split !== null) {
      // Old paragraph i became the new run [from, from + count): the run's first piece carries the similarity.
      st.oldKind[i] = OldFate.split;
      st.oldLink[i] = split.from;
      st.splitLen[i] = split.count;
      markRun(st.newKind, st.newLink, split, NewSource.split, i);
      st.sim.fill(0, split.from, split.from + split.count);
      st.sim[split.from] = split.w;
    } else if (merge !== null) {
      // The old run [from, from + count) became new paragraph j.
      st.newKind[j] = NewSource.merged;
      st.newLink[j] = merge.from;
      st.mergeLen[j] = merge.count;
      st.sim[j] = merge.w;
      markRun(st.oldKind, st.oldLink, merge, OldFate.merged, j);
    }
  }
}

/** Marks the paragraphs of `run` on one side as `kind`, each linked to paragraph `to` of the other side. */
function markRun(
  kinds: Uint8Array,
  links: Int32Array,
  run: { readonly from: number; readonly count: number },
  kind: number,
  to: number,
): void {
  kinds.fill(kind, run.from, run.from + run.count);
  links.fill(to, run.from, run.from + run.count);
}
