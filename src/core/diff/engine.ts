/**
 * The diff engine: one pipeline over paragraphs. Paragraphs are aligned on their normalized text (`norm`): equal
 * keys are the same paragraph (an `equal` op when the original texts are equal too, else a cosmetic `edit`).
 *
 *   align (anchors + bounded Myers, on keys) → pair in gaps (similarity) → splits/merges → moves → ops with
 *   word diffs of paired paragraphs only.
 */
import type { Paragraph } from '../model/article.js';
import { alignParagraphs } from './align.js';
import { findCandidates } from './candidates.js';
import { SideFeatures } from './features.js';
import { findMoves, type SearchedGap } from './moves.js';
import type { ResolvedDiffOptions } from './options.js';
import { buildOps, type BuiltOps } from './ops.js';
import { bestMonotonePairing } from './pair.js';
import { EDIT_THRESHOLD } from './similarity.js';
import { findSplitsAndMerges } from './split-merge.js';
import { DiffState, NewSource, OldFate } from './state.js';

/** The ops (with word diffs of paired paragraphs) that turn `oldParas` into `newParas`. */
export function diffParagraphs(
  oldParas: readonly Paragraph[],
  newParas: readonly Paragraph[],
  options: ResolvedDiffOptions,
): BuiltOps {
  const oldKeys = oldParas.map((p) => p.norm);
  const newKeys = newParas.map((p) => p.norm);
  const st = new DiffState(
    new SideFeatures(
      oldParas.map((p) => p.text),
      oldKeys,
    ),
    new SideFeatures(
      newParas.map((p) => p.text),
      newKeys,
    ),
  );
  const { oldToNew } = alignParagraphs(oldKeys, newKeys, options.maxAlignEdit);

  // Aligned pairs, and the gaps between them.
  let pi = -1;
  let pj = -1;
  const bigGaps: SearchedGap[] = [];
  const na = oldKeys.length;
  const nb = newKeys.length;
  for (let i = 0; i <= na; i++) {
    const j = i < na ? oldToNew[i]! : nb;
    if (j < 0) continue;
    if (i - pi > 1 && j - pj > 1) {
      const gap = pairGap(st, pi + 1, i, pj + 1, j, options);
      if (gap !== null) bigGaps.push(gap);
    }
    if (i < na) {
      if (st.oldF.texts[i] === st.newF.texts[j]) st.link(i, j, OldFate.equal, NewSource.equal, 1000);
      else st.link(i, j, OldFate.edited, NewSource.edited, 1000);
    }
    pi = i;
    pj = j;
  }
  findMoves(st, options.fullCompareLimit, bigGaps.length === 1 ? bigGaps[0]! : null);
  return buildOps(st, options.maxWordEdit);
}

/**
 * Pairs the removed `[aLo, aHi)` and added `[bLo, bHi)` paragraphs of one gap into edits, then splits/merges.
 * Returns the gap's candidates when the gap was too large for an exhaustive search (for `findMoves` to reuse).
 */
function pairGap(
  st: DiffState,
  aLo: number,
  aHi: number,
  bLo: number,
  bHi: number,
  options: ResolvedDiffOptions,
): SearchedGap | null {
  const removed: number[] = [];
  const added: number[] = [];
  for (let i = aLo; i < aHi; i++) removed.push(i);
  for (let j = bLo; j < bHi; j++) added.push(j);
  const cands = findCandidates(st.oldF, st.newF, removed, added, EDIT_THRESHOLD, options.fullCompareLimit, true);
  const pairs = bestMonotonePairing(cands, removed.length);
  const linked: [number, number][] = [];
  for (const p of pairs) {
    const i = removed[p.r]!;
    const j = added[p.a]!;
    st.link(i, j, OldFate.edited, NewSource.edited, p.w);
    linked.push([i, j]);
  }
  findSplitsAndMerges(st, linked, aLo, aHi, bLo, bHi);
  return removed.length * added.length > options.fullCompareLimit ? { removed, added, cands } : null;
}
