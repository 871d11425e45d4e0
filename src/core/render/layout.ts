/**
 * The layout every diff renderer shares: a ChangeSet's ops (plus, when given, the two articles) turned into sections
 * (one per run of the story's blocks: breaking update, banner, earlier story…) holding change items, visible
 * unchanged paragraphs and folds (collapsed runs of unchanged paragraphs). Renderers only format what this decides,
 * so the terminal, HTML and feed outputs agree on what is shown, where, and under which heading.
 *
 * Work is linear in the number of ops plus the number of unchanged paragraphs shown or folded with text.
 *
 * The ops are checked first (`check-op.ts`), blocks found by `blocks.ts`; the phrases shown with the sections (notes,
 * ranges, statistics) are in `labels.ts`.
 */
import type { Article, BlockKind } from '../model/article.js';
import type { ChangeSet, Op } from '../model/changeset.js';
import { BANNER_TEXT, DISTINCT_OLD_BLOCKS, knownBlock, newBlockFinder } from './blocks.js';
import { checkOp } from './check-op.js';

/** Every op but `equal`: what a change item carries. */
export type ChangeOp = Exclude<Op, { op: 'equal' }>;

export type Item =
  /** A changed paragraph (or the old place of a moved one). */
  | { readonly t: 'change'; readonly op: ChangeOp; readonly block: BlockKind }
  /** An unchanged paragraph shown as context (its text is known). */
  | { readonly t: 'same'; readonly o: number; readonly n: number; readonly text: string; readonly block: BlockKind }
  /**
   * `count` unchanged paragraphs from old `o` / new `n`, collapsed. `withText` says whether their texts are known
   * (then `foldTexts(layout, item)` gives them, for an expandable fold); without the articles only the count is known.
   */
  | {
      readonly t: 'fold';
      readonly o: number;
      readonly n: number;
      readonly count: number;
      readonly withText: boolean;
      readonly block: BlockKind;
    };

export interface SectionCounts {
  added: number;
  removed: number;
  edited: number;
  moved: number;
  split: number;
  merged: number;
  unchanged: number;
}

export interface Section {
  readonly block: BlockKind;
  /** Whether it gets a heading: every block but a plain story body, which gets one only beside other blocks. */
  heading: boolean;
  readonly items: Item[];
  readonly counts: SectionCounts;
}

export interface Layout {
  readonly sections: readonly Section[];
  /** The new version's text of paragraph `n` when the articles were given, else null. */
  readonly newText: (n: number) => string | null;
}

export interface LayoutOptions {
  /** The two versions, for the texts of unchanged paragraphs and the block of every paragraph. */
  readonly old?: Article | undefined;
  readonly next?: Article | undefined;
  /** Unchanged paragraphs kept visible on each side of a change (when texts are known). */
  readonly context: number;
  /** An unchanged run is folded only when it is longer than this (when texts are known). */
  readonly collapseAfter: number;
  /** Leave unchanged paragraphs out entirely (feed items). */
  readonly changesOnly?: boolean;
  /**
   * Runs of new paragraphs (0-based `start`, `count`) to show in full even where they would be folded (a reader
   * asked to expand them). Unchanged paragraphs in them are shown as context; changed ones are shown anyway.
   */
  readonly expand?: readonly ParagraphRun[] | undefined;
}

/** A run of paragraphs: 0-based `start`, `count` ≥ 1. */
export interface ParagraphRun {
  readonly start: number;
  readonly count: number;
}

function emptyCounts(): SectionCounts {
  return { added: 0, removed: 0, edited: 0, moved: 0, split: 0, merged: 0, unchanged: 0 };
}

function countChange(counts: SectionCounts, op: ChangeOp): void {
  switch (op.op) {
    case 'insert':
      counts.added++;
      break;
    case 'delete':
      counts.removed++;
      break;
    case 'edit':
      counts.edited++;
      break;
    case 'move':
      counts.moved++;
      break;
    case 'moved-out':
      break;
    case 'split':
      counts.split++;
      break;
    case 'merge':
      counts.merged++;
      break;
  }
}

/** The sections being filled, item by item: a new section whenever the block changes. */
class SectionList {
  readonly sections: Section[] = [];
  private current: Section | null = null;
  /**
   * A paragraph only the old version has joins the block of the last paragraph the new version has (not a removed
   * banner's or update's section, which would swallow the removed earlier story after it).
   */
  private lastNewBlock: BlockKind | null = null;

  constructor(private readonly old: Article | undefined) {}

  push(item: Item): void {
    let current = this.current;
    if (current === null || current.block !== item.block) {
      current = { block: item.block, heading: true, items: [], counts: emptyCounts() };
      this.current = current;
      this.sections.push(current);
    }
    current.items.push(item);
    if (item.t !== 'change' || (item.op.op !== 'delete' && item.op.op !== 'moved-out')) this.lastNewBlock = item.block;
    if (item.t === 'change') countChange(current.counts, item.op);
    else if (item.t === 'same') current.counts.unchanged++;
    else current.counts.unchanged += item.count;
  }

