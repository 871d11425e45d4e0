/**
 * `/articles/:id`: the article's timeline, newest version first (time, kind badge, summary, size), and a
 * form to compare any two versions (a plain GET to the diff page: works without JavaScript).
 */
import type { ArticleSummary, VersionMeta } from '../../../core/model/version.js';
import { closeInTime, formatBytes, formatTime, kindBadge, timeHtml } from './format.js';
import { plural } from '../../../core/words.js';
import { html, joinHtml, type SafeHtml } from './html.js';
import { renderLayout } from './layout.js';
import { renderSparkline } from './sparkline.js';

export interface ArticlePageInput {
  readonly summary: ArticleSummary;
  /** Oldest first, as the store lists them. */
  readonly versions: readonly VersionMeta[];
  readonly lastEvent: number;
  readonly now: number;
}

function articleTitle(s: ArticleSummary): string {
  return s.title === '' ? s.id : s.title;
}

/** Versions whose time shows its seconds: those less than an hour from a neighbour. */
function withSeconds(versions: readonly VersionMeta[]): Set<number> {
  const out = new Set<number>();
  for (let i = 1; i < versions.length; i++) {
    const a = versions[i - 1]!;
    const b = versions[i]!;
    if (closeInTime(a.fetchedAt, b.fetchedAt)) {
      out.add(a.version);
      out.add(b.version);
    }
  }
  return out;
}

/** One version in the timeline; `seconds`: its time shows seconds (a neighbour is minutes away). */
export function versionItemHtml(id: string, m: VersionMeta, now: number, seconds = false): SafeHtml {
  const diffLink =
    m.version > 1 &&
    html` <a href="/articles/${id}/diff?from=${m.version - 1}&amp;to=${m.version}">What changed from version ${m.version - 1}</a>`;
  return html`<li class="version-item" id="version-${m.version}" data-version="${m.version}">
<h3 class="version-head"><a href="/articles/${id}/v/${m.version}">Version ${m.version}</a> ${kindBadge(m.kind)}</h3>
<p class="meta">${timeHtml(m.fetchedAt, now, seconds)} <span class="sep" aria-hidden="true">·</span> <span class="size">${plural(m.paragraphs, 'paragraph')}, ${formatBytes(m.rawBytes)}</span></p>
<p class="summary">${m.summary}</p>
<p class="actions">${diffLink}</p>
</li>`;
}

function optionsHtml(versions: readonly VersionMeta[], selected: number): SafeHtml[] {
  const seconds = withSeconds(versions);
  return [...versions]
    .reverse()
    .map(
      (m) =>
        html`<option value="${m.version}"${m.version === selected && html` selected`}>Version ${m.version} — ${formatTime(m.fetchedAt, seconds.has(m.version))}</option>`,
    );
}

function compareFormHtml(id: string, versions: readonly VersionMeta[]): SafeHtml {
  const n = versions.length;
  const none =
    n < 2 && html`<p class="muted" id="compare-none">Only one version so far: there is nothing to compare yet.</p>\n`;
  return html`${none}<form class="compare" id="compare" method="get" action="/articles/${id}/diff"${n < 2 && html` hidden`}>
<fieldset>
<legend>Compare two versions</legend>
<div class="compare-fields">
<label>From <select name="from" id="compare-from">${optionsHtml(versions, Math.max(1, n - 1))}</select></label>
<label>To <select name="to" id="compare-to">${optionsHtml(versions, n)}</select></label>
<label>View <select name="view"><option value="inline" selected>Inline</option><option value="side">Side by side</option></select></label>
<button type="submit">Show changes</button>
</div>
</fieldset>
</form>`;
}

export function renderArticlePage(input: ArticlePageInput): string {
  const s = input.summary;
  const id = s.id;
  const latest = input.versions.at(-1);
  const seconds = withSeconds(input.versions);
  const items = joinHtml(
    [...input.versions].reverse().map((m) => versionItemHtml(s.id, m, input.now, seconds.has(m.version))),
    '\n',
  );
  const latestChange =
    latest !== undefined &&
    latest.version > 1 &&
    html` <span class="sep" aria-hidden="true">·</span> <a href="/articles/${id}/diff?from=${latest.version - 1}&amp;to=${latest.version}">Latest change</a>`;
  const latestLinks =
    latest !== undefined &&
    html`<p class="actions"><a href="/articles/${id}/v/${latest.version}">Read the latest version</a>${latestChange}</p>`;
  const variants =
    s.variantsSeen > 0 &&
    html` <span class="sep" aria-hidden="true">·</span> ${plural(s.variantsSeen, 'known variant')} seen again`;
  const body = html`<header class="page-head">
<h1>${articleTitle(s)}</h1>
<p class="meta"><span class="count" id="version-count">${plural(s.versions, 'version')}</span> <span class="sep" aria-hidden="true">·</span> first seen ${timeHtml(s.firstSeen, input.now)} <span class="sep" aria-hidden="true">·</span> last change ${timeHtml(s.lastChange, input.now)}${variants}</p>
<p class="id">Article id <code>${id}</code> <span class="sep" aria-hidden="true">·</span> <a href="/feeds/${id}.xml">RSS feed of its changes</a></p>
<figure class="history">${renderSparkline(s.history)}<figcaption>Size of each change, oldest to newest</figcaption></figure>
${latestLinks}
</header>
${compareFormHtml(s.id, input.versions)}
<h2 id="timeline-heading">Timeline <span class="muted">(newest first)</span></h2>
<ol class="timeline" id="timeline" reversed aria-labelledby="timeline-heading">
${items}
</ol>`;
  return renderLayout({
    title: articleTitle(s),
    crumbs: [{ label: 'Articles', href: '/' }, { label: articleTitle(s) }],
    data: { page: 'article', article: s.id, version: latest?.version ?? 0, lastEvent: input.lastEvent },
    feed: { href: `/feeds/${s.id}.xml`, title: `wirediff: ${articleTitle(s)}` },
    body,
  });
}
