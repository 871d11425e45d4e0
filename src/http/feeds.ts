/**
 * `GET|HEAD /feeds/all.xml`, `/feeds/<named>.xml` and `/feeds/<article>.xml`: the bytes the feed writer keeps in
 * memory, with a strong ETag and Last-Modified; a conditional GET that matches gets 304 with no body. Nothing is built
 * per request for the files themselves.
 *
 * `?kinds=a,b&min=0.3` on `all.xml` or an article's feed asks for a filtered variant (see `change-filter.ts`), built
 * once and kept until an event may change it, with its own ETag and 304s. A bad query is a 400 `E_BAD_FEED_QUERY`
 * whose message names the parameter, what is allowed and the value given; a query on a named feed is a 400 too (its
 * filter is the config's).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isArticleId } from '../core/model/version.js';
import { isFilterProblem, parseFilterQuery } from '../publish/change-filter.js';
import { ALL_FEED, type FeedFile, type FeedSource } from '../publish/rss/feed-writer.js';
import { isNotModified } from './conditional.js';
import { HttpError } from './errors.js';
import { DATA_HEADERS } from './responses.js';

const RSS_TYPE = 'application/rss+xml; charset=utf-8';

interface PreparedHeaders {
  readonly full: readonly string[];
  readonly notModified: readonly string[];
}

/** Response headers built once per feed file (flat name/value lists), not per request. */
const prepared = new WeakMap<FeedFile, PreparedHeaders>();

function headersFor(file: FeedFile): PreparedHeaders {
  let h = prepared.get(file);
  if (h === undefined) {
    const validators = ['ETag', file.etag, 'Last-Modified', file.lastModified, 'Cache-Control', 'no-cache'];
    const full = [...validators, 'Content-Type', RSS_TYPE, 'Content-Length', String(file.body.length)];
    for (const [k, v] of Object.entries(DATA_HEADERS)) full.push(k, v);
    // A 304 carries the validators and caching headers only (RFC 9110 §15.4.5); the stored response keeps the rest.
    h = { full, notModified: validators };
    prepared.set(file, h);
  }
  return h;
}

/**
 * Serves the feed named by the last path segment (`<name>.xml`, already percent-decoded), through the filter of the
 * query (the raw text after `?`, '' for none).
 */
export async function serveFeed(
  req: IncomingMessage,
  res: ServerResponse,
  feeds: FeedSource,
  fileName: string,
  query = '',
): Promise<void> {
  if (!fileName.endsWith('.xml')) throw new HttpError(404, 'E_NOT_FOUND', 'feeds are named <article>.xml or all.xml');
  const name = fileName.slice(0, -4);
  if (name !== ALL_FEED && !isArticleId(name)) throw new HttpError(400, 'E_BAD_ARTICLE_ID', 'invalid article id');
  let file: FeedFile | undefined;
  if (query === '') file = feeds.get(name);
  else {
    const filter = parseFilterQuery(new URLSearchParams(query));
    if (isFilterProblem(filter)) throw new HttpError(400, 'E_BAD_FEED_QUERY', filter.message);
    if (feeds.isNamed(name)) {
      throw new HttpError(
        400,
        'E_BAD_FEED_QUERY',
        `${name}.xml is a named feed: its filter is set in the config (feeds.named.${name}); query parameters apply to all.xml and article feeds; received "?${query.length > 100 ? `${query.slice(0, 100)}…` : query}"`,
      );
    }
    file = await feeds.filtered(name, filter);
  }
  if (file === undefined) throw new HttpError(404, 'E_NOT_FOUND', `no feed ${name}.xml`);
  const headers = headersFor(file);
  if (isNotModified(req, file)) {
    res.writeHead(304, headers.notModified as string[]);
    res.end();
    return;
  }
  res.writeHead(200, headers.full as string[]);
  res.end(req.method === 'HEAD' ? undefined : file.body);
}
