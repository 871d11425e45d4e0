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

/** Length of the common prefix and suffix (the suffix never overlaps the prefix). */
export function trimCommon(
  a: readonly string[],
  b: readonly string[],
  aLo: number,
  aHi: number,
  bLo: number,
  bHi: number,
): { prefix: number; suffix: number } {
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

interface Occurrence {
  /** Occurrences in the old region, and the index of the (last) one. */
  oc: number;
  oi: number;
  /** Occurrences in the new region, and the index of the (last) one. */
  nc: number;
  ni: number;
}

/**
 * The longest order-preserving chain of paragraphs unique on both sides of the region, as parallel arrays of old and
 * new indexes (both strictly increasing). Ties in the LIS are broken deterministically (the earliest new index wins).
 */
export function uniqueAnchors(
  a: readonly string[],
  b: readonly string[],
  aLo: number,
  aHi: number,
  bLo: number,
  bHi: number,
): { olds: number[]; news: number[] } {
  const seen = new Map<string, Occurrence>();
  for (let i = aLo; i < aHi; i++) {
    const k = a[i]!;
    const e = seen.get(k);
    if (e === undefined) seen.set(k, { oc: 1, oi: i, nc: 0, ni: -1 });
    else e.oc++;
  }
  // Candidates in new order, with their old index.
  const candNew: number[] = [];
  const candOld: number[] = [];
  for (let j = bLo; j < bHi; j++) {
    const e = seen.get(b[j]!);
    if (e === undefined) continue;
    e.nc++;
    e.ni = j;
  }
  for (let j = bLo; j < bHi; j++) {
    const e = seen.get(b[j]!);
    if (e !== undefined && e.oc === 1 && e.nc === 1) {
      candNew.push(j);
      candOld.push(e.oi);
    }
  }
  return longestIncreasing(candOld, candNew);
}

/**
 * Longest strictly increasing subsequence of `olds` (whose `news` are already increasing), by patience sorting.
 */
export function longestIncreasing(
  olds: readonly number[],
  news: readonly number[],
): { olds: number[]; news: number[] } {
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
