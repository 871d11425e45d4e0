/**
 * HTML fragments (no <html>/<head>) for the viewer: the diff of two versions (inline or side by side) and one version
 * as it was. Every piece of article text goes through `escapeText`; the markup has no scripts, no inline event
 * handlers and no inline styles (it is meant to live under a strict Content-Security-Policy): it only carries classes,
 * styled by the viewer's stylesheet (`VIEWER_CSS` in src/http/viewer/assets/viewer-css.ts, which
 * `wirediff diff --format html --standalone` inlines) or the page's own.
 *
 * Class names (stable, documented in the README):
 * - `wd-diff` + `wd-inline` | `wd-side-by-side`: the fragment's root.
 * - `wd-summary`, `wd-kind wd-kind-<kind>`, `wd-stats`, `wd-title-change`: the header.
 * - `wd-block wd-block-<block>` sections (`update`, `banner`, `earlier`, `body`, `correction`, `byline`, `dateline`),
 *   with a `wd-block-title` heading holding a `wd-block-note` ("new, 6 paragraphs"); a plain `body` section has a
 *   heading only when the diff has other blocks too.
 * - `wd-p` (inline) / `wd-row` (side by side) per paragraph, with one of `wd-added`, `wd-removed`, `wd-edited`,
 *   `wd-moved`, `wd-unchanged`, `wd-split`, `wd-merged`, plus `wd-b-<block>`; `wd-moved-out` marks a moved
 *   paragraph's old place, `wd-cosmetic` a formatting-only edit, `wd-replaced` an edit shown as replaced.
 * - `wd-mark` (a visible symbol with an accessible label: + − ~ ↕ ⇉ ⇇), `wd-num` (paragraph number), `wd-text`,
 *   `wd-note` (e.g. the "moved from ¶7" link, `wd-move-link`).
 * - `wd-fold`: a `<details>` holding a collapsed run of unchanged paragraphs (works without JavaScript);
 *   `wd-fold-link`: a longer run left out of the fragment, with a link (`wd-fold-open`) to where it is shown
 *   (option `foldLinks`; `data-o`, `data-n`, `data-count` say which paragraphs, 1-based, and `data-run` where the
 *   run's rows alone are served); `wd-fold-count`: a run whose texts are unknown (no `context` given), shown as a count.
 * - Side by side: `wd-row` holds exactly two cells, `wd-cell wd-old` then `wd-cell wd-new` (`wd-empty` when a side has
 *   nothing), so old is on the left, new on the right, and every row is aligned.
 *
 * Ids (1-based paragraph numbers, as shown): `<prefix>o-N` for old paragraph N, `<prefix>n-N` for new paragraph N;
 * a moved paragraph links `href="#<prefix>o-N"` from its new place and `href="#<prefix>n-M"` back from its old one
 * (when that place sits in a run left out behind a fold link, the link goes to the fold's address instead).
 *
 * Output is built in arrays and joined once: linear in the size of the ChangeSet (fast on 10,000 paragraphs).
 */
import { WirediffError } from '../errors.js';
import { checkInt as checkIntOption } from '../expect.js';
import type { Article, BlockKind, Paragraph } from '../model/article.js';
import type { ChangeSet, WordPart } from '../model/changeset.js';
import { showAsReplaced } from '../model/changeset.js';
import { factLines } from './facts.js';
import { escapeText } from './escape.js';
import {
  blockTitle,
  foldTexts,
  kindLabel,
  knownBlock,
  knownKind,
  layoutChangeSet,
  paraRange,
  sectionNote,
  statsLine,
  type ChangeOp,
  type Item,
  type Layout,
  type ParagraphRun,
  type Section,
} from './layout.js';
import { plural } from '../words.js';

