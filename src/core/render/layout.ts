/**
 * The layout every diff renderer shares: a ChangeSet's ops (plus, when given, the two articles) turned into sections
 * (one per run of the story's blocks: breaking update, banner, earlier story…) holding change items, visible
 * unchanged paragraphs and folds (collapsed runs of unchanged paragraphs). Renderers only format what this decides,
 * so the terminal, HTML and feed outputs agree on what is shown, where, and under which heading.
 *
 * Work is linear in the number of ops plus the number of unchanged paragraphs shown or folded with text.
 */
import type { Article, BlockKind } from '../model/article.js';
import type { ChangeSet, ChangeStats, Op } from '../model/changeset.js';
import { paragraphChangePhrases, upgradeKind } from '../model/changeset.js';
import { kindLabel } from '../model/kinds.js';

export { kindLabel };
import { WirediffError } from '../errors.js';
import { plural } from '../words.js';

/** Every op but `equal`: what a change item carries. */
export type ChangeOp = Exclude<Op, { op: 'equal' }>;

export type Item =
  /** A changed paragraph (or the old place of a moved one). */
  | { readonly t: 'change'; readonly op: ChangeOp; readonly block: BlockKind }
  /** An unchanged paragraph shown as context (its text is known). */
  | { readonly t: 'same'; readonly o: number; readonly n: number; readonly text: string; readonly block: BlockKind }
  /**
   * `count` unchanged paragraphs from old `o` / new `n`, collapsed. `withText` says whether their texts are known
   * (then `texts(layout, item)` gives them, for an expandable fold); without the articles only the count is known.
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

/** Banner lines, recognised by text when no parsed article says which block a paragraph is in. */
const BANNER_TEXT =
  /\bBREAKING NEWS UPDATE\b|\bearlier (?:story|version) (?:is )?below\b|^\W*(?:this story has been updated|update(?:d)?:)/i;

