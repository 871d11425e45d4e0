/**
 * Paragraph alignment: which old and new paragraphs are the same paragraph, in order (normalized text equal).
 *
 * A region of the two documents is worked on in this order:
 * 1. the common prefix and suffix are matched (`trimCommon`);
 * 2. a region with a single paragraph on one side is matched by a scan (its first equal on the other side: a
 *    longest common subsequence, without the cost of a Myers call);
 * 3. a region of at most `SMALL_GAP` paragraphs (both sides together) goes to Myers (jsdiff `diffArrays`), which is
 *    exact and cheap at that size;
 * 4. a larger region is cut by its unique paragraphs (`uniqueAnchors`), and each gap between anchors is a new
 *    region (back to step 1);
 * 5. a large region with no unique paragraph but some paragraphs in common (repeated ones) goes to Myers bounded
 *    by `maxAlignEdit` edits. Past the bound (the fallback), nothing in that region is matched: its old paragraphs
 *    count as removed and its new ones as added, and the pairing stage (`pair.ts`) still finds the edited ones
 *    among them. A large region with nothing in common skips Myers.
 *
 * Every step is deterministic and bounded by counts, never by the clock, so the same input gives the same alignment
 * on any machine under any load. Cost: linear in the document for steps 1 and 3 (hash maps), plus Myers on small gaps.
 */
import { diffArrays } from 'diff';
import { trimCommon, uniqueAnchors, type Region } from './anchors.js';

/** Regions up to this many paragraphs (old + new) are aligned by Myers directly. */
export const SMALL_GAP = 64;

export interface Alignment {
  /** For each old paragraph, the new paragraph it is aligned with, or -1. */
  readonly oldToNew: Int32Array;
  /** For each new paragraph, the old paragraph it is aligned with, or -1. */
  readonly newToOld: Int32Array;
}

export function alignParagraphs(a: readonly string[], b: readonly string[], maxAlignEdit: number): Alignment {
  const oldToNew = new Int32Array(a.length).fill(-1);
  const newToOld = new Int32Array(b.length).fill(-1);
  const link = (i: number, j: number): void => {
    oldToNew[i] = j;
    newToOld[j] = i;
  };
  const stack: number[] = [0, a.length, 0, b.length];
  while (stack.length > 0) {
    const bHi0 = stack.pop()!;
    const bLo0 = stack.pop()!;
    const aHi0 = stack.pop()!;
    const aLo0 = stack.pop()!;
    const { prefix, suffix } = trimCommon({ a, b, aLo: aLo0, aHi: aHi0, bLo: bLo0, bHi: bHi0 });
    for (let k = 0; k < prefix; k++) link(aLo0 + k, bLo0 + k);
    for (let k = 1; k <= suffix; k++) link(aHi0 - k, bHi0 - k);
    const aLo = aLo0 + prefix;
    const bLo = bLo0 + prefix;
    const aHi = aHi0 - suffix;
    const bHi = bHi0 - suffix;
    if (aLo >= aHi || bLo >= bHi) continue;
    const region: Region = { a, b, aLo, aHi, bLo, bHi };
    const total = aHi - aLo + (bHi - bLo);
    if (aHi - aLo === 1 || bHi - bLo === 1) {
      // One paragraph on a side: the longest common subsequence is its first equal on the other side, if any.
      single(region, link);
      continue;
    }
    if (total <= SMALL_GAP) {
      myers(region, total, link);
      continue;
    }
    const anchors = uniqueAnchors(region);
    if (anchors.olds.length > 0) {
      let pa = aLo;
      let pb = bLo;
      for (let k = 0; k < anchors.olds.length; k++) {
        const i = anchors.olds[k]!;
        const j = anchors.news[k]!;
        link(i, j);
        if (i > pa && j > pb) stack.push(pa, i, pb, j);
        pa = i + 1;
        pb = j + 1;
      }
      if (aHi > pa && bHi > pb) stack.push(pa, aHi, pb, bHi);
      continue;
    }
    // Nothing in common at all: nothing to align (and no reason to run Myers up to its bound).
    if (anchors.common === 0) continue;
    myers(region, Math.min(total, maxAlignEdit), link);
  }
  return { oldToNew, newToOld };
}

/** A region with one paragraph on a side: link it to the first equal paragraph on the other side. */
function single({ a, b, aLo, aHi, bLo, bHi }: Region, link: (i: number, j: number) => void): void {
  if (aHi - aLo === 1) {
    const j = firstIndexOf(b, a[aLo]!, bLo, bHi);
    if (j >= 0) link(aLo, j);
  } else {
    const i = firstIndexOf(a, b[bLo]!, aLo, aHi);
    if (i >= 0) link(i, bLo);
  }
}

/** The first index of `key` in `keys[lo, hi)`, or -1. */
function firstIndexOf(keys: readonly string[], key: string, lo: number, hi: number): number {
  for (let k = lo; k < hi; k++) if (keys[k] === key) return k;
  return -1;
}

/** Myers (jsdiff `diffArrays`) on a region; links the common paragraphs. Returns false past `maxEdit` (nothing linked). */
function myers({ a, b, aLo, aHi, bLo, bHi }: Region, maxEdit: number, link: (i: number, j: number) => void): boolean {
  const changes = diffArrays(a.slice(aLo, aHi), b.slice(bLo, bHi), { maxEditLength: maxEdit });
  if (changes === undefined) return false;
  let i = aLo;
  let j = bLo;
  for (const c of changes) {
    if (c.added) j += c.count;
    else if (c.removed) i += c.count;
    else {
      for (let k = 0; k < c.count; k++) link(i + k, j + k);
      i += c.count;
      j += c.count;
    }
  }
  return true;
}
