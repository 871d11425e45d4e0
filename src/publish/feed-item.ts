/**
 * The words and the HTML of one feed item, from the event and the version's article (the render helpers do the work).
 */
import type { Article } from '../core/model/article.js';
import type { ChangeEvent } from '../core/model/event.js';
import { describeChange, renderFeedItemHtml } from '../core/render/index.js';
import type { FeedItemText } from './rss-feed.js';

/** Headline ("Breaking update: <title> (+6 paragraphs)"), summary and rendered diff of one event. */
export function describeFeedItem(e: ChangeEvent, article: Article | undefined): FeedItemText {
  const { headline, summary } = describeChange(e.changes, { title: e.title, version: e.version });
  if (article === undefined) return { headline, summary };
  return { headline, summary, html: renderFeedItemHtml(e.changes, article) };
}
