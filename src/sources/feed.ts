/**
 * Feed parsing: RSS 2.0, RSS 1.0 (RDF), Atom and JSON Feed → the list of article links a `feed` source watches.
 * Parsing is feedsmith's; this file only picks each item's article link, title, date and id, resolves relative
 * links against the feed's URL, and drops items without a usable http(s) link. Pure: no I/O.
 */
import { parseFeed as parseAnyFeed, type AnyFeed } from 'feedsmith';
import { WirediffError } from '../core/errors.js';

export interface FeedItem {
  /** Absolute http(s) URL of the article. */
  link: string;
  title?: string;
  /** The item's date as ISO 8601 when it parses, else as written in the feed. */
  published?: string;
  guid?: string;
}

export interface ParsedFeed {
  title?: string;
  items: FeedItem[];
}

/** Resolves `raw` against `base` (when given); null unless the result is an http(s) URL. */
function httpLink(raw: string | undefined, base: string | undefined): string | null {
  if (raw === undefined) return null;
  const trimmed = raw.trim();
  if (trimmed === '') return null;
  try {
    const url = base === undefined ? new URL(trimmed) : new URL(trimmed, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

function clean(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const t = text.replace(/\s+/g, ' ').trim();
  return t === '' ? undefined : t;
}

/** ISO 8601 when the date parses, else the original text (trimmed); undefined when empty. */
function normalizeDate(value: string | undefined): string | undefined {
  const t = clean(value);
  if (t === undefined) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? t : new Date(ms).toISOString();
}

interface RawItem {
  link: string | undefined;
  /**
   * A second choice when `link` is missing or not http(s) (a permalink guid, an Atom id, rdf:about, external_url);
   * used only when it is already an absolute http(s) URL (a guid like `g1` is not a relative link).
   */
  fallbackLink?: string | undefined;
  title: string | undefined;
  published: string | undefined;
  guid: string | undefined;
}

/** One item in the shape every format is read into. */
function rawItem(
  link: string | undefined,
  fallbackLink: string | undefined,
  title: string | undefined,
  published: string | undefined,
  guid: string | undefined,
): RawItem {
  return { link, fallbackLink, title, published, guid };
}

/** An RSS guid that is a permalink (`isPermaLink` absent or true) is a second choice of link. */
function permalinkOf(guid: { value?: string; isPermaLink?: boolean } | undefined): string | undefined {
  return guid !== undefined && guid.isPermaLink !== false ? guid.value : undefined;
}

function rawItems(parsed: AnyFeed): { title: string | undefined; items: RawItem[] } {
  switch (parsed.format) {
    case 'rss': {
      const feed = parsed.feed;
      const items = (feed.items ?? []).map((i) =>
        rawItem(i.link, permalinkOf(i.guid), i.title, i.pubDate ?? i.dc?.dates?.[0], i.guid?.value),
      );
      return { title: feed.title, items };
    }
    case 'atom': {
      const feed = parsed.feed;
      const items = (feed.entries ?? []).map((entry) => {
        const links = entry.links ?? [];
        const alternate =
          links.find((l) => (l.rel ?? 'alternate') === 'alternate' && (l.type ?? 'text/html').includes('html')) ??
          links.find((l) => (l.rel ?? 'alternate') === 'alternate');
        return rawItem(alternate?.href, entry.id, entry.title?.value, entry.published ?? entry.updated, entry.id);
      });
      return { title: feed.title?.value, items };
    }
    case 'rdf': {
      const feed = parsed.feed;
      // An RSS 1.0 item is named by its rdf:about, which is also its permalink.
      const items = (feed.items ?? []).map((i) =>
        rawItem(i.link, i.rdf?.about, i.title, i.dc?.dates?.[0], i.rdf?.about),
      );
      return { title: feed.title, items };
    }
    case 'json': {
      const feed = parsed.feed;
      const items = (feed.items ?? []).map((i) =>
        rawItem(i.url, i.external_url, i.title, i.date_published ?? i.date_modified, i.id),
      );
      return { title: feed.title, items };
    }
  }
}

/**
 * Parses a feed document. `baseUrl` (the feed's own URL) resolves relative links. Items are returned in feed order,
 * without duplicates (by link). Throws WirediffError E_FEED_PARSE when the text is not a recognizable feed.
 */
export function parseFeed(text: string, baseUrl: string): ParsedFeed {
  let parsed: AnyFeed;
  try {
    parsed = parseAnyFeed(text.replace(/^\uFEFF/, ''));
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const start = JSON.stringify(text.trim().slice(0, 60));
    throw new WirediffError(
      'E_FEED_PARSE',
      `${baseUrl}: not a valid RSS, RDF, Atom or JSON feed (${reason}); the document starts with ${start}`,
      { cause },
    );
  }
  const raw = rawItems(parsed);
  const seen = new Set<string>();
  const items: FeedItem[] = [];
  for (const item of raw.items) {
    const link = httpLink(item.link, baseUrl) ?? httpLink(item.fallbackLink, undefined);
    if (link === null || seen.has(link)) continue;
    seen.add(link);
    const title = clean(item.title);
    const published = normalizeDate(item.published);
    const guid = clean(item.guid);
    items.push({
      link,
      ...(title !== undefined ? { title } : {}),
      ...(published !== undefined ? { published } : {}),
      ...(guid !== undefined ? { guid } : {}),
    });
  }
  const title = clean(raw.title);
  return { ...(title !== undefined ? { title } : {}), items };
}
