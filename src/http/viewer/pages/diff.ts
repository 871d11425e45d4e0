/**
 * `/articles/:id/diff?from=&to=[&view=side][&expand=A-B,…]`: what changed between two versions, inline or side by
 * side. The diff itself is the core's `renderDiffHtml` fragment (word-level ins/del, moves linked both ways, the
 * story's blocks as labelled sections); this page puts it in context: which versions, when, the view switch, a key
 * to the marks, and links to the neighbouring changes.
 *
 * Unchanged runs: up to `DIFF_COLLAPSE_AFTER` paragraphs are shown; longer runs are folded, keeping `DIFF_CONTEXT`
 * paragraphs next to each change. A fold of up to `DIFF_LINK_FOLDS_OVER` paragraphs is a `<details>` holding them;
 * a longer one is left out of the page behind a real link to the same page with that run expanded
 * (`expand=A-B`, new paragraph numbers, with an anchor), so it opens without JavaScript and the page stays small.
 * With JavaScript, `/assets/folds.js` fetches just the run's rows from `/articles/:id/diff/fold` and puts them in
 * place. Also here: the page for two picks of the same version (no changes, links to the neighbours).
 */
import type { ChangeSet } from '../../../core/model/changeset.js';
import type { ArticleSummary, StoredVersion } from '../../../core/model/version.js';
import { renderDiffHtml, type FoldRef } from '../../../core/render/html.js';
import type { ParagraphRun } from '../../../core/render/layout.js';
import { readingOrderOld } from '../../../core/render/feed-item.js';
import { closeInTime, kindBadge, timeHtml } from './format.js';
import { html, raw, type SafeHtml } from './html.js';
import { renderLayout } from './layout.js';

export type DiffView = 'inline' | 'side-by-side';

/** `side`, `side-by-side`, `sbs` → side by side; anything else (or nothing) → inline. */
export function parseView(v: string | null | undefined): DiffView {
  return v === 'side' || v === 'side-by-side' || v === 'sbs' ? 'side-by-side' : 'inline';
}

/** Unchanged runs longer than this are folded (a `<details>`, or a link past `DIFF_LINK_FOLDS_OVER`). */
export const DIFF_COLLAPSE_AFTER = 8;
/** Past this many ops the page asks the browser to lay out only the rows near the screen (`content-visibility`). */
export const HUGE_OPS = 400;
/** Unchanged paragraphs kept visible on each side of a change. */
export const DIFF_CONTEXT = 2;
/** Folds longer than this are left out of the page behind a link (to the page with the run expanded). */
export const DIFF_LINK_FOLDS_OVER = 20;
/** At most this many expanded runs in one address (`expand=`). */
export const MAX_EXPAND_RUNS = 20;
/** The id prefix of the diff fragment on the page (`d-n-12` is new paragraph 12). */
export const DIFF_ID_PREFIX = 'd-';

export interface DiffPageInput {
  readonly summary: ArticleSummary;
  readonly old: StoredVersion;
  readonly next: StoredVersion;
  readonly changes: ChangeSet;
  readonly view: DiffView;
  readonly lastEvent: number;
  readonly now: number;
  /** Runs of new paragraphs (0-based) the reader asked to see expanded (`expand=`). */
  readonly expand?: readonly ParagraphRun[];
}

/** `12-40,101-195`: runs as 1-based inclusive paragraph numbers. */
export function formatRuns(runs: readonly ParagraphRun[]): string {
  return runs.map((r) => `${r.start + 1}-${r.start + r.count}`).join(',');
}

export function diffHref(
  id: string,
  from: number,
  to: number,
  view: DiffView,
  expand: readonly ParagraphRun[] = [],
): string {
  const side = view === 'side-by-side' ? '&view=side' : '';
  const runs = expand.length === 0 ? '' : `&expand=${formatRuns(expand)}`;
  return `/articles/${encodeURIComponent(id)}/diff?from=${from}&to=${to}${side}${runs}`;
}

/** Where the rows of one unchanged run are served alone (for `folds.js`). */
export function foldHref(id: string, from: number, to: number, view: DiffView, run: ParagraphRun): string {
  const side = view === 'side-by-side' ? '&view=side' : '';
  return `/articles/${encodeURIComponent(id)}/diff/fold?from=${from}&to=${to}${side}&expand=${formatRuns([run])}`;
}

export type ParsedRuns =
  { readonly ok: true; readonly runs: readonly ParagraphRun[] } | { readonly ok: false; readonly message: string };

const RUN_PATTERN = /^([1-9][0-9]{0,8})-([1-9][0-9]{0,8})$/;

/**
 * Reads `expand=A-B[,C-D…]` (1-based, inclusive, new paragraph numbers from 1 to `paragraphs`, at most `maxRuns`).
 * The message of a refusal names the parameter, the allowed range and the value received.
 */
