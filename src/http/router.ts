/**
 * Routing: maps a request onto the feed, API and push handlers, or hands it to the viewer.
 *
 * Paths are split on `/` as they arrive (no normalization of `..`), each segment is percent-decoded on its own, and
 * an article id must pass `isArticleId`, so `../`, `%2e%2e%2f` and encoded slashes never name anything (400 or 404).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isArticleId, type ArticleId } from '../core/model/version.js';
import type { FeedSource } from '../publish/rss/feed-writer.js';
import {
  getArticle,
  getDiff,
  getVersion,
  getVersionMeta,
  listArticles,
  listEvents,
  listVersions,
  parseVersion,
  type ApiDeps,
} from './api.js';
import { HttpError, sendError } from './errors.js';
import { serveFeed } from './feeds.js';
import { pollSources, type PollDeps } from './poll.js';
import { pushVersion, type PushDeps } from './push.js';
import { SECURITY_HEADERS } from './responses.js';

export type ViewerHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export interface RouterDeps extends ApiDeps, PushDeps, PollDeps {
  readonly feeds: FeedSource;
  readonly viewer: ViewerHandler | undefined;
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new HttpError(400, 'E_BAD_REQUEST', 'malformed percent-encoding in the path');
  }
}

function articleId(segment: string): ArticleId {
  const id = decodeSegment(segment);
  if (!isArticleId(id)) throw new HttpError(400, 'E_BAD_ARTICLE_ID', 'invalid article id');
  return id;
}

function allow(method: string | undefined, allowed: readonly string[]): void {
  if (method !== undefined && allowed.includes(method)) return;
  throw new HttpError(405, 'E_METHOD_NOT_ALLOWED', `use ${allowed.join(' or ')}`, { Allow: allowed.join(', ') });
}

const READ = ['GET', 'HEAD'] as const;

function routeNotFound(): HttpError {
  return new HttpError(404, 'E_ROUTE_NOT_FOUND', 'no such route');
}

async function routeApi(
  req: IncomingMessage,
  res: ServerResponse,
  deps: RouterDeps,
  seg: readonly string[],
  query: URLSearchParams,
): Promise<void> {
  // seg[0] === 'api'
  if (seg[1] === 'events' && seg.length === 2) {
    allow(req.method, READ);
    return listEvents(res, deps, query);
  }
  if (seg[1] === 'poll' && seg.length === 2) {
    allow(req.method, ['POST']);
    return pollSources(req, res, deps, query);
  }
  if (seg[1] !== 'articles') throw routeNotFound();
  if (seg.length === 2 || (seg.length === 3 && seg[2] === '')) {
    allow(req.method, READ);
    return listArticles(res, deps);
  }
  const id = articleId(seg[2] ?? '');
  if (seg.length === 3) {
    allow(req.method, READ);
    return getArticle(res, deps, id);
  }
  if (seg[3] === 'versions' && seg.length === 4) {
    allow(req.method, [...READ, 'POST']);
    if (req.method === 'POST') return pushVersion(req, res, deps, id, query);
    return listVersions(res, deps, id);
  }
  if (seg[3] === 'versions' && seg.length === 5) {
    allow(req.method, READ);
    const n = parseVersion(decodeSegment(seg[4] ?? ''), 'version');
    const raw = query.get('raw');
    return getVersion(res, deps, id, n, raw === '1' || raw === 'true');
  }
  if (seg[3] === 'versions' && seg.length === 6 && seg[5] === 'meta') {
    allow(req.method, READ);
    return getVersionMeta(res, deps, id, parseVersion(decodeSegment(seg[4] ?? ''), 'version'));
  }
  if (seg[3] === 'diff' && seg.length === 4) {
    allow(req.method, READ);
    return getDiff(res, deps, id, query);
  }
  throw routeNotFound();
}

/** Handles one request; never throws (errors become JSON error responses). */
export async function route(req: IncomingMessage, res: ServerResponse, deps: RouterDeps): Promise<void> {
  try {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const pathname = q < 0 ? url : url.slice(0, q);

    if (!pathname.startsWith('/')) throw new HttpError(400, 'E_BAD_REQUEST', 'the request target must be a path');
    const seg = pathname.slice(1).split('/');
    const top = seg[0];
    if (top === 'api') return await routeApi(req, res, deps, seg, new URLSearchParams(q < 0 ? '' : url.slice(q + 1)));
    if (top === 'feeds') {
      if (seg.length !== 2) throw routeNotFound();
      allow(req.method, READ);
      return await serveFeed(req, res, deps.feeds, decodeSegment(seg[1] ?? ''), q < 0 ? '' : url.slice(q + 1));
    }
    if (top === 'live' && seg.length === 1) {
      throw new HttpError(426, 'E_UPGRADE_REQUIRED', '/live is a WebSocket endpoint', { Upgrade: 'websocket' });
    }
    if (deps.viewer !== undefined) {
      for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
      if (await deps.viewer(req, res)) return;
      if (res.headersSent) return;
    }
    throw routeNotFound();
  } catch (err) {
    sendError(res, err);
  }
}
