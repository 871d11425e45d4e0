/**
 * The facts of a change, read from the ops and both articles: figures changed (with their context words), quotes
 * added or removed (with the speaker), the lede replaced, the headline before and after (and which headline of the
 * page), bylines and datelines changed, where new material went (top, middle, end), paragraphs taken out, the story's
 * own update notes (Reuters, AFP, Bloomberg, AP, "This story has been updated…", "Editor's note:", "Clarification:"),
 * live-blog entries, and dates or times that changed. Also what each edit is (see `EditClass`), which the classifier
 * turns into facets. Pure; see docs/changes.md for the rules.
 *
 * This module composes the fact finders of facts/ (one kind of fact each) in a fixed order, which is the order of
 * the facts in a ChangeSet.
 */
import type { Article } from '../model/article.js';
import type { ChangeFact, Op } from '../model/changeset.js';
import { factContext, isTextEdit, rolesOfBoth, type FactContext, type Role } from './facts/context.js';
import { classifyEdits, type EditClass } from './facts/edit-class.js';
import { creditFacts } from './facts/credits.js';
import { figureFacts } from './facts/figures.js';
import { headlineFact } from './facts/headline.js';
import { ledeFact } from './facts/lede.js';
import { noteFacts } from './facts/notes.js';
import { paragraphFacts, type ParagraphFacts } from './facts/paragraphs.js';
import { quoteEditFacts, quoteParagraphFacts } from './facts/quotes.js';
import { timestampEditFact, timestampLineFacts } from './facts/timestamps.js';

export { changedFigures } from './facts/figures.js';

export interface Analysis {
  readonly facts: ChangeFact[];
  /** For each op (same index): its edit class, for `edit`, `move` with a text change, `split` and `merge`. */
  readonly editClass: (EditClass | null)[];
  /** Paragraph roles of the old and new versions. */
  readonly oldRoles: readonly Role[];
  readonly newRoles: readonly Role[];
  /** The new version reads as a live blog (timestamped entries). */
  readonly liveBlog: boolean;
  /** Old and new story paragraphs, and how many of each were rewritten, inserted or deleted. */
  readonly story: ParagraphFacts['story'];
}

/** The facts of each edit, in op order: its dates changed, or its figures and quotes (cosmetic edits say nothing). */
function editFacts(ctx: FactContext): ChangeFact[] {
  return ctx.ops.flatMap((op, k) => {
    if (!isTextEdit(op)) return [];
    const cls = ctx.editClass[k];
    if (cls === 'timestamp') return [timestampEditFact(ctx, op)];
    if (cls === 'cosmetic') return [];
    return [...figureFacts(ctx, op), ...quoteEditFacts(ctx, op)];
  });
}

export function analyzeChange(ops: readonly Op[], oldA: Article, newA: Article): Analysis {
  const { oldRoles, newRoles } = rolesOfBoth(oldA, newA);
  const editClass = classifyEdits(ops, oldA, newA);
  const ctx = factContext(ops, oldA, newA, oldRoles, newRoles, editClass);
  const lede = ledeFact(ctx);
  const paragraphs = paragraphFacts(ctx, lede !== undefined);
  const headline = headlineFact(oldA, newA);
  const facts: ChangeFact[] = [
    ...editFacts(ctx),
    ...(lede !== undefined ? [lede] : []),
    ...paragraphs.facts,
    ...quoteParagraphFacts(ctx),
    ...timestampLineFacts(ctx),
    ...noteFacts(ctx),
    ...(headline !== undefined ? [headline] : []),
    ...creditFacts(ctx),
  ];
  return { facts, editClass, oldRoles, newRoles, liveBlog: ctx.liveBlog, story: paragraphs.story };
}
