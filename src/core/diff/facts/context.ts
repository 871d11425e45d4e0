/**
 * What every fact finder reads: both articles, the ops, each paragraph's role, what became of each old paragraph and
 * where each new one came from, the edit class of each op, and the ledes. Built once per change by `analyzeChange`.
 */
import type { Article, Paragraph } from '../../model/article.js';
import type { Op } from '../../model/changeset.js';
import { isEntry, isTimestampLine, LIVE_BLOG_MIN_ENTRIES, noteConvention, WITH_AGENCY_CREDIT } from '../conventions.js';
import type { EditClass } from './edit-class.js';

/** What a paragraph is, for the facts. */
export type Role = 'story' | 'note' | 'timestamp' | 'byline' | 'dateline';

/** An op that changes one paragraph's text in place or on the way: an edit, or a move with word parts. */
export type TextEdit = Extract<Op, { op: 'edit' }> | (Extract<Op, { op: 'move' }> & { readonly parts: object });

export function isTextEdit(op: Op): op is TextEdit {
  return op.op === 'edit' || (op.op === 'move' && op.parts !== null);
}

export interface FactContext {
  readonly ops: readonly Op[];
  readonly oldA: Article;
  readonly newA: Article;
  readonly oldRoles: readonly Role[];
  readonly newRoles: readonly Role[];
  /** For each op (same index): its edit class (see `classifyEdits`). */
  readonly editClass: readonly (EditClass | null)[];
  /** The new version reads as a live blog (timestamped entries). */
  readonly liveBlog: boolean;
  /** Where each new paragraph came from. */
  readonly newFrom: readonly ('kept' | 'inserted' | 'moved')[];
  /** What happened to each old paragraph. */
  readonly oldFate: readonly ('kept' | 'deleted' | 'moved')[];
  /** The op that produced each new paragraph other than an equal one (-1 for none). */
  readonly newOp: readonly number[];
  /** The first story paragraph of the new and of the old version (-1 for none). */
  readonly ledeNew: number;
  readonly ledeOld: number;
}

function roleOf(p: Paragraph): Role {
  if (p.block === 'byline' || WITH_AGENCY_CREDIT.test(p.norm)) return 'byline';
  if (p.block === 'dateline') return 'dateline';
  if (isTimestampLine(p.norm)) return 'timestamp';
  if (p.block === 'banner' || p.block === 'correction' || noteConvention(p.norm) !== null) return 'note';
  return 'story';
}

/**
 * The role of every paragraph of both versions. A role depends only on a paragraph's block and normalized text, so
 * each distinct pair is judged once: a new version repeats most of the last one's paragraphs, and the judging (the
 * timestamp and note conventions) is most of the cost of reading a change's facts.
 */
export function rolesOfBoth(oldA: Article, newA: Article): { oldRoles: Role[]; newRoles: Role[] } {
  const judged = new Map<Paragraph['block'], Map<string, Role>>();
  const of = (p: Paragraph): Role => {
    let byNorm = judged.get(p.block);
    if (byNorm === undefined) judged.set(p.block, (byNorm = new Map<string, Role>()));
    let role = byNorm.get(p.norm);
    if (role === undefined) {
      role = roleOf(p);
      byNorm.set(p.norm, role);
    }
    return role;
  };
  return { oldRoles: oldA.paragraphs.map(of), newRoles: newA.paragraphs.map(of) };
}

/** True when the article reads as a live blog: at least `LIVE_BLOG_MIN_ENTRIES` timestamped entries. */
export function isLiveBlog(a: Article): boolean {
  return a.paragraphs.filter((p) => isEntry(p.norm)).length >= LIVE_BLOG_MIN_ENTRIES;
}

/** The context of one change (see `FactContext`). */
export function factContext(
  ops: readonly Op[],
  oldA: Article,
  newA: Article,
  oldRoles: readonly Role[],
  newRoles: readonly Role[],
  editClass: readonly (EditClass | null)[],
): FactContext {
  const newFrom: ('kept' | 'inserted' | 'moved')[] = newA.paragraphs.map(() => 'kept');
  const oldFate: ('kept' | 'deleted' | 'moved')[] = oldA.paragraphs.map(() => 'kept');
  const newOp: number[] = newA.paragraphs.map(() => -1);
  ops.forEach((op, k) => {
    if (op.op === 'insert') {
      newFrom[op.n] = 'inserted';
      newOp[op.n] = k;
    } else if (op.op === 'move') {
      newFrom[op.n] = 'moved';
      newOp[op.n] = k;
    } else if (op.op === 'delete') oldFate[op.o] = 'deleted';
    else if (op.op === 'moved-out') oldFate[op.o] = 'moved';
    else if (op.op === 'edit') newOp[op.n] = k;
    else if (op.op === 'split') for (let j = op.n; j < op.n + op.texts.length; j++) newOp[j] = k;
    else if (op.op === 'merge') newOp[op.n] = k;
  });
  return {
    ops,
    oldA,
    newA,
    oldRoles,
    newRoles,
    editClass,
    liveBlog: isLiveBlog(newA),
    newFrom,
    oldFate,
    newOp,
    ledeNew: newRoles.indexOf('story'),
    ledeOld: oldRoles.indexOf('story'),
  };
}

/** `s` with white space folded, cut to at most `max` UTF-16 units (an ellipsis marks the cut). */
export function clipText(s: string, max = 200): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length <= max ? t : `${t.slice(0, max - 1).trimEnd()}…`;
}
