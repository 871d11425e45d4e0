/**
 * Word-level changes inside one paragraph: jsdiff `diffWordsWithSpace` on the ORIGINAL texts (so the parts rebuild
 * both texts exactly: old = `=` and `-` parts, new = `=` and `+` parts), bounded by `maxEditLength` tokens (words,
 * punctuation marks and whitespace runs are tokens). Past the bound the result is null and the paragraph is shown as
 * replaced. Only ever called on one pair of paragraphs, never on a whole document.
 */
import { diffWordsWithSpace } from 'diff';
import type { WordPart } from '../model/changeset.js';
import { countWords } from './similarity.js';

function isSpace(c: number): boolean {
  // The characters jsdiff's word tokenizer treats as whitespace that matter here: ASCII and Unicode spaces.
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/**
 * The word-level parts turning `oldText` into `newText`, or null past `maxEditLength` tokens of edit.
 *
 * The common prefix and suffix are cut off first, at token boundaries (right after a whitespace run shared by
 * both texts and followed by the same non-space character), so jsdiff only tokenizes and diffs the changed middle.
 */
export function wordParts(oldText: string, newText: string, maxEditLength: number): WordPart[] | null {
  const la = oldText.length;
  const lb = newText.length;
  let p = 0;
  while (p < la && p < lb && oldText.charCodeAt(p) === newText.charCodeAt(p)) p++;
  // Back off to a cut at k < p where text[k-1] is a space and text[k] is not.
  let pre = p === la && p === lb ? p : 0;
  if (pre === 0) {
    for (let k = Math.min(p, la - 1, lb - 1); k > 0; k--) {
      if (k < p && isSpace(oldText.charCodeAt(k - 1)) && !isSpace(oldText.charCodeAt(k))) {
        pre = k;
        break;
      }
    }
  }
  let q = 0;
  while (q < la - pre && q < lb - pre && oldText.charCodeAt(la - 1 - q) === newText.charCodeAt(lb - 1 - q)) q++;
  // Cut the suffix at a token start e (counted from the end: suf = la - e) with suf < q, text[e-1] a space, text[e] not.
  let suf = 0;
  for (let k = q - 1; k > 0; k--) {
    const e = la - k;
    if (isSpace(oldText.charCodeAt(e - 1)) && !isSpace(oldText.charCodeAt(e))) {
      suf = k;
      break;
    }
  }
  const parts: WordPart[] = [];
  const push = (t: WordPart['t'], v: string): void => {
    if (v === '') return;
    const last = parts[parts.length - 1];
    if (last !== undefined && last.t === t) parts[parts.length - 1] = { t, v: last.v + v };
    else parts.push({ t, v });
  };
  push('=', oldText.slice(0, pre));
  const midOld = oldText.slice(pre, la - suf);
  const midNew = newText.slice(pre, lb - suf);
  if (midOld === '' || midNew === '') {
    push('-', midOld);
    push('+', midNew);
  } else {
    const changes = diffWordsWithSpace(midOld, midNew, { maxEditLength });
    if (changes === undefined) return null;
    for (const c of changes) push(c.added ? '+' : c.removed ? '-' : '=', c.value);
  }
  push('=', oldText.slice(la - suf));
  return parts;
}

/** Words added and removed according to word parts. */
export function countPartWords(parts: readonly WordPart[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const p of parts) {
    if (p.t === '+') added += countWords(p.v);
    else if (p.t === '-') removed += countWords(p.v);
  }
  return { added, removed };
}

/**
 * Words added and removed between two texts without a word diff (for replaced paragraphs, splits and merges):
 * the multiset difference of their lower-cased words.
 */
export function countWordDelta(oldWords: Int32Array, newWords: Int32Array): { added: number; removed: number } {
  const counts = new Map<number, number>();
  for (const h of oldWords) counts.set(h, (counts.get(h) ?? 0) + 1);
  let added = 0;
  for (const h of newWords) {
    const c = counts.get(h) ?? 0;
    if (c > 0) counts.set(h, c - 1);
    else added++;
  }
  let removed = 0;
  for (const c of counts.values()) removed += c;
  return { added, removed };
}
