/**
 * The poller of a feed source: reads the feed (conditional GET against the last answer), then polls its newest
 * links as web articles (web-article.ts). One article failing does not fail the feed, unless its host answered 429
 * or 5xx: then the whole feed backs off. A scheduled poll waits while the feed's host is held.
 */
import { articleIdFor, fetchDocument, parseFeed } from '../../sources/index.js';
import { describeFailure, HttpStatusError } from '../failure.js';
import { fetchOptionsFor, type FeedSource } from '../options.js';
import type { ArticlePollResult } from '../report.js';
import type { SourceState } from '../source-state.js';
import type { PollContext, SourcePoller } from './poller.js';
import { pollWebArticle } from './web-article.js';

export class FeedPoller implements SourcePoller {
  readonly ownId = undefined;
  /** The last answer: its validators and links, served again on a 304. */
  #cached: { etag?: string; lastModified?: string; links: string[] } | undefined;

  constructor(
    private readonly ctx: PollContext,
    private readonly state: SourceState,
    private readonly source: FeedSource,
  ) {}

  /** Feed links claim their ids when first read. */
  async claim(): Promise<void> {}

  heldUntil(now: number): number | undefined {
    return this.ctx.hosts.heldUntil(this.source.url, now)?.until;
  }

  async poll(force: boolean, results: ArticlePollResult[]): Promise<void> {
    const { ctx, state } = this;
    const links = await this.readFeed(force);
    for (const gone of state.prune(links)) ctx.claims.release(gone);
    for (const link of links) {
      if (ctx.closed()) break;
      try {
        results.push(await pollWebArticle(ctx, state, link, articleIdFor(link), force));
      } catch (err) {
        if (err instanceof HttpStatusError && err.holdsHost) throw err;
        if (ctx.stopping()) break;
        state.counts.errors++;
        const e = describeFailure(err);
        results.push({ article: articleIdFor(link), location: link, outcome: 'error', detail: e.message });
        ctx.logger.warn(
          { source: state.index, kind: 'feed', url: link, code: e.code },
          `article fetch failed: ${e.message}`,
        );
      }
    }
  }

  /** The newest links of the feed (at most `maxItems`, no duplicates). */
  private async readFeed(force: boolean): Promise<string[]> {
    const { ctx, source } = this;
    const cached = this.#cached;
    const res = await ctx.slots(() =>
      fetchDocument(source.url, {
        ...fetchOptionsFor(ctx.fetch, source.allowPrivateNetwork),
        signal: ctx.signal,
        now: ctx.now,
        ...(!force && cached?.etag !== undefined ? { etag: cached.etag } : {}),
        ...(!force && cached?.lastModified !== undefined ? { lastModified: cached.lastModified } : {}),
      }),
    );
    if (res.notModified && cached) return cached.links;
    if (res.status < 200 || res.status > 299) throw new HttpStatusError(res.status, res.retryAfterMs, res.url);
    const feed = parseFeed(res.text, res.url);
    const maxItems = source.maxItems ?? ctx.watch.feedItems;
    const links = [...new Set(feed.items.map((i) => i.link))].slice(0, maxItems);
    this.#cached = {
      links,
      ...(res.etag !== undefined ? { etag: res.etag } : {}),
      ...(res.lastModified !== undefined ? { lastModified: res.lastModified } : {}),
    };
    return links;
  }
}
