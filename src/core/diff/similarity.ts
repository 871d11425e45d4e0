/**
 * Paragraph similarity: a cheap, deterministic measure used to pair removed and added paragraphs into edits,
 * to find moved paragraphs and to recognise splits and merges.
 *
 * The measure is the Dice coefficient over the SETS of words of the two normalized texts:
 * `2·|A ∩ B| / (|A| + |B|)`. Words are runs of letters and digits, ASCII-lower-cased, each hashed to a 32-bit
 * FNV-1a value; a text's word set is a sorted, de-duplicated Int32Array, so a comparison is a linear merge
 * (about 0.2 µs for two 40-word paragraphs). Two empty texts are identical (1); an empty and a non-empty text share
 * nothing (0). Hash collisions can only raise a score, and at 32 bits they are negligible for paragraph-sized sets.
 */

/**
 * Minimum similarity for a removed and an added paragraph that stand in the same place (the same gap between
 * aligned paragraphs) to be shown as one edited paragraph; below it they are a delete plus an insert.
 *
 * Why 0.4 and not wikidiff2's 0.2: wikidiff2 scores with a character-level diff, where unrelated text scores low.
 * A word-set Dice counts shared function words ("the", "of", "in", "said"). Measured over all 741 pairs of distinct
 * lines (paragraphs and headline) of the AP fixture v2: median 0.11, 95th percentile 0.24, 99th percentile 0.34;
 * the five pairs at 0.4 or more tell the same fact twice (0.8: "The videos appear authentic…" / "The videos
 * appeared authentic…"; 0.53 the car bomb; 0.43 the death toll; 0.43 the Khan Touman base; 0.4 the headline and
 * its lede). So 0.4 sits above the noise of unrelated paragraphs, and a paragraph that kept half of its words (0.5)
 * is still an edit.
 */
export const EDIT_THRESHOLD = 0.4;

/**
 * Minimum similarity for an edit to get word-level parts. Below it the two paragraphs share less than half of their
 * words, a word diff is mostly noise, and it is the costliest case for Myers (edit length near the text length):
 * the edit is shown as replaced (`parts: null`) without running the word diff.
 */
export const WORD_DIFF_MIN_SIMILARITY = 0.5;

/**
 * Minimum similarity for a removed and an added paragraph in different places to be shown as one paragraph that
 * moved (and was perhaps edited on the way). Higher than `EDIT_THRESHOLD` for the same reason as in wikidiff2
 * (moved ≥ 0.4 there, changed ≥ 0.2: a move has no position to support it, so it needs stronger text evidence).
 * 0.56 is NewsEdits' sentence-matching cut-off expressed as a similarity (their 0.44 distance, 1 − 0.44).
 */
export const MOVE_THRESHOLD = 0.56;

/**
 * Minimum similarity between one paragraph and the concatenation of several adjacent ones for a split or a merge,
 * AND the minimum gain over the best single-paragraph pairing: joining one more piece must raise the similarity
 * by at least `SPLIT_MERGE_GAIN`, and each piece must have at least `SPLIT_PIECE_CONTAINMENT` of its words inside
 * the whole.
 */
export const SPLIT_MERGE_THRESHOLD = 0.6;
export const SPLIT_MERGE_GAIN = 0.1;
export const SPLIT_PIECE_CONTAINMENT = 0.7;

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

let scratch: Int32Array = new Int32Array(256);

/** True for code units that belong to a word: ASCII letters and digits, and every non-ASCII code unit that is not a space, punctuation or symbol. */
export function isWordUnit(c: number): boolean {
  if (c < 128) {
    return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
  }
  // Latin-1 punctuation and symbols, general punctuation, CJK punctuation, specials.
  if (c <= 0xbf) return false;
  if (c === 0xd7 || c === 0xf7) return false;
  if (c >= 0x2000 && c <= 0x2bff) return false;
  if (c >= 0x3000 && c <= 0x303f) return false;
  if (c >= 0xfe30 && c <= 0xfe6f) return false;
  if (c >= 0xff00 && c <= 0xff20) return false;
  return true;
}

/** ASCII fast path: 0 for a non-word character, else the lower-cased code. */
const ASCII_WORD = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if (c >= 65 && c <= 90) ASCII_WORD[c] = c | 0x20;
  else if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) ASCII_WORD[c] = c;
}

/** Room for the word hashes of `text`: a text of L code units has at most L/2 + 1 words. */
export function wordRoom(text: string): number {
  return (text.length >> 1) + 2;
}

