/**
 * Moves: a removed paragraph and an added one, anywhere in the documents, that are the same paragraph.
 *
 * 1. Same normalized text (a paragraph moved unchanged, or with cosmetic changes only): matched first, in document
 *    order (the k-th added copy takes the k-th removed copy), with a Map — linear.
 * 2. Similar text (moved and edited): candidates at or above `MOVE_THRESHOLD` (`candidates.ts`: exhaustive for
 *    small pools, shingle-signature buckets for large ones), then greedily taken best first (ties: earlier new,
 *    then earlier old paragraph), one-to-one.
 */
import { findCandidates } from './candidates.js';
import { MOVE_THRESHOLD } from './similarity.js';
import { N_INSERTED, N_MOVED, O_DELETED, O_MOVED, type DiffState } from './state.js';

export function findMoves(st: DiffState, fullCompareLimit: number): void {
  const removed: number[] = [];
  const added: number[] = [];
  for (let i = 0; i < st.oldKind.length; i++) if (st.oldKind[i] === O_DELETED) removed.push(i);
  for (let j = 0; j < st.newKind.length; j++) if (st.newKind[j] === N_INSERTED) added.push(j);
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
    st.link(list.pop()!, j, O_MOVED, N_MOVED, 1000);
  }

  const restOld = removed.filter((i) => st.oldKind[i] === O_DELETED);
  const restNew = added.filter((j) => st.newKind[j] === N_INSERTED);
  if (restOld.length === 0 || restNew.length === 0) return;
  const cands = findCandidates(st.oldF, st.newF, restOld, restNew, MOVE_THRESHOLD, fullCompareLimit, false);
  cands.sort((x, y) => y.w - x.w || x.a - y.a || x.r - y.r);
  for (const c of cands) {
    const i = restOld[c.r]!;
    const j = restNew[c.a]!;
    if (st.oldKind[i] !== O_DELETED || st.newKind[j] !== N_INSERTED) continue;
    st.link(i, j, O_MOVED, N_MOVED, c.w);
  }
}
