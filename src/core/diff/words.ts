/**
 * Word-level changes inside one paragraph: jsdiff `diffWordsWithSpace` on the ORIGINAL texts (so the parts rebuild
 * both texts exactly: old = `=` and `-` parts, new = `=` and `+` parts), bounded by `maxEditLength` tokens (words,
 * punctuation marks and whitespace runs are tokens). Past the bound the result is null and the paragraph is shown as
 * replaced. Only ever called on one pair of paragraphs, never on a whole document.
 */
import { diffWordsWithSpace } from 'diff';
import type { WordPart } from '../model/changeset.js';
import { countWords } from './similarity.js';

export function wordParts(oldText: string, newText: string, maxEditLength: number): WordPart[] | null {
  const changes = diffWordsWithSpace(oldText, newText, { maxEditLength });
  if (changes === undefined) return null;
  const parts: WordPart[] = [];
  for (const c of changes) {
    if (c.value === '') continue;
    const t = c.added ? '+' : c.removed ? '-' : '=';
    const last = parts[parts.length - 1];
    if (last !== undefined && last.t === t) parts[parts.length - 1] = { t, v: last.v + c.value };
    else parts.push({ t, v: c.value });
  }
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