/**
 * Writes the word hashes of `text` in reading order (ASCII letters lower-cased) into `out` from `at` on, and returns
 * how many it wrote. `out` must have `wordRoom(text)` free places from `at`.
 */
export function hashWordsInto(text: string, out: Int32Array, at: number): number {
  let m = 0;
  let h = FNV_OFFSET;
  let inWord = false;
  const len = text.length;
  for (let k = 0; k < len; k++) {
    let c = text.charCodeAt(k);
    if (c < 128) c = ASCII_WORD[c]!;
    else if (!isWordUnit(c)) c = 0;
    if (c !== 0) {
      h = Math.imul(h ^ c, FNV_PRIME);
      inWord = true;
    } else if (inWord) {
      out[at + m++] = h;
      h = FNV_OFFSET;
      inWord = false;
    }
  }
  if (inWord) out[at + m++] = h;
  return m;
}

/**
 * The word hashes of `text` in reading order (ASCII letters lower-cased). Used for word sets, word counts and
 * shingle signatures.
 */
export function wordHashes(text: string): Int32Array {
  const need = wordRoom(text);
  if (need > scratch.length) scratch = new Int32Array(Math.max(need, scratch.length * 2));
  return scratch.slice(0, hashWordsInto(text, scratch, 0));
}

/** The number of words in `text` (runs of letters and digits). */
export function countWords(text: string): number {
  let n = 0;
  let inWord = false;
  for (let k = 0; k < text.length; k++) {
    if (isWordUnit(text.charCodeAt(k))) {
      if (!inWord) n++;
      inWord = true;
    } else {
      inWord = false;
    }
  }
  return n;
}

/** The sorted, de-duplicated set of word hashes. */
export function toWordSet(hashes: Int32Array): Int32Array {
  const s = hashes.slice().sort();
  let w = 0;
  for (let r = 0; r < s.length; r++) {
    if (r === 0 || s[r] !== s[w - 1]) s[w++] = s[r]!;
  }
  return w === s.length ? s : s.slice(0, w);
}

/** The word set of a text. */
export function wordSet(text: string): Int32Array {
  return toWordSet(wordHashes(text));
}

/**
 * Size of the intersection of two sorted sets: `a` (or its range `aFrom` … `aTo - 1`) and `b` (or its range), so sets
 * kept back to back in one buffer are compared in place.
 */
export function intersectionSize(
  a: Int32Array,
  b: Int32Array,
  aFrom = 0,
  aTo = a.length,
  bFrom = 0,
  bTo = b.length,
): number {
  let i = aFrom;
  let j = bFrom;
  let n = 0;
  while (i < aTo && j < bTo) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      n++;
      i++;
      j++;
    } else if (x < y) {
      i++;
    } else {
      j++;
    }
  }
  return n;
}

/** Dice coefficient of two sorted word sets, rounded to 3 decimals (so results are stable, printable numbers). */
export function dice(a: Int32Array, b: Int32Array): number {
  if (a.length === 0 && b.length === 0) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  return round3((2 * intersectionSize(a, b)) / (a.length + b.length));
}

/** Share of `part`'s words that are in `whole` (1 for an empty part). */
export function containment(part: Int32Array, whole: Int32Array): number {
  if (part.length === 0) return 1;
  return intersectionSize(part, whole) / part.length;
}

/** Similarity of two texts (Dice over word sets). */
export function similarity(a: string, b: string): number {
  return dice(wordSet(a), wordSet(b));
}

/** The arrays one after the other, in one array. */
export function concatInt32(arrays: readonly Int32Array[]): Int32Array {
  let total = 0;
  for (const a of arrays) total += a.length;
  const out = new Int32Array(total);
  let k = 0;
  for (const a of arrays) {
    out.set(a, k);
    k += a.length;
  }
  return out;
}

/** Union of sorted sets (for the text of several paragraphs joined). */
export function unionSets(sets: readonly Int32Array[]): Int32Array {
  return toWordSet(concatInt32(sets));
}

export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/**
 * Number of keys in a paragraph's shingle signature: a bottom-k sketch, the k smallest mixed hashes of its
 * consecutive word pairs (a one-word text uses its word). Two texts with a shingle Jaccard of J share at least one
 * key with probability about 1 − (1 − J)^k. Used only to find candidate pairs in pools too large to compare
 * exhaustively (see `candidates.ts`); computed in `features.ts`.
 */
export const SIGNATURE_SIZE = 4;

/** A 32-bit integer mixer (murmur3 finalizer), so bottom-k picks a pseudo-random, input-independent subset. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}