export interface DiffHtmlOptions {
  readonly view: 'inline' | 'side-by-side';
  /** The two versions: unchanged paragraphs can then be shown (around changes, and inside expandable folds). */
  readonly context?: { readonly old: Article; readonly next: Article } | undefined;
  /** Unchanged runs longer than this are collapsed into a `<details>` (default 8, from 0 to 100,000). */
  readonly collapseAfter?: number | undefined;
  /** Unchanged paragraphs kept visible next to a change when a run is collapsed (default 2, from 0 to 100). */
  readonly contextParagraphs?: number | undefined;
  /** Prefix of every id, so two fragments can share a page (default ''; letters, digits, `-`, `_`, starting with a letter). */
  readonly idPrefix?: string | undefined;
  /** Level of the block headings (default 3). */
  readonly headingLevel?: 2 | 3 | 4 | 5 | 6 | undefined;
  /** Column headings of the side-by-side view (default "Before" / "After"). */
  readonly labels?: { readonly old: string; readonly new: string } | undefined;
  /**
   * Folds of more than `over` paragraphs are written as a link instead of a `<details>` holding their text, so the
   * fragment stays small however long the unchanged runs are: `href(fold)` is where the reader finds the run shown
   * (e.g. the same page with the run expanded, and an anchor), `runHref(fold)` where its rows alone are served (for
   * a script that inserts them in place). Only with `context` (without it, folds are counts anyway).
   */
  readonly foldLinks?: FoldLinks | undefined;
  /** Runs of new paragraphs (0-based) shown in full even where they would be folded. */
  readonly expand?: readonly ParagraphRun[] | undefined;
}

/** An unchanged run, 0-based: old paragraphs `o`…, new paragraphs `n`…, `count` of them. */
export interface FoldRef {
  readonly o: number;
  readonly n: number;
  readonly count: number;
}

export interface FoldLinks {
  /** Folds longer than this become links (from 0 to 100,000). */
  readonly over: number;
  readonly href: (fold: FoldRef) => string;
  readonly runHref: (fold: FoldRef) => string;
}

export interface DiffRunHtmlOptions {
  readonly view: 'inline' | 'side-by-side';
  readonly context: { readonly old: Article; readonly next: Article };
  readonly idPrefix?: string | undefined;
  /** The new paragraphs to render (0-based), all of them unchanged. */
  readonly run: ParagraphRun;
}

export interface ArticleHtmlOptions {
  readonly idPrefix?: string | undefined;
  /** Level of the title heading (default 2); block headings are one level below. */
  readonly headingLevel?: 1 | 2 | 3 | 4 | 5 | undefined;
}

const ID_PREFIX = /^(?:[A-Za-z][A-Za-z0-9_-]*)?$/;

function checkIdPrefix(fn: string, prefix: string | undefined): string {
  const p = prefix ?? '';
  if (typeof p !== 'string' || p.length > 64 || !ID_PREFIX.test(p)) {
    throw new WirediffError(
      'E_USAGE',
      `${fn}: option "idPrefix" must be '' or up to 64 letters, digits, '-' or '_' starting with a letter, received ${JSON.stringify(p)}`,
    );
  }
  return p;
}

function checkInt(fn: string, name: string, value: number | undefined, min: number, max: number, dflt: number): number {
  return checkIntOption(name, value ?? dflt, min, max, { where: fn });
}

const esc = escapeText;

/**
 * Labels we write (numbers, ranges, counts) with every non-ASCII character as a numeric reference, so that the
 * markup itself never makes the output a two-byte string: rendering and writing a page of Latin-1 text stays cheap.
 */
function label(s: string): string {
  return esc(s).replace(/[^ -~]/g, (c) => (c === '¶' ? c : `&#${c.codePointAt(0)};`));
}

type MarkKind = 'added' | 'removed' | 'edited' | 'cosmetic' | 'moved' | 'moved-out' | 'split' | 'merged' | 'unchanged';

const MARKS: Readonly<Record<MarkKind, string>> = {
  added: '<span class="wd-mark" role="img" aria-label="added">+</span>',
  removed: '<span class="wd-mark" role="img" aria-label="removed">&#8722;</span>',
  edited: '<span class="wd-mark" role="img" aria-label="edited">~</span>',
  cosmetic: '<span class="wd-mark" role="img" aria-label="edited (formatting only)">~</span>',
  moved: '<span class="wd-mark" role="img" aria-label="moved here">&#8597;</span>',
  'moved-out': '<span class="wd-mark" role="img" aria-label="moved away">&#8597;</span>',
  split: '<span class="wd-mark" role="img" aria-label="split">&#8649;</span>',
  merged: '<span class="wd-mark" role="img" aria-label="merged">&#8647;</span>',
  unchanged: '',
};