  /** The block of old paragraph `o`, which the new version does not have (removed, or the old place of a move). */
  oldOnlyBlock(o: number, text: string): BlockKind {
    const ob = this.old?.paragraphs[o]?.block;
    if (ob !== undefined) return DISTINCT_OLD_BLOCKS.has(ob) ? knownBlock(ob) : this.inherited();
    return BANNER_TEXT.test(text) ? 'banner' : this.inherited();
  }

  private inherited(): BlockKind {
    return this.lastNewBlock ?? (this.current === null ? 'body' : this.current.block);
  }

  /** The sections, each with a heading but a plain story body alone. */
  finish(): Section[] {
    const onlyBody = this.sections.every((section) => section.block === 'body');
    for (const section of this.sections) section.heading = section.block !== 'body' || !onlyBody;
    return this.sections;
  }
}

/** What laying out an unchanged run needs. */
interface RunContext {
  readonly hasNext: boolean;
  readonly context: number;
  readonly collapseAfter: number;
  readonly newText: (n: number) => string | null;
  readonly newBlockOf: (n: number, text: string | null) => BlockKind;
  /** Whether new paragraph `n` is in a run the reader asked to expand. */
  readonly expanded: (n: number) => boolean;
}

function expandedTest(expand: readonly ParagraphRun[]): (n: number) => boolean {
  return (n) => {
    for (let k = 0; k < expand.length; k++) {
      const r = expand[k]!;
      if (n >= r.start && n < r.start + r.count) return true;
    }
    return false;
  };
}

type EqualOp = Extract<Op, { op: 'equal' }>;

/**
 * The items of an unchanged run: all of it when short, else `context` paragraphs next to a neighbouring change
 * (`before`: there is an op before the run, `after`: one after it) and folds in between.
 */
function layoutEqual(op: EqualOp, before: boolean, after: boolean, rc: RunContext, push: (item: Item) => void): void {
  const hasText = rc.hasNext && rc.newText(op.n + op.count - 1) !== null;
  if (!hasText) {
    push({ t: 'fold', o: op.o, n: op.n, count: op.count, withText: false, block: rc.newBlockOf(op.n, null) });
    return;
  }
  // Which paragraphs of the run stay visible: `context` next to a neighbouring change, all of a short run.
  let hideFrom = op.count;
  let hideTo = op.count;
  if (op.count > rc.collapseAfter) {
    const head = before ? rc.context : 0;
    const tail = after ? rc.context : 0;
    if (op.count - head - tail >= 2) {
      hideFrom = head;
      hideTo = op.count - tail;
    }
  }
  const same = (i: number, block: BlockKind): Item => ({
    t: 'same',
    o: op.o + i,
    n: op.n + i,
    text: rc.newText(op.n + i) ?? '',
    block,
  });
  let i = 0;
  while (i < op.count) {
    if (i >= hideFrom && i < hideTo && !rc.expanded(op.n + i)) {
      // A fold never spans two blocks (nor an expanded run); a one-paragraph remainder is shown instead.
      const block = rc.newBlockOf(op.n + i, null);
      let j = i + 1;
      while (j < hideTo && rc.newBlockOf(op.n + j, null) === block && !rc.expanded(op.n + j)) j++;
      push(j - i >= 2 ? { t: 'fold', o: op.o + i, n: op.n + i, count: j - i, withText: true, block } : same(i, block));
      i = j;
    } else {
      push(same(i, rc.newBlockOf(op.n + i, null)));
      i++;
    }
  }
}

export function layoutChangeSet(cs: ChangeSet, options: LayoutOptions): Layout {
  const { old, next } = options;
  const newText = (n: number): string | null => next?.paragraphs[n]?.text ?? null;
  const newBlockOf = newBlockFinder(cs, next);
  const rc: RunContext = {
    hasNext: next !== undefined,
    context: Math.max(0, Math.floor(options.context)),
    collapseAfter: Math.max(0, Math.floor(options.collapseAfter)),
    newText,
    newBlockOf,
    expanded: expandedTest(options.expand ?? []),
  };
  const list = new SectionList(old);
  const push = (item: Item): void => list.push(item);
  const ops = cs.ops;
  for (let k = 0; k < ops.length; k++) {
    const op = ops[k]!;
    checkOp(op, k);
    if (op.op === 'equal') {
      if (options.changesOnly !== true && op.count > 0) layoutEqual(op, k > 0, k < ops.length - 1, rc, push);
    } else if (op.op === 'delete' || op.op === 'moved-out') {
      push({ t: 'change', op, block: list.oldOnlyBlock(op.o, op.text) });
    } else {
      push({ t: 'change', op, block: newBlockOf(op.n, op.op === 'split' ? (op.texts[0] ?? null) : op.text) });
    }
  }
  return { sections: list.finish(), newText };
}

/** The texts of a fold's paragraphs (only for a fold `withText`). */
export function foldTexts(layout: Layout, item: Extract<Item, { t: 'fold' }>): string[] {
  const out: string[] = [];
  for (let i = 0; i < item.count; i++) out.push(layout.newText(item.n + i) ?? '');
  return out;
}
