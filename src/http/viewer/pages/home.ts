/**
 * `/`: every watched article, newest activity first, with its headline, its last change, its number of
 * versions and a sparkline of its history. With no article yet, it says how to add one.
 */
import type { ArticleSummary } from '../../../core/model/version.js';
import { kindBadge, timeHtml } from './format.js';
import { plural } from '../../../core/words.js';
import { html, joinHtml, type SafeHtml } from './html.js';
import { renderLayout } from './layout.js';
import { renderSparkline } from './sparkline.js';

export interface HomePageInput {
  readonly articles: readonly ArticleSummary[];
  readonly lastEvent: number;
  readonly now: number;
}

/** Newest activity first; ties by id so the order is stable. */
export function sortByActivity(articles: readonly ArticleSummary[]): ArticleSummary[] {
  return [...articles].sort((a, b) => {
    const ta = Date.parse(a.lastChange);
    const tb = Date.parse(b.lastChange);
    if (ta !== tb) return (Number.isNaN(tb) ? 0 : tb) - (Number.isNaN(ta) ? 0 : ta);
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}

export function articleRowHtml(a: ArticleSummary, now: number): SafeHtml {
  const id = a.id;
  const title = a.title === '' ? a.id : a.title;
  return html`<li class="article-row" id="article-${id}" data-article="${id}">
<h2 class="headline"><a href="/articles/${id}">${title}</a></h2>
<p class="meta">${kindBadge(a.lastKind)} <span class="sep" aria-hidden="true">·</span> <span class="count">${plural(a.versions, 'version')}</span> <span class="sep" aria-hidden="true">·</span> <span class="when">last change ${timeHtml(a.lastChange, now)}</span></p>
<p class="summary">${a.lastSummary}</p>
<a class="spark-link" href="/articles/${id}" tabindex="-1" aria-hidden="true">${renderSparkline(a.history)}</a>
</li>`;
}

const EMPTY_STATE = html`<section class="empty" id="empty-state">
<h2>No articles yet</h2>
<p>wirediff shows an article here as soon as it has stored a first version of it. To get started:</p>
<ul>
<li>save a text or HTML file of a news story into the folder wirediff watches, then save it again after editing it;</li>
<li>or add a source: <code>wirediff add https://example.org/news/story</code> (a page, a feed or a folder), then <code>wirediff watch</code>;</li>
<li>or push a version to this server over HTTP, with the token set as <code>server.token</code> in the config: <code>curl -H "Authorization: Bearer $TOKEN" -H "Content-Type: text/plain" --data-binary @story.txt</code> to <code>/api/articles/my-story/versions</code> (<code>wirediff ingest</code> is for when no server runs);</li>
<li>or play the sample breaking story: <code>wirediff demo</code>.</li>
</ul>
<p>This page updates by itself while it is open.</p>
</section>`;

export function renderHomePage(input: HomePageInput): string {
  const rows = joinHtml(
    sortByActivity(input.articles).map((a) => articleRowHtml(a, input.now)),
    '\n',
  );
  const count = input.articles.length;
  const body = html`<h1>Articles <span class="muted" id="article-count">(${count})</span></h1>
<p class="lede">Every watched article, the most recently changed first. Open one to see its versions and what changed between any two of them. <a href="/feeds/all.xml">RSS feed of every change</a>.</p>
${count === 0 && EMPTY_STATE}
<ol class="articles" id="articles"${count === 0 && html` hidden`}>
${rows}
</ol>`;
  return renderLayout({
    title: 'Articles',
    data: { page: 'home', lastEvent: input.lastEvent },
    feed: { href: '/feeds/all.xml', title: 'wirediff: every change' },
    body,
  });
}