/** Word parts as HTML: `both` shows insertions and deletions, `old` only deletions, `new` only insertions. */
function partsHtml(parts: readonly WordPart[], side: 'both' | 'old' | 'new'): string {
  const out: string[] = [];
  for (const p of parts) {
    if (p.t === '=') out.push(esc(p.v));
    else if (p.t === '+') {
      if (side !== 'old') out.push('<ins>', esc(p.v), '</ins>');
    } else if (side !== 'new') out.push('<del>', esc(p.v), '</del>');
  }
  return out.join('');
}

const PREVIEW_CHARS = 120;

function preview(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  const cps = [...t];
  return cps.length <= PREVIEW_CHARS ? t : `${cps.slice(0, PREVIEW_CHARS - 1).join('')}…`;
}

function num(label: string): string {
  return `<span class="wd-num">${label}</span>`;
}

function textP(html: string, id?: string): string {
  return id === undefined ? `<p class="wd-text">${html}</p>` : `<p class="wd-text" id="${id}">${html}</p>`;
}

function rowClass(change: string, block: BlockKind, extra = ''): string {
  return `${change} wd-b-${block}${extra}`;
}

/** Renders the header: kind, significance, summary, statistics and a changed headline. */
function summaryHtml(cs: ChangeSet, out: string[]): void {
  out.push(
    '<div class="wd-summary">',
    `<p class="wd-kind wd-kind-${knownKind(cs.kind)}"><strong>${esc(kindLabel(cs.kind))}</strong> <span class="wd-significance">significance ${(Number.isFinite(cs.significance) ? cs.significance : 0).toFixed(2)}</span></p>`,
  );
  // The kind is said just above: a summary starting with the same label ("Breaking update: 6 paragraphs…") drops it.
  const own = /^([^:]{1,24}):\s*/.exec(cs.summary);
  const summary =
    own !== null && own[1]!.trim().toLowerCase() === kindLabel(cs.kind).toLowerCase()
      ? cs.summary.slice(own[0].length)
      : cs.summary;
  if (summary !== '') {
    // With its label said above, the summary starts with its first phrase: capitalise it.
    out.push(`<p class="wd-summary-text">${esc(summary.charAt(0).toUpperCase() + summary.slice(1))}</p>`);
  }
  // A changed headline has its own line below.
  const facts = factLines(cs.facts).filter((x) => !(cs.title.changed && x.label === 'Headline'));
  if (facts.length > 0) {
    out.push(
      '<ul class="wd-facts">',
      ...facts.map((f) => `<li><strong>${esc(f.label)}:</strong> ${esc(f.text)}</li>`),
      '</ul>',
    );
  }
  out.push(`<p class="wd-stats">Paragraphs: ${label(statsLine(cs.stats))}</p>`);
  if (cs.title.changed) {
    out.push(
      `<p class="wd-title-change">Headline: <del>${esc(cs.title.old)}</del> &#8594; <ins>${esc(cs.title.new)}</ins></p>`,
    );
  }
  out.push('</div>');
}

/** The `href` of a link to old (`o`) or new (`n`) paragraph `index` (0-based), escaped for an attribute. */
type LinkTo = (side: 'o' | 'n', index: number) => string;

function anchorLinks(pfx: string): LinkTo {
  return (side, index) => `#${pfx}${side}-${index + 1}`;
}

class InlineRenderer {
  constructor(
    private readonly out: string[],
    private readonly pfx: string,
    private readonly linkTo: LinkTo = anchorLinks(pfx),
  ) {}

  private id(side: 'o' | 'n', index: number): string {
    return `${this.pfx}${side}-${index + 1}`;
  }

  private row(cls: string, id: string, inner: string): void {
    this.out.push(`<div class="wd-p ${cls}" id="${id}">`, inner, '</div>');
  }

