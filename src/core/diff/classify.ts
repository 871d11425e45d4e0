/**
 * Classifying a change as a whole: its `facets` (every kind of change it carries), its primary `kind`, its `facts`,
 * `significance`, `structure` and one-line `summary`. The rules, with an example for each kind, are in
 * docs/changes.md; in short:
 *
 * - `breaking-update`: the new version has a breaking-news banner and new or changed paragraphs in the update block
 *   above it (AP's layered update).
 * - `write-thru`: the banner is gone and the story changed; or most of the story is new (at least
 *   `WRITE_THRU_MIN_FRESH` of the new story paragraphs are new or rewritten and `WRITE_THRU_MIN_LOST` of the old
 *   ones are gone or rewritten, with at least `WRITE_THRU_MIN_PARAGRAPHS` story paragraphs).
 * - `correction`: a correction notice, a CORRECTS/CORRECTED marker, an editor's note or a clarification was added
 *   (never a figure changed alone).
 * - `new-top`: the lede was replaced (a new paragraph, a paragraph moved up, or the lede rewritten).
 * - `figures`: a number changed inside a paragraph (dates and times are not figures).
 * - `update`: story paragraphs added below the top, a live blog's new entries, or a paragraph edited by more than a
 *   word or two.
 * - `quotes`: a quotation (`QUOTE_MIN_WORDS` words or more) added or removed.
 * - `headline`: the headline changed (wire prefixes such as "UPDATE 2-" aside).
 * - `trimmed`: story paragraphs taken out.
 * - `reordered`: story paragraphs moved.
 * - `minor`: only typos, punctuation, style (at most `TYPO_MAX_WORDS` words), bylines or notes with no story change.
 * - `timestamp-only`: only dates and times changed (edits, "Updated …" lines, datelines, "Still current at").
 * `minor` and `timestamp-only` are facets only when nothing else changed. The primary kind is the first facet in
 * `KIND_ORDER`.
 *
 * Significance (0..1, 3 decimals): 0 for `none` and `timestamp-only`; else `floor + (1 − floor) · changed`, where
 * `floor` is the highest `FACET_FLOOR` among the facets (a figure in the lede counts `LEDE_FIGURE_FLOOR`) and
 * `changed` the share of the text of both versions (in characters) inserted, deleted or replaced (dates-only and
 * cosmetic edits count 0, moves half, splits and merges a tenth); `minor` is capped at `MINOR_MAX_SIGNIFICANCE`.
 */
import type { Article, BlockKind } from '../model/article.js';
import type { ChangeFact, ChangeKind, ChangeSet, ChangeStats, Op } from '../model/changeset.js';
import { KIND_ORDER } from '../model/kinds.js';
import { CORRECTION_CONVENTIONS } from './conventions.js';
import { analyzeChange, type Analysis } from './facts.js';
import { summarize } from './summary.js';

/** Lowest significance of a change carrying each facet (see the module comment). */
export const FACET_FLOOR: Readonly<Record<ChangeKind, number>> = {
  none: 0,
  initial: 1,
  'timestamp-only': 0,
  minor: 0,
  reordered: 0.05,
  trimmed: 0.05,
  update: 0.2,
  quotes: 0.25,
  headline: 0.3,
  figures: 0.35,
  correction: 0.5,
  'new-top': 0.6,
  'write-thru': 0.6,
  'breaking-update': 0.7,
};
/** A figure changed in the lede is news: it ranks with a new top. */
export const LEDE_FIGURE_FLOOR = 0.6;
/** A minor change is never more significant than this. */
export const MINOR_MAX_SIGNIFICANCE = 0.1;
/** Write-thru without a banner: shares of fresh new / lost old story paragraphs, and the least story size. */
export const WRITE_THRU_MIN_FRESH = 0.5;
export const WRITE_THRU_MIN_LOST = 0.3;
export const WRITE_THRU_MIN_PARAGRAPHS = 3;

type Structure = NonNullable<ChangeSet['structure']>;

function blockOf(a: Article, index: number): BlockKind {
  return a.paragraphs[index]?.block ?? 'body';
}

function hasBlock(a: Article, kind: BlockKind): boolean {
  if (a.blocks.length > 0) return a.blocks.some((b) => b.kind === kind && b.end > b.start);
  return a.paragraphs.some((p) => p.block === kind);
}

