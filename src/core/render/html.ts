/**
 * HTML fragments (no <html>/<head>) for the viewer: the diff of two versions (inline or side by side); one version as
 * it was is `html/article.ts`. Every piece of article text goes through `escapeText`; the markup has no scripts, no inline event
 * handlers and no inline styles (it is meant to live under a strict Content-Security-Policy): it only carries classes,
 * styled by the viewer's stylesheet (`VIEWER_CSS` in src/http/viewer/assets/viewer-css.ts, which
 * `wirediff diff --format html --standalone` inlines) or the page's own.
 *
 * Class names (stable, documented in docs/architecture.md, "Rendering"):
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
 *
 * This module checks the options and walks the layout (`layout.ts`); the rows are written by `html/inline.ts` or
 * `html/side-by-side.ts` (both `html/rows.ts`), the header by `html/summary.ts`, the folds by `html/folds.ts`.
 */
import type { Article } from '../model/article.js';
import type { ChangeSet } from '../model/changeset.js';
import { blockTitle, knownBlock } from './blocks.js';
import { sectionNote } from './labels.js';
import { foldTexts, layoutChangeSet, type Layout, type ParagraphRun, type Section } from './layout.js';
import {
  foldAwareLinks,
  foldCountText,
  foldDetailsOpen,
  foldLinkHtml,
  type FoldLinks,
  type FoldRef,
} from './html/folds.js';
import { InlineRows } from './html/inline.js';
import { checkIdPrefix, checkInt, checkRuns, checkView, type DiffView } from './html/options.js';
import { esc, label } from './html/pieces.js';
import type { DiffRows, LinkTo } from './html/rows.js';
import { SideBySideRows } from './html/side-by-side.js';
import { summaryHtml } from './html/summary.js';

export type { FoldLinks, FoldRef };

export interface DiffHtmlOptions {
  readonly view: DiffView;
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

export interface DiffRunHtmlOptions {
  readonly view: DiffView;
  readonly context: { readonly old: Article; readonly next: Article };
  readonly idPrefix?: string | undefined;
  /** The new paragraphs to render (0-based), all of them unchanged. */
  readonly run: ParagraphRun;
}

function diffRows(view: DiffView, out: string[], pfx: string, linkTo?: LinkTo): DiffRows {
  return view === 'side-by-side' ? new SideBySideRows(out, pfx, linkTo) : new InlineRows(out, pfx, linkTo);
}

/** Folds longer than `over` (with text) are written as links. */
interface LinkedFolds {
  readonly links: FoldLinks;
  readonly over: number;
}

function sectionHtml(
  section: Section,
  layout: Layout,
  rows: DiffRows,
  level: number,
  linked: LinkedFolds | undefined,
  out: string[],
): void {
  out.push(`<section class="wd-block wd-block-${section.block}">`);
  if (section.heading) {
    out.push(
      `<h${level} class="wd-block-title">${esc(blockTitle(section.block))} <span class="wd-block-note">(${label(sectionNote(section))})</span></h${level}>`,
    );
  }
  for (const item of section.items) {
    if (item.t === 'change') {
      rows.change(item.op, item.block);
    } else if (item.t === 'same') {
      rows.same(item.o, item.n, item.text, item.block);
    } else if (!item.withText) {
      rows.foldCount(foldCountText(item));
    } else if (linked !== undefined && item.count > linked.over) {
      out.push(foldLinkHtml(item, linked.links));
    } else {
      out.push(foldDetailsOpen(item));
      const texts = foldTexts(layout, item);
      for (let i = 0; i < texts.length; i++) rows.same(item.o + i, item.n + i, texts[i]!, item.block);
      out.push('</details>');
    }
  }
  out.push('</section>');
}

/**
 * Renders the diff as an HTML fragment, inline (one column, changes marked in place) or side by side (old left, new
 * right, rows aligned). Pure: returns the string.
 */
export function renderDiffHtml(cs: ChangeSet, options: DiffHtmlOptions): string {
  const fn = 'renderDiffHtml';
  const view = checkView(fn, options.view);
  const pfx = checkIdPrefix(fn, options.idPrefix);
  const collapseAfter = checkInt(fn, 'collapseAfter', options.collapseAfter, 0, 100_000, 8);
  const contextParagraphs = checkInt(fn, 'contextParagraphs', options.contextParagraphs, 0, 100, 2);
  const level = checkInt(fn, 'headingLevel', options.headingLevel, 2, 6, 3);
  const foldLinks = options.context === undefined ? undefined : options.foldLinks;
  const linkOver = foldLinks === undefined ? 0 : checkInt(fn, 'foldLinks.over', foldLinks.over, 0, 100_000, 0);
  const expand = checkRuns(fn, 'expand', options.expand ?? []);

  const layout = layoutChangeSet(cs, {
    old: options.context?.old,
    next: options.context?.next,
    context: contextParagraphs,
    collapseAfter,
    expand,
  });
  const linkTo = foldAwareLinks(layout, pfx, view === 'side-by-side', foldLinks, linkOver);
  const linked = foldLinks === undefined ? undefined : { links: foldLinks, over: linkOver };

  const out: string[] = [`<div class="wd-diff wd-${view}">`];
  const rows = diffRows(view, out, pfx, linkTo);
  summaryHtml(cs, out);
  rows.columnHeads(options.labels ?? { old: 'Before', new: 'After' });
  for (const section of layout.sections) sectionHtml(section, layout, rows, level, linked, out);
  out.push('</div>');
  return out.join('');
}

/**
 * The unchanged run of new paragraphs `run` as rows, exactly as `renderDiffHtml` shows them when the run is expanded
 * (same classes and ids): what a script inserts in place of a fold link. Undefined when any paragraph of the run is
 * not unchanged (or past the end). Pure.
 */
export function renderDiffRunHtml(cs: ChangeSet, options: DiffRunHtmlOptions): string | undefined {
  const fn = 'renderDiffRunHtml';
  const view = checkView(fn, options.view);
  const pfx = checkIdPrefix(fn, options.idPrefix);
  const [run] = checkRuns(fn, 'run', [options.run]);
  const { start, count } = run!;
  const next = options.context.next;
  if (start + count > next.paragraphs.length) return undefined;
  const out: string[] = [];
  const rows = diffRows(view, out, pfx);
  let n = start;
  for (const op of cs.ops) {
    if (n >= start + count) break;
    if (op.op !== 'equal' || op.n + op.count <= n) continue;
    if (op.n > n) return undefined; // paragraph n is not in an unchanged run
    const end = Math.min(op.n + op.count, start + count);
    for (; n < end; n++) {
      const p = next.paragraphs[n]!;
      rows.same(op.o + (n - op.n), n, p.text, knownBlock(p.block));
    }
  }
  return n >= start + count ? out.join('') : undefined;
}
