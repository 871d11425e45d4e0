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
 * the multiset difference of their lower-cased words (word hashes, or the words themselves).
 */
export function countWordDelta<T>(oldWords: Iterable<T>, newWords: Iterable<T>): { added: number; removed: number } {
  const counts = new Map<T, number>();
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

// Readable word diffs: semantic clean-up, sentence alignment, full replacement.

/**
 * Semantic clean-up of word parts, after diff-match-patch's `diff_cleanupSemantic` (Neil Fraser): an equality no
 * longer than the changes on both sides of it (counted in characters: the larger of insertions and deletions before
 * it, and after it) is folded into the change, as a deletion and an insertion of its text. "the", "of", a comma or a
 * space between two changed words stops splitting the change, so a reader sees phrases, not alternating words.
 * After folding, the parts of each change are regrouped: all of its deletions, then all of its insertions. Old text
 * (`=` and `-` parts) and new text (`=` and `+` parts) are unchanged.
 */
export function cleanupSemantic(parts: readonly WordPart[]): WordPart[] {
  const ps: WordPart[] = parts.map((p) => ({ t: p.t, v: p.v }));
  let changed = false;
  const equalities: number[] = [];
  let lastEquality: string | null = null;
  let ins1 = 0;
  let del1 = 0;
  let ins2 = 0;
  let del2 = 0;
  let k = 0;
  while (k < ps.length) {
    const p = ps[k]!;
    if (p.t === '=') {
      equalities.push(k);
      ins1 = ins2;
      del1 = del2;
      ins2 = 0;
      del2 = 0;
      lastEquality = p.v;
    } else {
      if (p.t === '+') ins2 += p.v.length;
      else del2 += p.v.length;
      if (
        lastEquality !== null &&
        lastEquality.length <= Math.max(ins1, del1) &&
        lastEquality.length <= Math.max(ins2, del2)
      ) {
        const at = equalities[equalities.length - 1]!;
        ps.splice(at, 1, { t: '-', v: lastEquality }, { t: '+', v: lastEquality });
        equalities.pop();
        equalities.pop();
        k = equalities.length > 0 ? equalities[equalities.length - 1]! : -1;
        ins1 = 0;
        del1 = 0;
        ins2 = 0;
        del2 = 0;
        lastEquality = null;
        changed = true;
      }
    }
    k++;
  }
  return changed ? regroup(ps) : regroup(parts);
}

/** Merges runs: within each change, all deletions then all insertions; adjacent equal parts joined; empty parts dropped. */
function regroup(parts: readonly WordPart[]): WordPart[] {
  const out: WordPart[] = [];
  let del = '';
  let ins = '';
  const flush = (): void => {
    if (del !== '') out.push({ t: '-', v: del });
    if (ins !== '') out.push({ t: '+', v: ins });
    del = '';
    ins = '';
  };
  for (const p of parts) {
    if (p.v === '') continue;
    if (p.t === '-') del += p.v;
    else if (p.t === '+') ins += p.v;
    else {
      flush();
      const last = out[out.length - 1];
      if (last !== undefined && last.t === '=') out[out.length - 1] = { t: '=', v: last.v + p.v };
      else out.push({ t: '=', v: p.v });
    }
  }
  flush();
  return out;
}

/** Paragraphs at least this long (characters, either side) are aligned by sentence first, then by word. */
export const SENTENCE_ALIGN_MIN_CHARS = 240;
/** Two sentences are the same sentence, edited, when they share at least this share of their words. */
export const SENTENCE_PAIR_MIN_SHARED = 0.5;

const ABBREVIATIONS = new Set(
  'mr mrs ms dr gen maj col lt sgt capt cmdr adm sen rep gov pres st jr sr inc co corp ltd no vs etc mt ft calif ariz fla ga ill mass mich minn mo pa tenn tex va wash colo conn md nev okla ore wis jan feb aug sept oct nov dec a.m p.m u.s u.k u.n e.u'.split(
    ' ',
  ),
);

/**
 * Sentences of a paragraph, each with the whitespace after it, so they join back into the paragraph exactly. A
 * sentence ends at `.`, `!` or `?` (and closing quotes or brackets) followed by whitespace and a capital, digit or
 * opening quote; not after a known abbreviation ("Gen.", "Calif.", "U.S.") or an initial ("A.").
 */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  const re = /[.!?]+["'\u201D\u2019)\]]*(\s+)(?=["'\u201C\u2018(]?[\p{Lu}\p{N}])/gu;
  let start = 0;
  for (const m of text.matchAll(re)) {
    const end = m.index + m[0].length;
    const before = text.slice(start, m.index);
    const lastWord = (/([\p{L}.]+)$/u.exec(before)?.[1] ?? '').toLowerCase();
    if (ABBREVIATIONS.has(lastWord) || ABBREVIATIONS.has(lastWord.replace(/\.$/, '')) || /^\p{L}$/u.test(lastWord)) {
      continue;
    }
    out.push(text.slice(start, end));
    start = end;
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

function sentenceWords(s: string): string[] {
  return s
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
}

function sharedShare(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const w of a) counts.set(w, (counts.get(w) ?? 0) + 1);
  let common = 0;
  for (const w of b) {
    const c = counts.get(w) ?? 0;
    if (c > 0) {
      common++;
      counts.set(w, c - 1);
    }
  }
  return common / Math.max(a.length, b.length);
}

/**
 * Aligns the sentences of two paragraphs: equal sentences by longest common subsequence, then, between them, edited
 * sentences paired in order when they share `SENTENCE_PAIR_MIN_SHARED` of their words. Returns, in order, pairs
 * `[oldIndex | -1, newIndex | -1]`.
 */
function alignSentences(a: readonly string[], b: readonly string[]): [number, number][] {
  const n = a.length;
  const m = b.length;
  const key = (s: string): string => s.trim();
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = key(a[i]!) === key(b[j]!) ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const anchors: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (key(a[i]!) === key(b[j]!)) {
      anchors.push([i, j]);
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) i++;
    else j++;
  }
  anchors.push([n, m]);
  const out: [number, number][] = [];
  let pi = 0;
  let pj = 0;
  for (const [ai, aj] of anchors) {
    // The gap [pi, ai) × [pj, aj): pair in order.
    let x = pi;
    let y = pj;
    const wa = a.slice(pi, ai).map(sentenceWords);
    const wb = b.slice(pj, aj).map(sentenceWords);
    while (x < ai || y < aj) {
      if (x < ai && y < aj && sharedShare(wa[x - pi]!, wb[y - pj]!) >= SENTENCE_PAIR_MIN_SHARED) {
        out.push([x++, y++]);
        continue;
      }
      // Look ahead one step on each side for a better pairing.
      const nextA =
        x + 1 < ai && y < aj && sharedShare(wa[x + 1 - pi]!, wb[y - pj]!) >= SENTENCE_PAIR_MIN_SHARED ? 1 : 0;
      if (x < ai && (nextA === 1 || y >= aj)) out.push([x++, -1]);
      else if (y < aj) out.push([-1, y++]);
      else out.push([x++, -1]);
    }
    if (ai < n) out.push([ai, aj]);
    pi = ai + 1;
    pj = aj + 1;
  }
  return out;
}

/**
 * The readable word parts turning `oldText` into `newText`, or null past `maxEditLength` tokens of edit. Long
 * paragraphs (`SENTENCE_ALIGN_MIN_CHARS`) with more than one sentence are aligned by sentence first; each pair of
 * edited sentences is diffed by word, an added or removed sentence is one part. Word parts get the semantic clean-up
 * (`cleanupSemantic`). The parts rebuild both texts exactly.
 */
export function readableParts(oldText: string, newText: string, maxEditLength: number): WordPart[] | null {
  if (Math.max(oldText.length, newText.length) >= SENTENCE_ALIGN_MIN_CHARS) {
    const a = splitSentences(oldText);
    const b = splitSentences(newText);
    if (a.length > 1 || b.length > 1) {
      const parts: WordPart[] = [];
      for (const [i, j] of alignSentences(a, b)) {
        if (i >= 0 && j >= 0) {
          if (a[i] === b[j]) parts.push({ t: '=', v: a[i]! });
          else {
            const w = wordParts(a[i]!, b[j]!, maxEditLength);
            if (w === null) parts.push({ t: '-', v: a[i]! }, { t: '+', v: b[j]! });
            else parts.push(...cleanupSemantic(w));
          }
        } else if (i >= 0) parts.push({ t: '-', v: a[i]! });
        else parts.push({ t: '+', v: b[j]! });
      }
      return regroup(parts);
    }
  }
  const w = wordParts(oldText, newText, maxEditLength);
  return w === null ? null : cleanupSemantic(w);
}