  change(op: ChangeOp, block: BlockKind): void {
    switch (op.op) {
      case 'insert':
        this.row(
          rowClass('wd-added', block),
          this.id('n', op.n),
          MARKS.added + num(`¶${op.n + 1}`) + textP(`<ins>${esc(op.text)}</ins>`),
        );
        return;
      case 'delete':
        this.row(
          rowClass('wd-removed', block),
          this.id('o', op.o),
          MARKS.removed + num(`was ¶${op.o + 1}`) + textP(`<del>${esc(op.text)}</del>`),
        );
        return;
      case 'edit': {
        const mark = op.cosmetic ? MARKS.cosmetic : MARKS.edited;
        const replaced = showAsReplaced(op);
        const extra = (op.cosmetic ? ' wd-cosmetic' : '') + (replaced ? ' wd-replaced' : '');
        const body =
          replaced || op.parts === null
            ? textP(`<del>${esc(op.old)}</del>`) + textP(`<ins>${esc(op.text)}</ins>`)
            : textP(partsHtml(op.parts, 'both'));
        this.row(rowClass('wd-edited', block, extra), this.id('n', op.n), mark + num(`¶${op.n + 1}`) + body);
        return;
      }
      case 'move':
        this.row(
          rowClass('wd-moved', block),
          this.id('n', op.n),
          MARKS.moved +
            num(`¶${op.n + 1}`) +
            `<p class="wd-note"><a class="wd-move-link" href="${this.linkTo('o', op.o)}">moved from ¶${op.o + 1}</a>${op.parts === null ? '' : ', edited'}</p>` +
            textP(op.parts === null ? esc(op.text) : partsHtml(op.parts, 'both')),
        );
        return;
      case 'moved-out':
        this.row(
          rowClass('wd-moved', block, ' wd-moved-out'),
          this.id('o', op.o),
          MARKS['moved-out'] +
            num(`was ¶${op.o + 1}`) +
            `<p class="wd-note"><a class="wd-move-link" href="${this.linkTo('n', op.n)}">moved to ¶${op.n + 1}</a></p>` +
            `<p class="wd-text wd-preview">${esc(preview(op.text))}</p>`,
        );
        return;
      case 'split': {
        const news = op.texts.map((t, i) => textP(`<ins>${esc(t)}</ins>`, this.id('n', op.n + i))).join('');
        this.row(
          rowClass('wd-split', block),
          this.id('o', op.o),
          MARKS.split +
            num(`was ¶${op.o + 1}`) +
            `<p class="wd-note">split into ${label(paraRange(op.n, op.texts.length))}</p>` +
            textP(`<del>${esc(op.old)}</del>`) +
            news,
        );
        return;
      }
      case 'merge': {
        const olds = op.olds.map((t, i) => textP(`<del>${esc(t)}</del>`, this.id('o', op.o + i))).join('');
        this.row(
          rowClass('wd-merged', block),
          this.id('n', op.n),
          MARKS.merged +
            num(`¶${op.n + 1}`) +
            `<p class="wd-note">merged from ${label(paraRange(op.o, op.olds.length))}</p>` +
            olds +
            textP(`<ins>${esc(op.text)}</ins>`),
        );
        return;
      }
    }
  }

  same(n: number, text: string, block: BlockKind): void {
    this.row(rowClass('wd-unchanged', block), this.id('n', n), MARKS.unchanged + num(`¶${n + 1}`) + textP(esc(text)));
  }
}

class SideBySideRenderer {
  constructor(
    private readonly out: string[],
    private readonly pfx: string,
    private readonly linkTo: LinkTo = anchorLinks(pfx),
  ) {}

  private id(side: 'o' | 'n', index: number): string {
    return `${this.pfx}${side}-${index + 1}`;
  }

  private static empty = '<div class="wd-cell wd-old wd-empty"></div>';
  private static emptyNew = '<div class="wd-cell wd-new wd-empty"></div>';

  private cell(side: 'old' | 'new', id: string | null, inner: string): string {
    return id === null
      ? `<div class="wd-cell wd-${side}">${inner}</div>`
      : `<div class="wd-cell wd-${side}" id="${id}">${inner}</div>`;
  }

  private row(cls: string, oldCell: string, newCell: string): void {
    this.out.push(`<div class="wd-row ${cls}">`, oldCell, newCell, '</div>');
  }

