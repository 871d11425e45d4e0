/**
 * `/articles/:id/v/:n`: one version as it was (the permalink RSS items point to), its story blocks labelled
 * (breaking update, banner, earlier story, correction…), with a link to its raw source as fetched.
 */
import type { ArticleSummary, StoredVersion } from '../../../core/model/version.js';
import { renderArticleHtml, safeUrl } from '../../../core/render/index.js';
import { formatBytes, kindBadge, timeHtml } from './format.js';
import { plural } from '../../../core/words.js';
import { html, raw, type SafeHtml } from './html.js';
import { renderLayout } from './layout.js';

export interface VersionPageInput {
  readonly summary: ArticleSummary;
  readonly version: StoredVersion;
  readonly lastEvent: number;
  readonly now: number;
}

/** Where the raw source of a version is served (by the JSON API). */
export function rawHref(id: string, n: number): string {
  return `/api/articles/${id}/versions/${n}?raw=1`;
}

/**
 * A local file's name as the reader may see it: relative to the watched folder, which (folders are read flat) is the
 * file's base name. The server's absolute path (user names, folder layout) is never shown to viewers.
 */
export function shownLocalPath(location: string): string {
  const parts = location.split(/[\\/]+/).filter((p) => p !== '');
  return parts[parts.length - 1] ?? location;
}

function originHtml(v: StoredVersion): SafeHtml {
  const o = v.meta.origin;
  const where = o.location;
  if (where === undefined) return html`${o.kind === 'push' ? 'pushed' : o.kind}`;
  const url = safeUrl(where);
  const isWeb = url !== '#' && /^https?:\/\//i.test(url);
  const local = isWeb ? where : shownLocalPath(where);
  const shown = local.length > 100 ? `${local.slice(0, 99)}…` : local;
  return isWeb
    ? html`from <a href="${url}" rel="noopener noreferrer nofollow">${shown}</a>`
    : html`from ${o.kind} <code>${shown}</code>`;
}

export function renderVersionPage(input: VersionPageInput): string {
  const { summary: s, version: v } = input;
  const n = v.meta.version;
  const id = s.id;
  const title = v.article.title !== '' ? v.article.title : s.id;
  const nav: SafeHtml[] = [];
  if (n > 1) nav.push(html`<li><a href="/articles/${id}/v/${n - 1}" rel="prev">← Version ${n - 1}</a></li>`);
  if (n < s.versions) nav.push(html`<li><a href="/articles/${id}/v/${n + 1}" rel="next">Version ${n + 1} →</a></li>`);
  if (n > 1)
    nav.push(html`<li><a href="/articles/${id}/diff?from=${n - 1}&amp;to=${n}">What changed in this version</a></li>`);
  if (n < s.versions)
    nav.push(
      html`<li><a href="/articles/${id}/diff?from=${n}&amp;to=${s.versions}">Compare with the latest (${s.versions})</a></li>`,
    );
  nav.push(html`<li><a href="${rawHref(s.id, n)}">Raw source</a></li>`);
  nav.push(html`<li><a href="/articles/${id}">Timeline</a></li>`);

  const latestNote =
    n < s.versions &&
    html`<p class="older-note">This is an older version: the article has ${plural(s.versions, 'version')}. <a href="/articles/${id}/v/${s.versions}">Read the latest</a>.</p>`;
  // The core renderer escapes the article's text itself.
  const articleHtml = raw(renderArticleHtml(v.article, { idPrefix: 'v-', headingLevel: 1 }));
  const noTitle = v.article.title === '' && html`<h1>${s.id}</h1>\n`;

  const body = html`<header class="page-head">
<p class="eyebrow">Version ${n} of ${s.versions} ${kindBadge(v.meta.kind)}</p>
<p class="meta">${timeHtml(v.meta.fetchedAt, input.now)} <span class="sep" aria-hidden="true">·</span> ${plural(v.meta.paragraphs, 'paragraph')}, ${formatBytes(v.meta.rawBytes)} <span class="sep" aria-hidden="true">·</span> ${originHtml(v)}</p>
${v.meta.summary !== '' && html`<p class="summary">${v.meta.summary}</p>`}
<nav aria-label="This version"><ul class="version-nav">${nav}</ul></nav>
${latestNote}
</header>
<div class="article-text">
${noTitle}${articleHtml}
</div>`;
  return renderLayout({
    title: `${title} (version ${n})`,
    crumbs: [
      { label: 'Articles', href: '/' },
      { label: s.title !== '' ? s.title : s.id, href: `/articles/${s.id}` },
      { label: `Version ${n}` },
    ],
    data: { page: 'version', article: s.id, version: s.versions, lastEvent: input.lastEvent },
    body,
  });
}