/** Correction notices, recognised by text when no parsed article says which block a paragraph is in. */
const CORRECTION_TEXT =
  /^\W*(?:corrections?\b|this (?:story|article|report) (?:has been|was) corrected\b|corrects\b|editor['’]s note\b)/i;

/** Block kinds worth their own section even for a paragraph that only the old version has. */
const DISTINCT_OLD_BLOCKS: ReadonlySet<BlockKind> = new Set<BlockKind>(['update', 'banner', 'correction']);

const BLOCK_KINDS: ReadonlySet<string> = new Set([
  'update',
  'banner',
  'earlier',
  'body',
  'correction',
  'byline',
  'dateline',
]);

/** A block kind as it may be used in a class name: a known kind, else 'body'. */
export function knownBlock(kind: unknown): BlockKind {
  return typeof kind === 'string' && BLOCK_KINDS.has(kind) ? (kind as BlockKind) : 'body';
}

function corrupt(k: number, op: unknown, what: string, value: unknown): never {
  const name = typeof op === 'object' && op !== null && 'op' in op ? String(op.op) : '?';
  throw new WirediffError(
    'E_CORRUPT',
    `ChangeSet op ${k} (${name}): ${what}, received ${JSON.stringify(value) ?? String(value)}`,
  );
}

/**
 * Renderers write op fields into markup (numbers into ids, texts escaped): a ChangeSet read back from storage or the
 * network is checked first, so a corrupt one is a clear fault (`E_CORRUPT`), never broken or active markup.
 */
function checkOp(op: Op, k: number): void {
  const r = op as unknown as Record<string, unknown>;
  const index = (name: string): void => {
    const v = r[name];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
      corrupt(k, op, `"${name}" must be an integer ≥ 0`, v);
  };
  const str = (name: string): void => {
    if (typeof r[name] !== 'string') corrupt(k, op, `"${name}" must be a string`, r[name]);
  };
  const strs = (name: string): void => {
    const v = r[name];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
      corrupt(k, op, `"${name}" must be an array of strings`, v);
  };
  const parts = (): void => {
    const v = r.parts;
    if (v === null) return;
    if (!Array.isArray(v)) corrupt(k, op, '"parts" must be an array or null', v);
    for (const p of v as unknown[]) {
      const part = p as { t?: unknown; v?: unknown } | null;
      if (
        part === null ||
        typeof part !== 'object' ||
        (part.t !== '=' && part.t !== '+' && part.t !== '-') ||
        typeof part.v !== 'string'
      ) {
        corrupt(k, op, '"parts" must hold {t: "="|"+"|"-", v: string}', p);
      }
    }
  };
  switch (op.op) {
    case 'equal':
      index('o');
      index('n');
      index('count');
      return;
    case 'insert':
      index('n');
      str('text');
      return;
    case 'delete':
      index('o');
      str('text');
      return;
    case 'edit':
      index('o');
      index('n');
      str('old');
      str('text');
      parts();
      return;
    case 'move':
      index('o');
      index('n');
      str('text');
      parts();
      return;
    case 'moved-out':
      index('o');
      index('n');
      str('text');
      return;
    case 'split':
      index('o');
      index('n');
      str('old');
      strs('texts');
      return;
    case 'merge':
      index('o');
      index('n');
      strs('olds');
      str('text');
      return;
    default:
      corrupt(k, op, '"op" must be a known operation', (op as { op: unknown }).op);
  }
}

export function emptyCounts(): SectionCounts {
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

export function layoutChangeSet(cs: ChangeSet, options: LayoutOptions): Layout {
  const { old, next } = options;
  const context = Math.max(0, Math.floor(options.context));
  const collapseAfter = Math.max(0, Math.floor(options.collapseAfter));
  const expand = options.expand ?? [];
  const expanded = (n: number): boolean => {
    for (let k = 0; k < expand.length; k++) {
      const r = expand[k]!;
      if (n >= r.start && n < r.start + r.count) return true;
    }
    return false;
  };

  // Without the new article, the story's structure comes from the ChangeSet: a breaking update's first
  // `updateParagraphs` new paragraphs are the update, a banner-like inserted line is the banner, the rest the earlier story.
  const updateParagraphs =
    cs.structure !== undefined && (cs.kind === 'breaking-update' || cs.structure.updateParagraphs > 0)
      ? cs.structure.updateParagraphs
      : -1;
  const newBlockOf = (n: number, text: string | null): BlockKind => {
    const p = next?.paragraphs[n];
    if (p !== undefined) return knownBlock(p.block);
    if (text !== null && CORRECTION_TEXT.test(text)) return 'correction';
    if (updateParagraphs < 0) return text !== null && BANNER_TEXT.test(text) ? 'banner' : 'body';
    if (n < updateParagraphs) return 'update';
    if (text !== null && BANNER_TEXT.test(text)) return 'banner';
    return 'earlier';
  };
  const newText = (n: number): string | null => next?.paragraphs[n]?.text ?? null;

  const sections: Section[] = [];
  let current: Section | null = null;
  const push = (item: Item): void => {
    if (current === null || current.block !== item.block) {
      current = { block: item.block, heading: true, items: [], counts: emptyCounts() };
      sections.push(current);
    }
    current.items.push(item);
    if (item.t !== 'change' || (item.op.op !== 'delete' && item.op.op !== 'moved-out')) lastNewBlock = item.block;
    if (item.t === 'change') countChange(current.counts, item.op);
    else if (item.t === 'same') current.counts.unchanged++;
    else current.counts.unchanged += item.count;
  };
  // A paragraph only the old version has joins the block of the last paragraph the new version has (not a removed
  // banner's or update's section, which would swallow the removed earlier story after it).
  let lastNewBlock: BlockKind | null = null;
  const inherited = (): BlockKind => lastNewBlock ?? (current === null ? 'body' : current.block);
  const oldOnlyBlock = (o: number, text: string): BlockKind => {
    const ob = old?.paragraphs[o]?.block;
    if (ob !== undefined) return DISTINCT_OLD_BLOCKS.has(ob) ? knownBlock(ob) : inherited();
    return BANNER_TEXT.test(text) ? 'banner' : inherited();
  };

  const ops = cs.ops;
  for (let k = 0; k < ops.length; k++) {
    const op = ops[k]!;
    checkOp(op, k);
    switch (op.op) {
      case 'equal': {
        if (options.changesOnly === true || op.count <= 0) break;
        const hasText = next !== undefined && newText(op.n + op.count - 1) !== null;
        if (!hasText) {
          push({ t: 'fold', o: op.o, n: op.n, count: op.count, withText: false, block: newBlockOf(op.n, null) });
          break;
        }
        // Which paragraphs of the run stay visible: `context` next to a neighbouring change, all of a short run.
        let hideFrom = op.count;
        let hideTo = op.count;
        if (op.count > collapseAfter) {
          const head = k > 0 ? context : 0;
          const tail = k < ops.length - 1 ? context : 0;
          if (op.count - head - tail >= 2) {
            hideFrom = head;
            hideTo = op.count - tail;
          }
        }
        let i = 0;
        while (i < op.count) {
          if (i >= hideFrom && i < hideTo && !expanded(op.n + i)) {
            // A fold never spans two blocks (nor an expanded run); a one-paragraph remainder is shown instead.
            const block = newBlockOf(op.n + i, null);
            let j = i + 1;
            while (j < hideTo && newBlockOf(op.n + j, null) === block && !expanded(op.n + j)) j++;
            if (j - i >= 2) {
              push({ t: 'fold', o: op.o + i, n: op.n + i, count: j - i, withText: true, block });
            } else {
              push({ t: 'same', o: op.o + i, n: op.n + i, text: newText(op.n + i) ?? '', block });
            }
            i = j;
          } else {
            push({
              t: 'same',
              o: op.o + i,
              n: op.n + i,
              text: newText(op.n + i) ?? '',
              block: newBlockOf(op.n + i, null),
            });
            i++;
          }
        }
        break;
      }
      case 'insert':
        push({ t: 'change', op, block: newBlockOf(op.n, op.text) });
        break;
      case 'delete':
        push({ t: 'change', op, block: oldOnlyBlock(op.o, op.text) });
        break;
      case 'moved-out':
        push({ t: 'change', op, block: oldOnlyBlock(op.o, op.text) });
        break;
      case 'edit':
      case 'move':
      case 'merge':
        push({ t: 'change', op, block: newBlockOf(op.n, op.text) });
        break;
      case 'split':
        push({ t: 'change', op, block: newBlockOf(op.n, op.texts[0] ?? null) });
        break;
    }
  }
  const onlyBody = sections.every((section) => section.block === 'body');
  for (const section of sections) section.heading = section.block !== 'body' || !onlyBody;
  return { sections, newText };
}

/** The texts of a fold's paragraphs (only for a fold `withText`). */
export function foldTexts(layout: Layout, item: Extract<Item, { t: 'fold' }>): string[] {
  const out: string[] = [];
  for (let i = 0; i < item.count; i++) out.push(layout.newText(item.n + i) ?? '');
  return out;
}

const BLOCK_TITLES: Readonly<Record<BlockKind, string>> = {
  update: 'Breaking update',
  banner: 'Banner',
  earlier: 'Earlier story',
  body: 'Story',
  correction: 'Correction',
  byline: 'Byline',
  dateline: 'Dateline',
};

export function blockTitle(block: BlockKind): string {
  return BLOCK_TITLES[block];
}

/** "new, 6 paragraphs" / "unchanged, 27 paragraphs" / "2 added, 1 edited, 24 unchanged". */
export function sectionNote(section: Section): string {
  const c = section.counts;
  const changed = c.added + c.removed + c.edited + c.moved + c.split + c.merged;
  const single = section.block === 'banner' || section.block === 'byline' || section.block === 'dateline';
  if (changed === 0 && c.unchanged === 0) return single ? 'moved' : 'moved away';
  if (changed === c.added && c.unchanged === 0)
    return single && c.added === 1 ? 'added' : `new, ${plural(c.added, 'paragraph')}`;
  if (changed === c.removed && c.unchanged === 0)
    return single && c.removed === 1 ? 'removed' : `removed, ${plural(c.removed, 'paragraph')}`;
  if (changed === 0)
    return single && c.unchanged === 1 ? 'unchanged' : `unchanged, ${plural(c.unchanged, 'paragraph')}`;
  const parts = paragraphChangePhrases(c);
  if (c.unchanged > 0) parts.push(`${c.unchanged} unchanged`);
  return parts.join(', ');
}

/** The kind as it may be used in a class name: a known kind (a `/1` kind read as its `/2` kind), else 'update'. */
export function knownKind(kind: unknown): ChangeSet['kind'] {
  return upgradeKind(typeof kind === 'string' ? kind : '');
}

/**
 * The summary line split into a label and the rest: the summary's own label when it has one ("Write-thru: the banner
 * is gone…"), else the kind's ("Rewritten", summary). Lets renderers say the kind once, in bold.
 */
export function summaryParts(cs: ChangeSet): { label: string; rest: string } {
  const summary = cs.summary.replace(/\s+/g, ' ').trim();
  const own = /^([^:]{1,24}):\s*(.*)$/.exec(summary);
  if (own !== null) return { label: own[1]!, rest: own[2]! };
  const label = kindLabel(cs.kind);
  return { label, rest: summary.toLowerCase() === label.toLowerCase() ? '' : summary };
}

/** "7 added, 2 edited, 27 unchanged (27 → 34 paragraphs); words +123 −4". */
export function statsLine(stats: ChangeStats): string {
  const p = stats.paragraphs;
  const parts: string[] = [];
  if (p.added > 0) parts.push(`${p.added} added`);
  if (p.removed > 0) parts.push(`${p.removed} removed`);
  if (p.edited > 0) parts.push(`${p.edited} edited`);
  if (p.moved > 0) parts.push(`${p.moved} moved`);
  if (p.split > 0) parts.push(`${p.split} split`);
  if (p.merged > 0) parts.push(`${p.merged} merged`);
  parts.push(`${p.unchanged} unchanged`);
  return `${parts.join(', ')} (${stats.oldParagraphs} → ${plural(stats.newParagraphs, 'paragraph')}); words +${stats.words.added} −${stats.words.removed}`;
}

/** "¶5" or "¶5–¶7" for `count` paragraphs from 0-based `start` (paragraph numbers shown to people are 1-based). */
export function paraRange(start: number, count: number): string {
  return count <= 1 ? `¶${start + 1}` : `¶${start + 1}–¶${start + count}`;
}