  change(op: ChangeOp, block: BlockKind): void {
    const E = SideBySideRenderer.empty;
    const EN = SideBySideRenderer.emptyNew;
    switch (op.op) {
      case 'insert':
        this.row(
          rowClass('wd-added', block),
          E,
          this.cell('new', this.id('n', op.n), MARKS.added + num(`¶${op.n + 1}`) + textP(`<ins>${esc(op.text)}</ins>`)),
        );
        return;
      case 'delete':
        this.row(
          rowClass('wd-removed', block),
          this.cell(
            'old',
            this.id('o', op.o),
            MARKS.removed + num(`¶${op.o + 1}`) + textP(`<del>${esc(op.text)}</del>`),
          ),
          EN,
        );
        return;
      case 'edit': {
        const mark = op.cosmetic ? MARKS.cosmetic : MARKS.edited;
        const replaced = showAsReplaced(op);
        const extra = (op.cosmetic ? ' wd-cosmetic' : '') + (replaced ? ' wd-replaced' : '');
        const oldHtml = replaced || op.parts === null ? `<del>${esc(op.old)}</del>` : partsHtml(op.parts, 'old');
        const newHtml = replaced || op.parts === null ? `<ins>${esc(op.text)}</ins>` : partsHtml(op.parts, 'new');
        this.row(
          rowClass('wd-edited', block, extra),
          this.cell('old', this.id('o', op.o), mark + num(`¶${op.o + 1}`) + textP(oldHtml)),
          this.cell('new', this.id('n', op.n), mark + num(`¶${op.n + 1}`) + textP(newHtml)),
        );
        return;
      }
      case 'move':
        this.row(
          rowClass('wd-moved', block),
          `<div class="wd-cell wd-old wd-empty"><p class="wd-note"><a class="wd-move-link" href="${this.linkTo('o', op.o)}">moved from ¶${op.o + 1}</a></p></div>`,
          this.cell(
            'new',
            this.id('n', op.n),
            MARKS.moved + num(`¶${op.n + 1}`) + textP(op.parts === null ? esc(op.text) : partsHtml(op.parts, 'both')),
          ),
        );
        return;
      case 'moved-out':
        this.row(
          rowClass('wd-moved', block, ' wd-moved-out'),
          this.cell('old', this.id('o', op.o), MARKS['moved-out'] + num(`¶${op.o + 1}`) + textP(esc(op.text))),
          `<div class="wd-cell wd-new wd-empty"><p class="wd-note"><a class="wd-move-link" href="${this.linkTo('n', op.n)}">moved to ¶${op.n + 1}</a></p></div>`,
        );
        return;
      case 'split':
        this.row(
          rowClass('wd-split', block),
          this.cell(
            'old',
            this.id('o', op.o),
            MARKS.split +
              num(`¶${op.o + 1}`) +
              `<p class="wd-note">split into ${label(paraRange(op.n, op.texts.length))}</p>` +
              textP(`<del>${esc(op.old)}</del>`),
          ),
          this.cell(
            'new',
            null,
            MARKS.split +
              num(label(paraRange(op.n, op.texts.length))) +
              op.texts.map((t, i) => textP(`<ins>${esc(t)}</ins>`, this.id('n', op.n + i))).join(''),
          ),
        );
        return;
      case 'merge':
        this.row(
          rowClass('wd-merged', block),
          this.cell(
            'old',
            null,
            MARKS.merged +
              num(label(paraRange(op.o, op.olds.length))) +
              op.olds.map((t, i) => textP(`<del>${esc(t)}</del>`, this.id('o', op.o + i))).join(''),
          ),
          this.cell(
            'new',
            this.id('n', op.n),
            MARKS.merged +
              num(`¶${op.n + 1}`) +
              `<p class="wd-note">merged from ${label(paraRange(op.o, op.olds.length))}</p>` +
              textP(`<ins>${esc(op.text)}</ins>`),
          ),
        );
        return;
    }
  }

