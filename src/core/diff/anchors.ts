/**
 * Anchoring: the cheap, linear part of paragraph alignment.
 *
 * Within a region `[aLo, aHi) × [bLo, bHi)` of the old and new paragraph keys (normalized texts):
 * - `trimCommon` matches the common prefix and suffix;
 * - `uniqueAnchors` matches the paragraphs that occur exactly once on each side of the region (patience diff,
 *   with histogram diff's "count within the region" rule), keeping the longest chain of them that is in the same
 *   order on both sides (longest increasing subsequence, O(k log k)).
 *
 * Paragraphs that repeat (empty lines, "___", a repeated quote) never anchor: they are left to Myers in the gaps.
 */

/** A region of the two sides: the old keys `a[aLo, aHi)` against the new keys `b[bLo, bHi)`. */
export interface Region {
  readonly a: readonly string[];
  readonly b: readonly string[];
  readonly aLo: number;
  readonly aHi: number;
  readonly bLo: number;
  readonly bHi: number;
}

/** Length of the region's common prefix and suffix (the suffix never overlaps the prefix). */
export function trimCommon({ a, b, aLo, aHi, bLo, bHi }: Region): { prefix: number; suffix: number } {
  let prefix = 0;
  while (aLo + prefix < aHi && bLo + prefix < bHi && a[aLo + prefix] === b[bLo + prefix]) prefix++;
  let suffix = 0;
  while (
    aHi - suffix - 1 >= aLo + prefix &&
    bHi - suffix - 1 >= bLo + prefix &&
    a[aHi - suffix - 1] === b[bHi - suffix - 1]
  ) {
    suffix++;
  }
  return { prefix, suffix };
}

/**
 * The longest order-preserving chain of paragraphs unique on both sides of the region, as parallel arrays of old and
 * new indexes (both strictly increasing), and `common`: how many distinct keys occur on both sides at all.
 * Ties in the LIS are broken deterministically (the earliest new index wins).
 */
export function uniqueAnchors({ a, b, aLo, aHi, bLo, bHi }: Region): {
  olds: number[];
  news: number[];
  common: number;
} {
  // key → slot; per slot: occurrences in the old region, the old index, occurrences in the new region.
  const slotOf = new Map<string, number>();
  const n = aHi - aLo;
  const oc = new Int32Array(n);
  const oi = new Int32Array(n);
  const nc = new Int32Array(n);
  let slots = 0;
  for (let i = aLo; i < aHi; i++) {
    const k = a[i]!;
    const slot = slotOf.get(k);
    if (slot === undefined) {
      slotOf.set(k, slots);
      oc[slots] = 1;
      oi[slots] = i;
      slots++;
    } else {
      oc[slot]!++;
    }
  }
  let common = 0;
  const newSlot = new Int32Array(bHi - bLo).fill(-1);
  for (let j = bLo; j < bHi; j++) {
    const slot = slotOf.get(b[j]!);
    if (slot === undefined) continue;
    if (nc[slot] === 0) common++;
    nc[slot]!++;
    newSlot[j - bLo] = slot;
  }
  // Candidates in new order, with their old index.
  const candNew: number[] = [];
  const candOld: number[] = [];
  for (let j = bLo; j < bHi; j++) {
    const slot = newSlot[j - bLo]!;
    if (slot >= 0 && oc[slot] === 1 && nc[slot] === 1) {
      candNew.push(j);
      candOld.push(oi[slot]!);
    }
  }
  return { ...longestIncreasing(candOld, candNew), common };
}

/**
 * Longest strictly increasing subsequence of `olds` (whose `news` are already increasing), by patience sorting.
 */
function longestIncreasing(olds: readonly number[], news: readonly number[]): { olds: number[]; news: number[] } {
  const n = olds.length;
  if (n === 0) return { olds: [], news: [] };
  // tails[k] = index (into olds) of the smallest tail of an increasing run of length k+1.
  const tails: number[] = [];
  const prev = new Int32Array(n).fill(-1);
  for (let x = 0; x < n; x++) {
    const v = olds[x]!;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (olds[tails[mid]!]! < v) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[x] = tails[lo - 1]!;
    tails[lo] = x;
  }
  const len = tails.length;
  const outOld = new Array<number>(len);
  const outNew = new Array<number>(len);
  let x = tails[len - 1]!;
  for (let k = len - 1; k >= 0; k--) {
    outOld[k] = olds[x]!;
    outNew[k] = news[x]!;
    x = prev[x]!;
  }
  return { olds: outOld, news: outNew };
}
