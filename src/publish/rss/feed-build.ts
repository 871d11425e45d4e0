/**
 * What a feed is (`FeedSpec`: which events, how many, its words and self link) and how its bytes are built: read the
 * newest events its filter lets through, describe each as an item (cached by event id), render the RSS.
 *
 * A build reads the newest `limit` events and, when its filter leaves out some of them, reads further back, at most
 * `SCAN_FACTOR` times `limit` events (at least `MIN_SCAN`).
 */
import type { ChangeEvent } from '../../core/model/event.js';
import type { ArticleId } from '../../core/model/version.js';
import type { EventLog, SnapshotStore } from '../../store/types.js';
import { DEFAULT_FILTER, matchesFilter, type ChangeFilter } from '../change-filter.js';
import { describeFeedItem } from './feed-item.js';
import { renderRssFeed, type FeedItemText } from './rss-feed.js';

/** The aggregate feed's name; an article with this id gets no feed of its own. */
export const ALL_FEED = 'all';

/** A filtered build reads at most this many times its item count of events… */
export const SCAN_FACTOR = 20;
/** …and at least this many. */
export const MIN_SCAN = 1000;

/** A feed of the config: its own filter over all articles, written as `<name>.xml`. */
export interface NamedFeed {
  readonly filter: ChangeFilter;
  /** The channel title; default "wirediff: <name>". */
  readonly title?: string | undefined;
}

/** What one feed is: which events (`article`, `filter`), how many, and its words and self link. */
export interface FeedSpec {
  readonly name: string;
  readonly article: ArticleId | undefined;
  readonly filter: ChangeFilter;
  /** The canonical query of a variant ('' for a file). */
  readonly query: string;
  readonly limit: number;
  readonly title: string | undefined;
}

/** How many items: the aggregate and named feeds, and an article's. */
export interface FeedLimits {
  readonly maxItems: number;
  readonly maxArticleItems: number;
}

/** The spec of the file `<name>.xml`: a named feed's (its filter and title), or `all`'s or an article's. */
export function fileSpec(name: string, named: ReadonlyMap<string, NamedFeed>, limits: FeedLimits): FeedSpec {
  const feed = named.get(name);
  if (feed !== undefined) {
    return {
      name,
      article: undefined,
      filter: feed.filter,
      query: '',
      limit: limits.maxItems,
      title: feed.title ?? `wirediff: ${name}`,
    };
  }
  return variantSpec(name, DEFAULT_FILTER, '', limits);
}

/** The spec of `all` or an article's feed through `filter` (`query` is the filter's canonical query). */
export function variantSpec(name: string, filter: ChangeFilter, query: string, limits: FeedLimits): FeedSpec {
  const article = name === ALL_FEED ? undefined : name;
  return {
    name,
    article,
    filter,
    query,
    limit: article === undefined ? limits.maxItems : limits.maxArticleItems,
    title: undefined,
  };
}

export interface FeedBuilderOptions {
  readonly store: SnapshotStore;
  readonly log: EventLog;
  /** The public base URL, without a trailing slash, as of now. */
  readonly baseUrl: () => string;
  /** The aggregate feed's title. */
  readonly title: string;
  /** Item texts kept in memory, at most. */
  readonly itemCacheMax: number;
}

/** Builds the bytes of a feed. */
export type FeedBuilder = (spec: FeedSpec) => Promise<Buffer>;

export function createFeedBuilder(options: FeedBuilderOptions): FeedBuilder {
  const { store, log, itemCacheMax } = options;
  /** Item texts by event id (events never change; the id is unique), with the base URL their links were made with. */
  const itemCache = new Map<number, { base: string; text: FeedItemText }>();

  const describe = async (events: readonly ChangeEvent[], base: string): Promise<Map<number, FeedItemText>> => {
    const out = new Map<number, FeedItemText>();
    for (const e of events) {
      let text = itemCache.get(e.id);
      if (text === undefined || text.base !== base) {
        const stored = await store.getVersion(e.article, e.version);
        const previous =
          e.version > 1 && e.changes !== null ? await store.getVersion(e.article, e.version - 1) : undefined;
        text = { base, text: describeFeedItem(e, stored?.article, base, previous?.article) };
        itemCache.set(e.id, text);
        if (itemCache.size > itemCacheMax) {
          const oldest = itemCache.keys().next();
          if (!oldest.done) itemCache.delete(oldest.value);
        }
      }
      out.set(e.id, text.text);
    }
    return out;
  };

  /** The newest `limit` events of the spec's article (or all) that its filter lets through, oldest first. */
  const latestMatching = async (spec: FeedSpec): Promise<ChangeEvent[]> => {
    const scan = Math.max(MIN_SCAN, spec.limit * SCAN_FACTOR);
    for (let k = spec.limit; ; k = Math.min(scan, k * 4)) {
      const events = await log.readLatest(k, spec.article);
      const matched = events.filter((e) => matchesFilter(e, spec.filter));
      if (matched.length >= spec.limit || events.length < k || k >= scan) return matched.slice(-spec.limit);
    }
  };

  return async (spec) => {
    const events = await latestMatching(spec);
    const base = options.baseUrl();
    const texts = await describe(events, base);
    const { article } = spec;
    const articleTitle = article === undefined ? '' : (events[events.length - 1]?.title ?? '') || article;
    const self = `${base}/feeds/${spec.name}.xml${spec.query === '' ? '' : `?${spec.query}`}`;
    const plainTitle = article === undefined ? options.title : `wirediff: ${articleTitle}`;
    const xml = renderRssFeed(events, {
      title: spec.title ?? (spec.query === '' ? plainTitle : `${plainTitle} (${spec.query.replace(/&/g, ', ')})`),
      description:
        article === undefined
          ? 'Every change to the watched articles, newest first.'
          : `Every version of "${articleTitle}", newest first.`,
      siteUrl: article === undefined ? `${base}/` : `${base}/articles/${article}`,
      selfUrl: self,
      describe: (e) => texts.get(e.id) ?? { headline: e.summary, summary: e.summary },
      maxItems: spec.limit,
    });
    return Buffer.from(xml, 'utf8');
  };
}