  same(o: number, n: number, text: string, block: BlockKind): void {
    const t = textP(esc(text));
    this.row(
      rowClass('wd-unchanged', block),
      this.cell('old', this.id('o', o), MARKS.unchanged + num(`¶${o + 1}`) + t),
      this.cell('new', this.id('n', n), MARKS.unchanged + num(`¶${n + 1}`) + t),
    );
  }
}

function foldRange(item: Extract<Item, { t: 'fold' }>): string {
  return item.o === item.n
    ? paraRange(item.n, item.count)
    : `${paraRange(item.o, item.count)} → ${paraRange(item.n, item.count)}`;
}

function renderSectionHeading(section: Section, level: number, out: string[]): void {
  if (!section.heading) return;
  out.push(
    `<h${level} class="wd-block-title">${esc(blockTitle(section.block))} <span class="wd-block-note">(${label(sectionNote(section))})</span></h${level}>`,
  );
}

/**
 * Renders the diff as an HTML fragment, inline (one column, changes marked in place) or side by side (old left, new
 * right, rows aligned). Pure: returns the string.
 */
export function renderDiffHtml(cs: ChangeSet, options: DiffHtmlOptions): string {
  const fn = 'renderDiffHtml';
  if (options.view !== 'inline' && options.view !== 'side-by-side') {
    throw new WirediffError(
      'E_USAGE',
      `${fn}: option "view" must be 'inline' or 'side-by-side', received ${JSON.stringify(options.view)}`,
    );
  }
  const pfx = checkIdPrefix(fn, options.idPrefix);
  const collapseAfter = checkInt(fn, 'collapseAfter', options.collapseAfter, 0, 100_000, 8);
  const contextParagraphs = checkInt(fn, 'contextParagraphs', options.contextParagraphs, 0, 100, 2);
  const level = checkInt(fn, 'headingLevel', options.headingLevel, 2, 6, 3);
  const sbs = options.view === 'side-by-side';

  const foldLinks = options.context === undefined ? undefined : options.foldLinks;
  const linkOver = foldLinks === undefined ? 0 : checkInt(fn, 'foldLinks.over', foldLinks.over, 0, 100_000, 0);
  const expand = checkRuns(fn, 'expand', options.expand ?? []);

  const layout: Layout = layoutChangeSet(cs, {
    old: options.context?.old,
    next: options.context?.next,
    context: contextParagraphs,
    collapseAfter,
    expand,
  });

  // The runs left out behind links, in order (equal runs are monotone on both sides): a link to a paragraph in one
  // of them goes to the fold's address, where the paragraph is shown.
  const linked: FoldRef[] = [];
  if (foldLinks !== undefined) {
    for (const section of layout.sections) {
      for (const item of section.items) {
        if (item.t === 'fold' && item.withText && item.count > linkOver) linked.push(item);
      }
    }
  }
  const anchor = anchorLinks(pfx);
  const linkTo: LinkTo =
    linked.length === 0 || foldLinks === undefined
      ? anchor
      : (side, index) => {
          const fold = foldHolding(linked, side, index);
          if (fold === undefined) return anchor(side, index);
          // Inline, an unchanged paragraph carries only its new id: old ¶o is new ¶(n + o − fold.o) there.
          const target = sbs || side === 'n' ? `${side}-${index + 1}` : `n-${fold.n + (index - fold.o) + 1}`;
          return esc(`${foldLinks.href(fold).replace(/#.*$/s, '')}#${pfx}${target}`);
        };

  const out: string[] = [`<div class="wd-diff ${sbs ? 'wd-side-by-side' : 'wd-inline'}">`];
  summaryHtml(cs, out);
  if (sbs) {
    const labels = options.labels ?? { old: 'Before', new: 'After' };
    out.push(
      `<div class="wd-row wd-colhead"><div class="wd-cell wd-old">${esc(labels.old)}</div><div class="wd-cell wd-new">${esc(labels.new)}</div></div>`,
    );
  }
  const inline = new InlineRenderer(out, pfx, linkTo);
  const side = new SideBySideRenderer(out, pfx, linkTo);
  const same = (o: number, n: number, text: string, block: BlockKind): void => {
    if (sbs) side.same(o, n, text, block);
    else inline.same(n, text, block);
  };

  for (const section of layout.sections) {
    out.push(`<section class="wd-block wd-block-${section.block}">`);
    renderSectionHeading(section, level, out);
    for (const item of section.items) {
      if (item.t === 'change') {
        if (sbs) side.change(item.op, item.block);
        else inline.change(item.op, item.block);
      } else if (item.t === 'same') {
        same(item.o, item.n, item.text, item.block);
      } else if (!item.withText) {
        const text = `… ${plural(item.count, 'unchanged paragraph')} (${foldRange(item)}) …`;
        out.push(
          sbs
            ? `<div class="wd-row wd-fold-count wd-unchanged"><div class="wd-cell wd-old">${label(text)}</div><div class="wd-cell wd-new">${label(text)}</div></div>`
            : `<p class="wd-fold-count wd-unchanged">${label(text)}</p>`,
        );
      } else if (foldLinks !== undefined && item.count > linkOver) {
        out.push(
          `<div class="wd-fold-link" data-o="${item.o + 1}" data-n="${item.n + 1}" data-count="${item.count}"><a class="wd-fold-open" href="${esc(foldLinks.href(item))}" data-run="${esc(foldLinks.runHref(item))}">Show ${plural(item.count, 'unchanged paragraph')} <span class="wd-fold-range">(${label(foldRange(item))})</span></a></div>`,
        );
      } else {
        out.push(
          `<details class="wd-fold"><summary>${plural(item.count, 'unchanged paragraph')} <span class="wd-fold-range">(${label(foldRange(item))})</span></summary>`,
        );
        const texts = foldTexts(layout, item);
        for (let i = 0; i < texts.length; i++) same(item.o + i, item.n + i, texts[i]!, item.block);
        out.push('</details>');
      }
    }
    out.push('</section>');
  }
  out.push('</div>');
  return out.join('');
}

