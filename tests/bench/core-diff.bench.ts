/**
 * Diff engine benchmark. Four seeded inputs, each timed as the full `diffVersions` (alignment, pairing, moves, word
 * diffs, classification) on already-parsed articles, against a floor measured in the same run: splitting both
 * versions' texts into paragraphs and hashing every paragraph with FNV-1a.
 *
 * The input generators are exported so other benches (the viewer's) can reuse the same pairs.
 */
import { normalizeText } from '../../src/core/extract/index.js';
import { diffVersions } from '../../src/core/diff/index.js';
import type { Article, Paragraph } from '../../src/core/model/article.js';
import {
  fnv1a,
  randInt,
  ratioRow,
  retainedHeapMiB,
  seededRandom,
  sink,
  timeInterleaved,
  type BenchRow,
} from './harness.js';

export interface BenchPair {
  readonly name: string;
  /** Both versions as plain text: paragraphs separated by a blank line. */
  readonly oldText: string;
  readonly newText: string;
  readonly old: Article;
  readonly next: Article;
}

const STOPWORDS = [
  'the',
  'of',
  'and',
  'a',
  'to',
  'in',
  'said',
  'on',
  'that',
  'for',
  'with',
  'was',
  'as',
  'by',
  'at',
  'from',
  'his',
  'has',
  'have',
  'it',
  'its',
  'were',
  'an',
  'be',
  'are',
  'who',
  'after',
  'had',
  'been',
  'but',
];
const SYLLABLES = [
  'ba',
  'ra',
  'ko',
  'mi',
  'sa',
  'tel',
  'dun',
  'ver',
  'an',
  'is',
  'or',
  'lek',
  'pa',
  'zu',
  'chi',
  'mo',
  'ne',
  'ta',
  'ri',
  'gol',
];

/** A deterministic word generator: a Zipf-like mix of function words and a seeded vocabulary. */
function wordSource(rng: () => number): () => string {
  const vocab: string[] = [];
  for (let k = 0; k < 6000; k++) {
    const n = 1 + randInt(rng, 3);
    let w = '';
    for (let s = 0; s < n; s++) w += SYLLABLES[randInt(rng, SYLLABLES.length)]!;
    vocab.push(w);
  }
  return () => {
    if (rng() < 0.4) return STOPWORDS[randInt(rng, STOPWORDS.length)]!;
    const r = rng();
    if (r < 0.03) return String(randInt(rng, 5000));
    return vocab[Math.floor(vocab.length * r * r)]!;
  };
}

function sentence(rng: () => number, word: () => string): string {
  const n = 8 + randInt(rng, 16);
  const words: string[] = [];
  for (let k = 0; k < n; k++) words.push(word());
  const first = words[0]!;
  words[0] = first.charAt(0).toUpperCase() + first.slice(1);
  return words.join(' ') + (rng() < 0.1 ? ', officials said.' : '.');
}

function paragraph(rng: () => number, word: () => string, sentences = 1 + randInt(rng, 3)): string {
  const out: string[] = [];
  for (let k = 0; k < sentences; k++) out.push(sentence(rng, word));
  return out.join(' ');
}

function liveEntry(rng: () => number, word: () => string): string {
  const h = 1 + randInt(rng, 12);
  const m = randInt(rng, 60);
  return `${h}:${String(m).padStart(2, '0')} ${rng() < 0.5 ? 'a.m.' : 'p.m.'} — ${paragraph(rng, word, 1 + randInt(rng, 2))}`;
}

/** Changes 1–3 words of a paragraph (replace, insert or delete a word). */
function editParagraph(text: string, rng: () => number, word: () => string): string {
  const words = text.split(' ');
  const n = 1 + randInt(rng, 3);
  for (let k = 0; k < n; k++) {
    const at = randInt(rng, words.length);
    const what = randInt(rng, 3);
    if (what === 0) words[at] = word();
    else if (what === 1) words.splice(at, 0, word());
    else if (words.length > 3) words.splice(at, 1);
  }
  return words.join(' ');
}

/** An Article from paragraph texts (every paragraph in the `body` block), as the text parser would build it. */
export function articleFromParagraphs(title: string, texts: readonly string[]): Article {
  const paragraphs: Paragraph[] = texts.map((text) => ({ text, norm: normalizeText(text), block: 'body', tag: 'p' }));
  return {
    title,
    paragraphs,
    blocks: texts.length > 0 ? [{ kind: 'body', start: 0, end: texts.length }] : [],
    format: 'text',
    extractor: 'bench',
  };
}

function makePair(name: string, title: string, oldParas: readonly string[], newParas: readonly string[]): BenchPair {
  const oldText = oldParas.join('\n\n');
  const newText = newParas.join('\n\n');
  // Paragraph strings of the two versions are distinct objects, as after two separate parses.
  return {
    name,
    oldText,
    newText,
    old: articleFromParagraphs(title, oldText.split('\n\n')),
    next: articleFromParagraphs(title, newText.split('\n\n')),
  };
}

