/**
 * Classifying a change as a whole: its `kind`, `significance`, `stats`, `structure` and one-line `summary`.
 *
 * Uses the ops and the story structure of both versions (each paragraph's block: update, banner, earlier, body,
 * correction, byline, dateline). Decision, first match wins:
 * 1. `none`: every op is `equal` and the title is unchanged.
 * 2. `breaking-update`: the new version has a banner and at least one paragraph of its `update` block is new or
 *    changed (a new update placed above the earlier story).
 * 3. `write-thru`: the old version had a banner and the new one has none (the story was rewritten around the news).
 * 4. `correction`: a paragraph of the new version's `correction` block was added or changed; or every change is an
 *    in-place edit of at most `TYPO_MAX_WORDS` words and at least one changed word holds a digit (a figure fixed).
 * 5. `headline`: the title changed (beyond whitespace and quote style) and the paragraphs changed at most cosmetically
 *    or by typos.
 * 6. `minor`: only edits, each cosmetic (whitespace, quotes, dashes, invisible characters) or a typo (at most
 *    `TYPO_MAX_WORDS` words replaced).
 * 7. `major`: anything else.
 *
 * Significance (0..1, 3 decimals): `floor(kind) + (1 − floor(kind)) · changed`, where `changed` is the share of the
 * text of both versions (in characters) that is inserted, deleted or replaced: inserted and deleted paragraphs
 * count in full, edits by the length of their `+` and `-` word parts (both texts when the word diff went past its
 * bound), moves by half their length (plus their edit), splits and merges by a tenth of their length. Cosmetic
 * edits count 0. Floors: none 0, minor 0 (and capped at `MINOR_MAX_SIGNIFICANCE`), major 0.1, headline 0.3,
 * correction 0.4, write-thru 0.5, breaking-update 0.7: a new update above the story is news even when it is short.
 */
import type { Article, BlockKind } from '../model/article.js';
import type { ChangeKind, ChangeSet, ChangeStats, Op, WordPart } from '../model/changeset.js';
import { paragraphChangePhrases } from '../model/changeset.js';
import { normalizeText } from '../article/normalize.js';
import { countWords } from './similarity.js';

/**
 * An edit of at most this many words added and this many removed is small: a typo, a word or two reworded (or, with
 * a digit, a fixed figure).
 */
export const TYPO_MAX_WORDS = 2;

/** Lowest significance for each kind (see the module comment). */
export const KIND_FLOOR: Readonly<Record<ChangeKind, number>> = {
  none: 0,
  initial: 1,
  minor: 0,
  'new-top': 0.4,
  update: 0.2,
  trimmed: 0.1,
  reordered: 0.05,
  figures: 0.4,
  quotes: 0.2,
  'timestamp-only': 0,
  headline: 0.3,
  correction: 0.4,
  'write-thru': 0.5,
  'breaking-update': 0.7,
};

/** A minor change is never more significant than this. */
export const MINOR_MAX_SIGNIFICANCE = 0.1;

type Structure = NonNullable<ChangeSet['structure']>;

interface EditFacts {
  /** Only edits (no insert, delete, move, split, merge). */
  onlyEdits: boolean;
  /** Every edit is cosmetic or a small word change. */
  allSmall: boolean;
  /** Some small edit changes a word holding a digit. */
  figureChanged: boolean;
  /** Some edit is not cosmetic. */
  anyWordChange: boolean;
}

function blockOf(a: Article, index: number): BlockKind {
  return a.paragraphs[index]?.block ?? 'body';
}

function hasBlock(a: Article, kind: BlockKind): boolean {
  if (a.blocks.length > 0) return a.blocks.some((b) => b.kind === kind && b.end > b.start);
  return a.paragraphs.some((p) => p.block === kind);
}

