/**
 * The words, the HTML, the link and the category of one feed item, from the event and the version's article (the
 * render helpers do the work). The item links to the change's page in the viewer (the diff with the previous
 * version); the description links to the version's page too. A first version links to its page.
 */
import type { Article } from '../../core/model/article.js';
import type { ChangeEvent } from '../../core/model/event.js';
import { describeChange, renderFeedItemHtml } from '../../core/render/index.js';
import { kindLabel } from '../../core/model/kinds.js';
import type { FeedItemText } from './rss-feed.js';

/** The viewer's page of one version and of the change that made it, under `base` (no trailing slash). */
export function itemUrls(
  e: Pick<ChangeEvent, 'article' | 'version'>,
  base: string,
): { version: string; diff?: string } {
  const id = encodeURIComponent(e.article);
  const version = `${base}/articles/${id}/v/${e.version}`;
  if (e.version <= 1) return { version };
  return { version, diff: `${base}/articles/${id}/diff?from=${e.version - 1}&to=${e.version}` };
}

/**
 * Headline, summary, rendered change, link and category of one event; links under `base` (the public URL). `old` is
 * the previous version's article (removed paragraphs then stand in their blocks, in reading order).
 */
export function describeFeedItem(
  e: ChangeEvent,
  article: Article | undefined,
  base: string,
  old?: Article,
): FeedItemText {
  const { headline, summary } = describeChange(e.changes, { title: e.title, version: e.version });
  const urls = itemUrls(e, base);
  const link = urls.diff ?? urls.version;
  const category = kindLabel(e.kind);
  if (article === undefined) return { headline, summary, link, category };
  const html = renderFeedItemHtml(e.changes, article, {
    old,
    links: {
      diff: urls.diff,
      diffLabel: `What changed (version ${e.version - 1} → ${e.version})`,
      version: urls.version,
      versionLabel: `Version ${e.version} as published`,
    },
  });
  return { headline, summary, html, link, category };
}