export function parseRuns(raw: string, paragraphs: number, maxRuns = MAX_EXPAND_RUNS): ParsedRuns {
  const parts = raw.split(',');
  const runs: ParagraphRun[] = [];
  let ok = parts.length <= maxRuns && paragraphs >= 1;
  for (const part of ok ? parts : []) {
    const m = RUN_PATTERN.exec(part.trim());
    const a = m === null ? NaN : Number(m[1]);
    const b = m === null ? NaN : Number(m[2]);
    if (!(a <= b && b <= paragraphs)) {
      ok = false;
      break;
    }
    runs.push({ start: a - 1, count: b - a + 1 });
  }
  if (ok) return { ok: true, runs };
  const shown = raw.length > 80 ? `${raw.slice(0, 80)}…` : raw;
  const allowed =
    paragraphs >= 1
      ? `runs of paragraph numbers A-B with 1 ≤ A ≤ B ≤ ${paragraphs}`
      : 'nothing: the newer version has no paragraphs';
  const many = maxRuns === 1 ? 'exactly one run' : `at most ${maxRuns} runs, separated by commas`;
  return { ok: false, message: `"expand" must be ${allowed} (${many}); received "${shown}".` };
}

/** `runs` plus `run`, sorted and merged where they touch; the oldest dropped past `MAX_EXPAND_RUNS`. */
export function withRun(runs: readonly ParagraphRun[], run: ParagraphRun): ParagraphRun[] {
  const all = [...runs.slice(-(MAX_EXPAND_RUNS - 1)), run].sort((x, y) => x.start - y.start);
  const out: ParagraphRun[] = [];
  for (const r of all) {
    const last = out.at(-1);
    if (last !== undefined && r.start <= last.start + last.count) {
      out[out.length - 1] = {
        start: last.start,
        count: Math.max(last.count, r.start + r.count - last.start),
      };
    } else out.push(r);
  }
  return out;
}

const LEGEND = html`<details class="legend">
<summary>How to read this page</summary>
<ul>
<li><span class="wd-mark-sample added" aria-hidden="true">+</span> an added paragraph; <ins>underlined, on green</ins>: inserted words</li>
<li><span class="wd-mark-sample removed" aria-hidden="true">−</span> a removed paragraph; <del>struck through, on red</del>: deleted words</li>
<li><span class="wd-mark-sample edited" aria-hidden="true">~</span> an edited paragraph, with its word changes in place</li>
<li><span class="wd-mark-sample moved" aria-hidden="true">↕</span> a moved paragraph: “moved from” and “moved to” link its two places</li>
<li><span class="wd-mark-sample" aria-hidden="true">⇉ ⇇</span> a paragraph split in several, or several merged in one</li>
<li>Numbers such as ¶4 are paragraph positions (“was ¶4” in the older version). Runs of unchanged paragraphs are folded: open them to read them.</li>
</ul>
</details>`;