function changedWords(parts: readonly WordPart[]): { added: number; removed: number; digit: boolean } {
  let added = 0;
  let removed = 0;
  let digit = false;
  for (const p of parts) {
    if (p.t === '=') continue;
    const w = countWords(p.v);
    if (p.t === '+') added += w;
    else removed += w;
    if (/\d/.test(p.v)) digit = true;
  }
  return { added, removed, digit };
}

function editFacts(ops: readonly Op[]): EditFacts {
  let onlyEdits = true;
  let allSmall = true;
  let figureChanged = false;
  let anyWordChange = false;
  for (const op of ops) {
    if (op.op === 'equal') continue;
    if (op.op !== 'edit') {
      onlyEdits = false;
      allSmall = false;
      continue;
    }
    if (op.cosmetic) continue;
    anyWordChange = true;
    if (op.parts === null) {
      allSmall = false;
      continue;
    }
    const c = changedWords(op.parts);
    if (c.added > TYPO_MAX_WORDS || c.removed > TYPO_MAX_WORDS) allSmall = false;
    else if (c.digit) figureChanged = true;
  }
  return { onlyEdits, allSmall, figureChanged, anyWordChange };
}

/** Characters changed (see the module comment) and characters in both versions. */
function changedShare(ops: readonly Op[], oldArticle: Article, newArticle: Article): number {
  let changed = 0;
  for (const op of ops) {
    switch (op.op) {
      case 'equal':
      case 'moved-out':
        break;
      case 'insert':
      case 'delete':
        changed += op.text.length;
        break;
      case 'edit':
        if (op.cosmetic) break;
        if (op.parts === null) changed += op.old.length + op.text.length;
        else for (const p of op.parts) if (p.t !== '=') changed += p.v.length;
        break;
      case 'move':
        changed += op.text.length / 2;
        if (op.parts !== null) for (const p of op.parts) if (p.t !== '=') changed += p.v.length;
        break;
      case 'split':
        changed += op.old.length / 10;
        break;
      case 'merge':
        changed += op.text.length / 10;
        break;
    }
  }
  let total = 0;
  for (const p of oldArticle.paragraphs) total += p.text.length;
  for (const p of newArticle.paragraphs) total += p.text.length;
  return total === 0 ? 0 : Math.min(1, changed / total);
}

export function paragraphStats(ops: readonly Op[]): ChangeStats['paragraphs'] {
  let added = 0;
  let removed = 0;
  let edited = 0;
  let moved = 0;
  let split = 0;
  let merged = 0;
  let unchanged = 0;
  for (const op of ops) {
    if (op.op === 'equal') unchanged += op.count;
    else if (op.op === 'insert') added++;
    else if (op.op === 'delete') removed++;
    else if (op.op === 'edit') edited++;
    else if (op.op === 'move') moved++;
    else if (op.op === 'split') split++;
    else if (op.op === 'merge') merged++;
  }
  return { added, removed, edited, moved, split, merged, unchanged };
}

/** For each new paragraph: true when it is unchanged (equal, or a cosmetic edit). */
function unchangedNew(ops: readonly Op[], count: number): Uint8Array {
  const out = new Uint8Array(count);
  for (const op of ops) {
    if (op.op === 'equal') out.fill(1, op.n, op.n + op.count);
    else if (op.op === 'edit' && op.cosmetic) out[op.n] = 1;
  }
  return out;
}

