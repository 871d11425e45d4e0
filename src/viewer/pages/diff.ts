/**
 * `/articles/:id/diff?from=&to=[&view=side]`: what changed between two versions, inline or side by side.
 * The diff itself is the core's `renderDiffHtml` fragment (word-level ins/del, moves linked both ways, the
 * story's blocks as labelled sections, long unchanged runs folded into `<details>`); this page puts it in context:
 * which versions, when, the view switch, a key to the marks, and links to the neighbouring changes.
 */
import type { ChangeSet } from '../../core/model/changeset.js';
import type { ArticleSummary, StoredVersion } from '../../core/model/version.js';
import { renderDiffHtml } from '../../core/render/index.js';
import { kindBadge, timeHtml } from './format.js';
import { escapeHtml } from './html.js';
import { renderLayout } from './layout.js';

export type DiffView = 'inline' | 'side-by-side';

/** `side`, `side-by-side`, `sbs` → side by side; anything else (or nothing) → inline. */
export function parseView(v: string | null | undefined): DiffView {
  return v === 'side' || v === 'side-by-side' || v === 'sbs' ? 'side-by-side' : 'inline';
}

/** Unchanged runs longer than this are folded into an expandable `<details>`. */
export const DIFF_COLLAPSE_AFTER = 8;
/** Past this many ops the page asks the browser to lay out only the rows near the screen (`content-visibility`). */
export const HUGE_OPS = 400;
/** Unchanged paragraphs kept visible on each side of a change. */
export const DIFF_CONTEXT = 2;

export interface DiffPageInput {
  readonly summary: ArticleSummary;
  readonly old: StoredVersion;
  readonly next: StoredVersion;
  readonly changes: ChangeSet;
  readonly view: DiffView;
  readonly lastEvent: number;
  readonly now: number;
}

export function diffHref(id: string, from: number, to: number, view: DiffView): string {
  return `/articles/${id}/diff?from=${from}&to=${to}${view === 'side-by-side' ? '&view=side' : ''}`;
}

const LEGEND = `<details class="legend">
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
  const id = escapeHtml(s.id);
  const from = old.meta.version;
  const to = next.meta.version;
  const title = next.article.title !== '' ? next.article.title : s.title !== '' ? s.title : s.id;
  const consecutive = to === from + 1;
  const other: DiffView = view === 'inline' ? 'side-by-side' : 'inline';

  const viewLinks = (['inline', 'side-by-side'] as const)
    .map((v) => {
      const label = v === 'inline' ? 'Inline' : 'Side by side';
      return v === view
        ? `<li><a href="${escapeHtml(diffHref(s.id, from, to, v))}" aria-current="page">${label}</a></li>`
        : `<li><a href="${escapeHtml(diffHref(s.id, from, to, v))}">${label}</a></li>`;
    })
    .join('');
  const nav: string[] = [];
  if (consecutive && from > 1) {
    nav.push(
      `<li><a href="${escapeHtml(diffHref(s.id, from - 1, from, view))}" rel="prev">← Previous change (${from - 1} → ${from})</a></li>`,
    );
  }
  if (consecutive && to < s.versions) {
    nav.push(
      `<li><a href="${escapeHtml(diffHref(s.id, to, to + 1, view))}" rel="next">Next change (${to} → ${to + 1}) →</a></li>`,
    );
  }
  nav.push(`<li><a href="/articles/${id}/v/${from}">Version ${from} as it was</a></li>`);
  nav.push(`<li><a href="/articles/${id}/v/${to}">Version ${to} as it was</a></li>`);
  nav.push(`<li><a href="/articles/${id}">Timeline</a></li>`);

  const direction = from < to ? '' : ' <span class="muted">(backwards: the older side is on the right)</span>';
  const diff = renderDiffHtml(changes, {
    view,
    context: { old: old.article, next: next.article },
    collapseAfter: DIFF_COLLAPSE_AFTER,
    contextParagraphs: DIFF_CONTEXT,
    idPrefix: 'd-',
    headingLevel: 2,
    labels: { old: `Version ${from}`, new: `Version ${to}` },
  });

  const body = `<header class="page-head">
<p class="eyebrow">What changed ${kindBadge(changes.kind)}</p>
<h1>${escapeHtml(title)}</h1>
<p class="meta versions-compared"><a href="/articles/${id}/v/${from}">Version ${from}</a>, ${timeHtml(old.meta.fetchedAt)} <span aria-hidden="true">→</span><span class="visually-hidden">to</span> <a href="/articles/${id}/v/${to}">version ${to}</a>, ${timeHtml(next.meta.fetchedAt)}${direction}</p>
<nav class="view-switch" aria-label="View"><span class="label">View:</span><ul>${viewLinks}</ul></nav>
<nav class="diff-nav" aria-label="Versions"><ul>${nav.join('')}</ul></nav>
${LEGEND}
</header>
<div class="diff-body diff-${view === 'inline' ? 'inline' : 'side'}${changes.ops.length > HUGE_OPS ? ' huge' : ''}" data-other-view="${escapeHtml(diffHref(s.id, from, to, other))}">
${diff}
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
  });
}