export function renderDiffPage(input: DiffPageInput): string {
  const { summary: s, old, next, changes, view } = input;
  const expand = input.expand ?? [];
  const id = s.id;
  const from = old.meta.version;
  const to = next.meta.version;
  const title = next.article.title !== '' ? next.article.title : s.title !== '' ? s.title : s.id;
  const consecutive = to === from + 1;
  const other: DiffView = view === 'inline' ? 'side-by-side' : 'inline';

  const viewLinks = (['inline', 'side-by-side'] as const).map((v) => {
    const label = v === 'inline' ? 'Inline' : 'Side by side';
    const href = diffHref(s.id, from, to, v, expand);
    return v === view
      ? html`<li><a href="${href}" aria-current="page">${label}</a></li>`
      : html`<li><a href="${href}">${label}</a></li>`;
  });
  const nav: SafeHtml[] = [];
  if (consecutive && from > 1) {
    nav.push(
      html`<li><a href="${diffHref(s.id, from - 1, from, view)}" rel="prev">← Previous change (${from - 1} → ${from})</a></li>`,
    );
  }
  if (consecutive && to < s.versions) {
    nav.push(
      html`<li><a href="${diffHref(s.id, to, to + 1, view)}" rel="next">Next change (${to} → ${to + 1}) →</a></li>`,
    );
  }
  nav.push(html`<li><a href="/articles/${id}/v/${from}">Version ${from} as it was</a></li>`);
  nav.push(html`<li><a href="/articles/${id}/v/${to}">Version ${to} as it was</a></li>`);
  nav.push(html`<li><a href="/articles/${id}">Timeline</a></li>`);
  if (expand.length > 0) {
    nav.push(html`<li><a href="${diffHref(s.id, from, to, view)}">Fold the unchanged runs again</a></li>`);
  }

  const direction = from >= to && html` <span class="muted">(backwards: the older side is on the right)</span>`;
  // Versions minutes apart: their times with seconds.
  const seconds = closeInTime(old.meta.fetchedAt, next.meta.fetchedAt);
  // The core renderer escapes the article's text itself.
  const diff = renderDiffHtml(changes, {
    view,
    context: { old: readingOrderOld(old.article, next.article), next: next.article },
    collapseAfter: DIFF_COLLAPSE_AFTER,
    contextParagraphs: DIFF_CONTEXT,
    idPrefix: DIFF_ID_PREFIX,
    headingLevel: 2,
    labels: { old: `Version ${from}`, new: `Version ${to}` },
    expand,
    foldLinks: {
      over: DIFF_LINK_FOLDS_OVER,
      href: (f: FoldRef) =>
        `${diffHref(s.id, from, to, view, withRun(expand, { start: f.n, count: f.count }))}#${DIFF_ID_PREFIX}n-${f.n + 1}`,
      runHref: (f: FoldRef) => foldHref(s.id, from, to, view, { start: f.n, count: f.count }),
    },
  });

  const body = html`<header class="page-head">
<p class="eyebrow">What changed ${kindBadge(changes.kind)}</p>
<h1>${title}</h1>
<p class="meta versions-compared"><a href="/articles/${id}/v/${from}">Version ${from}</a>, ${timeHtml(old.meta.fetchedAt, undefined, seconds)} <span aria-hidden="true">→</span><span class="visually-hidden">to</span> <a href="/articles/${id}/v/${to}">version ${to}</a>, ${timeHtml(next.meta.fetchedAt, undefined, seconds)}${direction}</p>
<nav class="view-switch" aria-label="View"><span class="label">View:</span><ul>${viewLinks}</ul></nav>
<nav class="diff-nav" aria-label="Versions"><ul>${nav}</ul></nav>
${LEGEND}
</header>
<div class="diff-body diff-${view === 'inline' ? 'inline' : 'side'}${changes.ops.length > HUGE_OPS && ' huge'}" data-other-view="${diffHref(s.id, from, to, other)}">
${raw(diff)}
</div>`;
  return renderLayout({
    title: `Changes ${from} → ${to}: ${title}`,
    crumbs: [
      { label: 'Articles', href: '/' },
      { label: s.title !== '' ? s.title : s.id, href: `/articles/${s.id}` },
      { label: `Changes ${from} → ${to}` },
    ],
    data: { page: 'diff', article: s.id, version: s.versions, lastEvent: input.lastEvent },
    body,
    wide: view === 'side-by-side',
    scripts: ['folds.js'],
  });
}

export interface SameVersionPageInput {
  readonly summary: ArticleSummary;
  readonly version: StoredVersion;
  readonly lastEvent: number;
}

/** Both picks are the same version: nothing changed, and the ways on (its neighbouring changes, the timeline). */
export function renderSameVersionPage(input: SameVersionPageInput): string {
  const { summary: s, version } = input;
  const id = s.id;
  const n = version.meta.version;
  const title = version.article.title !== '' ? version.article.title : s.title !== '' ? s.title : s.id;
  const links: SafeHtml[] = [];
  if (n > 1) {
    links.push(
      html`<li><a href="${diffHref(s.id, n - 1, n, 'inline')}" rel="prev">What changed in version ${n} (${n - 1} → ${n})</a></li>`,
    );
  }
  if (n < s.versions) {
    links.push(
      html`<li><a href="${diffHref(s.id, n, n + 1, 'inline')}" rel="next">What changed next (${n} → ${n + 1})</a></li>`,
    );
  }
  links.push(html`<li><a href="/articles/${id}/v/${n}">Version ${n} as it was</a></li>`);
  links.push(html`<li><a href="/articles/${id}#compare">Compare two other versions</a></li>`);
  const body = html`<header class="page-head">
<p class="eyebrow">What changed</p>
<h1>${title}</h1>
<p class="meta versions-compared"><a href="/articles/${id}/v/${n}">Version ${n}</a>, ${timeHtml(version.meta.fetchedAt)}</p>
</header>
<section class="same-version" aria-labelledby="same-heading">
<h2 id="same-heading">The same version twice</h2>
<p>Both picks are version ${n}, so there are no changes to show: a version compared with itself is identical.</p>
<nav class="diff-nav" aria-label="Versions"><ul>${links}</ul></nav>
</section>`;
  return renderLayout({
    title: `Version ${n} compared with itself: ${title}`,
    crumbs: [
      { label: 'Articles', href: '/' },
      { label: s.title !== '' ? s.title : s.id, href: `/articles/${s.id}` },
      { label: `Version ${n} = ${n}` },
    ],
    data: { page: 'diff', article: s.id, version: s.versions, lastEvent: input.lastEvent },
    body,
  });
}