/** Characters changed (see the module comment) and characters in both versions. */
function changedShare(ops: readonly Op[], oldArticle: Article, newArticle: Article, an: Analysis): number {
  let changed = 0;
  for (const [k, op] of ops.entries()) {
    if (an.editClass[k] === 'timestamp' || an.editClass[k] === 'cosmetic') continue;
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

export interface Classification {
  readonly kind: ChangeKind;
  readonly facets: ChangeKind[];
  readonly facts: ChangeFact[];
  readonly significance: number;
  readonly summary: string;
  readonly structure: Structure;
}

function findFacets(
  ops: readonly Op[],
  oldArticle: Article,
  newArticle: Article,
  an: Analysis,
  structure: Structure,
): Set<ChangeKind> {
  const facets = new Set<ChangeKind>();
  const has = (t: ChangeFact['type']): boolean => an.facts.some((f) => f.type === t);
  const breaking = hasBlock(newArticle, 'banner') && structure.updateParagraphs > 0 && hasUpdateBanner(newArticle);
  if (breaking) facets.add('breaking-update');
  const storyChanged = ops.some((op, k) => {
    if (op.op === 'equal' || op.op === 'moved-out') return false;
    const c = an.editClass[k];
    return c !== 'cosmetic' && c !== 'timestamp';
  });
  const st = an.story;
  if (
    (structure.bannerRemoved && storyChanged) ||
    (st.newCount >= WRITE_THRU_MIN_PARAGRAPHS &&
      st.oldCount >= WRITE_THRU_MIN_PARAGRAPHS &&
      st.newFresh >= WRITE_THRU_MIN_FRESH * st.newCount &&
      st.oldLost >= WRITE_THRU_MIN_LOST * st.oldCount)
  ) {
    facets.add('write-thru');
  }
  if (an.facts.some((f) => f.type === 'note' && CORRECTION_CONVENTIONS.has(f.convention))) facets.add('correction');
  if (has('lede') && !breaking) facets.add('new-top');
  if (has('figure')) facets.add('figures');
  const addedBelow = an.facts.some((f) => f.type === 'added' && (f.where !== 'top' || an.liveBlog));
  // An edit whose change is a quote swapped is said by the quotes facet.
  const quoted = new Set(an.facts.flatMap((f) => (f.type === 'quote' && f.at.n !== undefined ? [f.at.n] : [])));
  const substantiveEdit = ops.some(
    (op, k) =>
      (op.op === 'edit' || op.op === 'split' || op.op === 'merge' || op.op === 'move') &&
      (an.editClass[k] === 'substantive' || an.editClass[k] === 'rewrite') &&
      (an.newRoles[op.n] ?? 'story') === 'story' &&
      !quoted.has(op.n),
  );
  const entries = an.facts.find((f) => f.type === 'entries');
  if (
    (!breaking && addedBelow) ||
    (!breaking && substantiveEdit && !facets.has('new-top')) ||
    (entries !== undefined && entries.type === 'entries' && entries.added + entries.edited > 0)
  ) {
    facets.add('update');
  }
  if (!breaking && substantiveEdit && facets.has('new-top')) {
    // A rewritten lede is the new top; other rewritten paragraphs are an update.
    const ledeAt = an.newRoles.indexOf('story');
    const other = ops.some(
      (op, k) =>
        (op.op === 'edit' || op.op === 'move') &&
        op.n !== ledeAt &&
        (an.editClass[k] === 'substantive' || an.editClass[k] === 'rewrite') &&
        an.newRoles[op.n] === 'story',
    );
    if (other) facets.add('update');
  }
  if (has('quote')) facets.add('quotes');
  if (has('headline')) facets.add('headline');
  if (an.facts.some((f) => f.type === 'removed' || (f.type === 'entries' && f.removed > 0))) facets.add('trimmed');
  if (ops.some((op) => op.op === 'move' && an.newRoles[op.n] === 'story')) facets.add('reordered');
  if (facets.size > 0) return facets;
  const minorEdit = ops.some((op, k) => {
    if (op.op === 'equal' || op.op === 'moved-out') return false;
    const c = an.editClass[k];
    return c !== 'timestamp';
  });
  if (minorEdit || has('byline') || (has('note') && !has('timestamp'))) facets.add('minor');
  else if (has('timestamp') || has('dateline')) facets.add('timestamp-only');
  else if (oldArticle.title !== newArticle.title) facets.add('minor');
  else if (ops.some((op) => op.op !== 'equal')) facets.add('minor');
  if (facets.has('minor') && has('dateline') && !minorEdit) {
    const d = an.facts.find((f) => f.type === 'dateline');
    if (d !== undefined && d.type === 'dateline' && !has('byline') && !has('note')) {
      facets.delete('minor');
      facets.add('timestamp-only');
    }
  }
  return facets;
}

/** The banner of the update block is a breaking-news banner (AP's), not an update note on a plain story. */
function hasUpdateBanner(a: Article): boolean {
  return a.paragraphs.some((p) => p.block === 'update');
}

export function classifyChange(
  ops: readonly Op[],
  oldArticle: Article,
  newArticle: Article,
  stats: ChangeStats,
): Classification {
  const structure = findStructure(ops, oldArticle, newArticle);
  const anyOp = ops.some((op) => op.op !== 'equal');
  if (!anyOp && oldArticle.title === newArticle.title) {
    return { kind: 'none', facets: [], facts: [], significance: 0, summary: 'No change', structure };
  }
  const an = analyzeChange(ops, oldArticle, newArticle);
  const facetSet = findFacets(ops, oldArticle, newArticle, an, structure);
  const facets = KIND_ORDER.filter((k) => facetSet.has(k));
  const kind: ChangeKind = facets[0] ?? 'minor';

  let significance = 0;
  if (kind !== 'timestamp-only') {
    let floor = 0;
    for (const f of facets) floor = Math.max(floor, FACET_FLOOR[f]);
    if (an.facts.some((f) => f.type === 'figure' && f.inLede)) floor = Math.max(floor, LEDE_FIGURE_FLOOR);
    significance = floor + (1 - floor) * changedShare(ops, oldArticle, newArticle, an);
    if (kind === 'minor') significance = Math.min(MINOR_MAX_SIGNIFICANCE, significance);
    significance = Math.round(significance * 1000) / 1000;
    if (significance === 0) significance = 0.001;
  }
  const summary = summarize({
    kind,
    facets,
    facts: an.facts,
    structure,
    stats,
    liveBlog: an.liveBlog,
    oldTitle: oldArticle.title,
    newTitle: newArticle.title,
    earlierExists: hasBlock(newArticle, 'earlier'),
  });
  return { kind, facets, facts: an.facts, significance, summary, structure };
}