/** (a) A 40-paragraph article with a 3-paragraph block prepended and 2 paragraphs edited. */
export function articleWithPrependedBlock(seed = 1): BenchPair {
  const rng = seededRandom(seed);
  const word = wordSource(rng);
  const old = Array.from({ length: 40 }, () => paragraph(rng, word));
  const next = old.slice();
  for (let k = 0; k < 2; k++) {
    const at = randInt(rng, next.length);
    next[at] = editParagraph(next[at]!, rng, word);
  }
  next.unshift(paragraph(rng, word), paragraph(rng, word), paragraph(rng, word));
  return makePair('(a) 40 paragraphs, 3-paragraph block prepended, 2 edited', 'Bench article', old, next);
}

/** (b) A 2,000-paragraph live-blog-like page with 1 % of its paragraphs edited or inserted. */
export function liveBlog2000(seed = 2): BenchPair {
  const rng = seededRandom(seed);
  const word = wordSource(rng);
  const old = Array.from({ length: 2000 }, () => liveEntry(rng, word));
  const next = old.slice();
  for (let k = 0; k < 20; k++) {
    const at = randInt(rng, next.length);
    if (k % 2 === 0) next[at] = editParagraph(next[at]!, rng, word);
    else next.splice(at, 0, liveEntry(rng, word));
  }
  return makePair('(b) 2,000-paragraph live blog, 1 % edited or inserted', 'Live: bench blog', old, next);
}

/** (c) 10,000 paragraphs with half of them edited. */
export function tenThousandHalfEdited(seed = 3): BenchPair {
  const rng = seededRandom(seed);
  const word = wordSource(rng);
  const old = Array.from({ length: 10_000 }, () => paragraph(rng, word));
  const next = old.map((p) => (rng() < 0.5 ? editParagraph(p, rng, word) : p));
  return makePair('(c) 10,000 paragraphs, half edited', 'Bench long', old, next);
}

/** (d) 10,000 paragraphs, all replaced. */
export function tenThousandReplaced(seed = 4): BenchPair {
  const rng = seededRandom(seed);
  const word = wordSource(rng);
  const old = Array.from({ length: 10_000 }, () => paragraph(rng, word));
  const next = Array.from({ length: 10_000 }, () => paragraph(rng, word));
  return makePair('(d) 10,000 paragraphs, all replaced', 'Bench long', old, next);
}

/** The floor: split both versions into paragraphs and hash every paragraph with FNV-1a. */
export function floor(oldText: string, newText: string): number {
  let acc = 0;
  for (const p of oldText.split('\n\n')) acc ^= fnv1a(p);
  for (const p of newText.split('\n\n')) acc ^= fnv1a(p);
  return acc;
}

const CASES: readonly { make: () => BenchPair; maxRatio: number; samples: number }[] = [
  { make: articleWithPrependedBlock, maxRatio: 3, samples: 31 },
  { make: liveBlog2000, maxRatio: 1, samples: 31 },
  { make: tenThousandHalfEdited, maxRatio: 30, samples: 9 },
  { make: tenThousandReplaced, maxRatio: 10, samples: 9 },
];

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const c of CASES) {
    const pair = c.make();
    const t = timeInterleaved(
      () => floor(pair.oldText, pair.newText),
      () => diffVersions(pair.old, pair.next),
      { samples: c.samples },
    );
    const base = t.baseline;
    const full = t.subject;
    // Same input → the same ChangeSet, run after run (and after the timed runs above).
    const first = JSON.stringify(diffVersions(pair.old, pair.next));
    let identical = true;
    for (let k = 0; k < 3; k++) if (JSON.stringify(diffVersions(pair.old, pair.next)) !== first) identical = false;
    const cs = diffVersions(pair.old, pair.next);
    const p = cs.stats.paragraphs;
    rows.push(
      ratioRow({
        group: 'core-diff',
        name: pair.name,
        value: full.medianMs,
        unit: 'ms',
        baseline: base.medianMs,
        maxRatio: c.maxRatio,
        note:
          `${identical ? 'identical output ×4' : 'OUTPUT DIFFERS between runs'}; ` +
          `min ratio ${(full.minMs / base.minMs).toFixed(2)}×; ` +
          `+${p.added} −${p.removed} ~${p.edited} ↕${p.moved} =${p.unchanged}`,
      }),
    );
    if (!identical) rows[rows.length - 1]!.pass = false;
    if (c.make === tenThousandHalfEdited) {
      // Memory: heap retained by the ChangeSet, against the size of the two input texts (UTF-16).
      const heap = retainedHeapMiB(() => diffVersions(pair.old, pair.next));
      const input = ((pair.oldText.length + pair.newText.length) * 2) / (1024 * 1024);
      rows.push(
        ratioRow({
          group: 'core-diff',
          name: '(c) ChangeSet retained heap vs input text size',
          value: heap,
          unit: 'MiB',
          baseline: input,
          note: Number.isNaN(heap) ? 'run node with --expose-gc to measure' : 'no target; informational',
        }),
      );
    }
    await Promise.resolve();
  }
  void sink;
  return rows;
}