/** The fold of `folds` (sorted) holding old (`o`) or new (`n`) paragraph `index`, by binary search. */
function foldHolding(folds: readonly FoldRef[], side: 'o' | 'n', index: number): FoldRef | undefined {
  let lo = 0;
  let hi = folds.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const f = folds[mid]!;
    const start = side === 'o' ? f.o : f.n;
    if (index < start) hi = mid - 1;
    else if (index >= start + f.count) lo = mid + 1;
    else return f;
  }
  return undefined;
}

function checkRuns(fn: string, name: string, runs: readonly ParagraphRun[]): readonly ParagraphRun[] {
  const list: readonly unknown[] = Array.isArray(runs) ? (runs as readonly unknown[]) : [];
  if (list !== runs || list.length > 1000) {
    throw new WirediffError('E_USAGE', `${fn}: option "${name}" must be an array of at most 1000 runs`);
  }
  for (const r of list) {
    const run = (typeof r === 'object' && r !== null ? r : {}) as Partial<Record<'start' | 'count', unknown>>;
    const { start, count } = run;
    const ok =
      typeof start === 'number' &&
      typeof count === 'number' &&
      Number.isSafeInteger(start) &&
      Number.isSafeInteger(count) &&
      start >= 0 &&
      count >= 1;
    if (!ok) {
      throw new WirediffError(
        'E_USAGE',
        `${fn}: option "${name}" must hold runs {start ≥ 0, count ≥ 1} (integers), received ${JSON.stringify(r)}`,
      );
    }
  }
  return runs;
}

/**
 * The unchanged run of new paragraphs `run` as rows, exactly as `renderDiffHtml` shows them when the run is expanded
 * (same classes and ids): what a script inserts in place of a fold link. Undefined when any paragraph of the run is
 * not unchanged (or past the end). Pure.
 */