function findStructure(ops: readonly Op[], oldArticle: Article, newArticle: Article): Structure {
  const oldBanner = hasBlock(oldArticle, 'banner');
  const newBanner = hasBlock(newArticle, 'banner');
  const same = unchangedNew(ops, newArticle.paragraphs.length);
  let updateParagraphs = 0;
  let earlier = 0;
  let earlierSame = 0;
  let correctionAdded = false;
  for (let j = 0; j < newArticle.paragraphs.length; j++) {
    const block = blockOf(newArticle, j);
    if (block === 'update' && same[j] === 0) updateParagraphs++;
    if (block === 'earlier') {
      earlier++;
      if (same[j] === 1) earlierSame++;
    }
    if (block === 'correction' && same[j] === 0) correctionAdded = true;
  }
  let storyRemoved = false;
  for (const op of ops) {
    if (op.op === 'delete' || op.op === 'merge' || op.op === 'split') {
      const b = blockOf(oldArticle, op.o);
      if (b === 'body' || b === 'earlier') storyRemoved = true;
    }
  }
  return {
    updateParagraphs,
    bannerAdded: newBanner && !oldBanner,
    bannerRemoved: oldBanner && !newBanner,
    earlierUnchanged: earlier > 0 && earlierSame === earlier && !storyRemoved,
    correctionAdded,
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function countsLine(p: ChangeStats['paragraphs']): string {
  const parts = paragraphChangePhrases(p);
  return parts.length === 0 ? 'no paragraph changed' : `paragraphs: ${parts.join(', ')}`;
}

export interface Classification {
  readonly kind: ChangeKind;
  readonly significance: number;
  readonly summary: string;
  readonly structure: Structure;
}

export function classifyChange(
  ops: readonly Op[],
  oldArticle: Article,
  newArticle: Article,
  stats: ChangeStats,
): Classification {
  const structure = findStructure(ops, oldArticle, newArticle);
  const facts = editFacts(ops);
  const titleChanged = oldArticle.title !== newArticle.title;
  const titleReal = titleChanged && normalizeText(oldArticle.title) !== normalizeText(newArticle.title);
  const anyOp = ops.some((op) => op.op !== 'equal');
  const p = stats.paragraphs;

  let kind: ChangeKind;
  let summary: string;
  if (!anyOp && !titleChanged) {
    kind = 'none';
    summary = 'No change';
  } else if (hasBlock(newArticle, 'banner') && structure.updateParagraphs > 0) {
    kind = 'breaking-update';
    const where = structure.bannerAdded
      ? 'placed above the earlier story, with the banner'
      : 'added to the update above the banner';
    const below = structure.earlierUnchanged
      ? 'the earlier story is unchanged'
      : hasBlock(newArticle, 'earlier')
        ? 'the earlier story also changed'
        : 'the story below changed';
    summary = `Breaking update: ${plural(structure.updateParagraphs, 'paragraph')} ${where}; ${below}`;
  } else if (structure.bannerRemoved) {
    kind = 'write-thru';
    summary = `Write-thru: the banner is gone and the story was rewritten (${countsLine(p)})`;
  } else if (structure.correctionAdded || (facts.onlyEdits && facts.allSmall && facts.figureChanged)) {
    kind = 'correction';
    const notice = structure.correctionAdded ? 'a correction notice was added' : 'a figure was fixed in place';
    summary = `Correction: ${notice} (${countsLine(p)})`;
  } else if (titleReal && (!anyOp || (facts.onlyEdits && facts.allSmall))) {
    kind = 'headline';
    summary = `Headline changed: “${newArticle.title}” (was “${oldArticle.title}”)`;
  } else if (facts.onlyEdits && facts.allSmall && !titleReal) {
    kind = 'minor';
    const what = facts.anyWordChange ? 'a word or two' : 'whitespace or punctuation';
    summary = `Minor edit: ${plural(p.edited, 'paragraph')} touched (${what} only)`;
    if (p.edited === 0) summary = 'Minor edit: the headline changed in whitespace or punctuation only';
  } else {
    kind = 'update';
    summary = `Changed: ${countsLine(p)}${titleReal ? '; new headline' : ''}`;
  }

  let significance = 0;
  if (kind !== 'none') {
    const floor = KIND_FLOOR[kind];
    significance = floor + (1 - floor) * changedShare(ops, oldArticle, newArticle);
    if (kind === 'minor') significance = Math.min(MINOR_MAX_SIGNIFICANCE, significance);
    significance = Math.round(significance * 1000) / 1000;
    if (significance === 0) significance = 0.001;
  }
  return { kind, significance, summary, structure };
}
