/**
 * New and removed story paragraphs, and where they stand (top, middle, end); on a live blog, entries added, edited
 * and removed. Also counts the story paragraphs that are fresh (inserted or rewritten) and lost (deleted or
 * rewritten), which the classifier weighs for a write-thru.
 */
import type { Article } from '../../model/article.js';
import type { ChangeFact, Placement } from '../../model/changeset.js';
import { isEntry } from '../conventions.js';
import { isTextEdit, type FactContext, type Role } from './context.js';

export interface ParagraphFacts {
  readonly facts: ChangeFact[];
  readonly story: {
    readonly oldCount: number;
    readonly newCount: number;
    readonly newFresh: number;
    readonly oldLost: number;
  };
}

interface Run {
  readonly start: number;
  readonly count: number;
  readonly where: Placement;
}

function placement(hasKeptBefore: boolean, hasKeptAfter: boolean): Placement {
  if (!hasKeptBefore) return 'top';
  if (!hasKeptAfter) return 'end';
  return 'middle';
}

/** Runs of marked indexes in `order` (story paragraph indexes), each placed relative to the unmarked (kept) ones. */
function runs(order: readonly number[], marked: (i: number) => boolean): Run[] {
  const out: Run[] = [];
  let firstKept = -1;
  let lastKept = -1;
  order.forEach((i, k) => {
    if (marked(i)) return;
    if (firstKept < 0) firstKept = k;
    lastKept = k;
  });
  for (let k = 0; k < order.length; k++) {
    if (!marked(order[k]!)) continue;
    let e = k;
    while (e + 1 < order.length && marked(order[e + 1]!)) e++;
    const before = firstKept >= 0 && firstKept < k;
    const after = lastKept > e;
    out.push({ start: order[k]!, count: e - k + 1, where: placement(before, after) });
    k = e;
  }
  return out;
}

/** One side's story paragraphs, and the runs of them marked (inserted on the new side, deleted on the old one). */
interface SideRuns {
  readonly story: readonly number[];
  /** Position of each story paragraph among the story paragraphs. */
  readonly storyAt: ReadonlyMap<number, number>;
  /** Each run with how many of its paragraphs are live-blog entries. */
  readonly runs: readonly (Run & { readonly entries: number })[];
}

function sideRuns(a: Article, roles: readonly Role[], marked: (i: number) => boolean): SideRuns {
  const story = roles.flatMap((r, i) => (r === 'story' ? [i] : []));
  const storyAt = new Map(story.map((i, k) => [i, k]));
  return {
    story,
    storyAt,
    runs: runs(story, marked).map((run) => {
      const from = storyAt.get(run.start) ?? 0;
      let entries = 0;
      for (let j = from; j < from + run.count; j++) if (isEntry(a.paragraphs[story[j]!]!.norm)) entries++;
      return { ...run, entries };
    }),
  };
}

/** Edits of live-blog entries that changed more than a word or two. */
function entryEdits(ctx: FactContext): number {
  if (!ctx.liveBlog) return 0;
  return ctx.ops.filter((op, k) => {
    const cls = ctx.editClass[k];
    return isTextEdit(op) && isEntry(ctx.newA.paragraphs[op.n]!.norm) && (cls === 'substantive' || cls === 'rewrite');
  }).length;
}

/** Story paragraphs rewritten in place (each is one fresh and one lost paragraph). */
function storyRewrites(ctx: FactContext): number {
  return ctx.ops.filter((op, k) => isTextEdit(op) && ctx.newRoles[op.n] === 'story' && ctx.editClass[k] === 'rewrite')
    .length;
}

/**
 * The `added`, `removed` and `entries` facts. `ledeReplaced`: a `lede` fact was found, so a new lede put in place of
 * an old lede taken out is one replacement, not an addition and a cut.
 */
export function paragraphFacts(ctx: FactContext, ledeReplaced: boolean): ParagraphFacts {
  const { ledeNew, ledeOld, liveBlog } = ctx;
  const facts: ChangeFact[] = [];
  const ledeSwapped =
    ledeReplaced && ctx.newFrom[ledeNew] === 'inserted' && ledeOld >= 0 && ctx.oldFate[ledeOld] === 'deleted';
  const rewrites = storyRewrites(ctx);
  let newFresh = rewrites;
  let oldLost = rewrites;
  let entriesAdded = 0;
  let entriesRemoved = 0;
  const added = sideRuns(ctx.newA, ctx.newRoles, (i) => ctx.newFrom[i] === 'inserted');
  for (const run of added.runs) {
    newFresh += run.count;
    if (liveBlog) entriesAdded += run.entries;
    // A live blog's new entries are said as entries.
    if (liveBlog && run.entries === run.count) continue;
    const count = ledeSwapped && run.start === ledeNew ? run.count - 1 : run.count;
    if (count > 0) facts.push({ type: 'added', where: run.where, paragraphs: count, at: { n: run.start } });
  }
  const removed = sideRuns(ctx.oldA, ctx.oldRoles, (i) => ctx.oldFate[i] === 'deleted');
  for (const run of removed.runs) {
    oldLost += run.count;
    if (liveBlog) entriesRemoved += run.entries;
    if (liveBlog && run.entries === run.count) continue;
    const from = removed.storyAt.get(run.start) ?? 0;
    const swapped = ledeSwapped && ledeOld >= run.start && (removed.storyAt.get(ledeOld) ?? -1) < from + run.count;
    const count = swapped ? run.count - 1 : run.count;
    if (count > 0) facts.push({ type: 'removed', where: run.where, paragraphs: count, at: { o: run.start } });
  }
  const edited = entryEdits(ctx);
  if (liveBlog && entriesAdded + edited + entriesRemoved > 0) {
    facts.push({ type: 'entries', added: entriesAdded, edited, removed: entriesRemoved, at: {} });
  }
  return {
    facts,
    story: { oldCount: removed.story.length, newCount: added.story.length, newFresh, oldLost },
  };
}