export function renderDiffRunHtml(cs: ChangeSet, options: DiffRunHtmlOptions): string | undefined {
  const fn = 'renderDiffRunHtml';
  if (options.view !== 'inline' && options.view !== 'side-by-side') {
    throw new WirediffError(
      'E_USAGE',
      `${fn}: option "view" must be 'inline' or 'side-by-side', received ${JSON.stringify(options.view)}`,
    );
  }
  const pfx = checkIdPrefix(fn, options.idPrefix);
  const [run] = checkRuns(fn, 'run', [options.run]);
  const { start, count } = run!;
  const next = options.context.next;
  if (start + count > next.paragraphs.length) return undefined;
  const out: string[] = [];
  const inline = new InlineRenderer(out, pfx);
  const side = new SideBySideRenderer(out, pfx);
  let n = start;
  for (const op of cs.ops) {
    if (n >= start + count) break;
    if (op.op !== 'equal' || op.n + op.count <= n) continue;
    if (op.n > n) return undefined; // paragraph n is not in an unchanged run
    const end = Math.min(op.n + op.count, start + count);
    for (; n < end; n++) {
      const p = next.paragraphs[n]!;
      const block = knownBlock(p.block);
      if (options.view === 'side-by-side') side.same(op.o + (n - op.n), n, p.text, block);
      else inline.same(n, p.text, block);
    }
  }
  return n >= start + count ? out.join('') : undefined;
}

const ARTICLE_BLOCK_TITLES: Readonly<Record<BlockKind, string | null>> = {
  update: 'Breaking update',
  banner: 'Banner',
  earlier: 'Earlier story',
  body: null,
  correction: 'Correction',
  byline: 'Byline',
  dateline: 'Dateline',
};

function paragraphHtml(p: Paragraph, id: string, level: number): string {
  const cls = `wd-para wd-b-${knownBlock(p.block)}`;
  const text = esc(p.text);
  switch (p.tag) {
    case 'h':
      return `<h${level} class="${cls} wd-tag-h" id="${id}">${text}</h${level}>`;
    case 'blockquote':
      return `<blockquote class="${cls}" id="${id}"><p>${text}</p></blockquote>`;
    case 'pre':
      return `<pre class="${cls}" id="${id}">${text}</pre>`;
    case 'li':
      return `<li class="${cls}" id="${id}">${text}</li>`;
    default:
      return `<p class="${cls}" id="${id}">${text}</p>`;
  }
}

/**
 * Renders one version as it was: the title, then each block of the story in order (labelled: breaking update, banner,
 * earlier story, correction, byline, dateline; the plain story body has no label). Paragraph ids are
 * `<prefix>p-N` (1-based). Pure: returns the string.
 */
export function renderArticleHtml(article: Article, options: ArticleHtmlOptions = {}): string {
  const fn = 'renderArticleHtml';
  const pfx = checkIdPrefix(fn, options.idPrefix);
  const level = checkInt(fn, 'headingLevel', options.headingLevel, 1, 5, 2);
  const out: string[] = ['<article class="wd-article">'];
  if (article.title !== '') out.push(`<h${level} class="wd-title">${esc(article.title)}</h${level}>`);
  const meta: string[] = [];
  const paras = article.paragraphs;
  if (article.byline !== undefined && !paras.some((p) => p.block === 'byline')) {
    meta.push(`<span class="wd-byline">${esc(article.byline)}</span>`);
  }
  if (article.dateline !== undefined && !paras.some((p) => p.block === 'dateline')) {
    meta.push(`<span class="wd-dateline">${esc(article.dateline)}</span>`);
  }
  if (meta.length > 0) out.push(`<p class="wd-meta">${meta.join(' · ')}</p>`);

  let i = 0;
  while (i < paras.length) {
    const block = knownBlock(paras[i]!.block);
    let j = i;
    while (j < paras.length && knownBlock(paras[j]!.block) === block) j++;
    const title = ARTICLE_BLOCK_TITLES[block];
    out.push(`<section class="wd-block wd-block-${block}">`);
    if (title !== null) out.push(`<h${level + 1} class="wd-block-title">${esc(title)}</h${level + 1}>`);
    let inList = false;
    for (let k = i; k < j; k++) {
      const p = paras[k]!;
      if (p.tag === 'li' && !inList) {
        out.push('<ul class="wd-list">');
        inList = true;
      } else if (p.tag !== 'li' && inList) {
        out.push('</ul>');
        inList = false;
      }
      out.push(paragraphHtml(p, `${pfx}p-${k + 1}`, Math.min(6, level + 2)));
    }
    if (inList) out.push('</ul>');
    out.push('</section>');
    i = j;
  }
  out.push('</article>');
  return out.join('');
}
