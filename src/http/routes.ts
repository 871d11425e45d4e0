/**
 * The server's route table: the JSON API, the feeds and `/live` on the one router (`router.ts`); every other path
 * goes to the viewer when there is one.
 *
 * Paths are split on `/` as they arrive (no normalization of `..`), each param is percent-decoded on its own, and an
 * article id must pass `isArticleId`, so `../`, `%2e%2e%2f` and encoded slashes never name anything (400 or 404).
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
import { SECURITY_HEADERS, setHeaders } from './responses.js';
import { Router, type Params } from './router.js';

/** Answers a request outside `/api`, `/feeds` and `/live`; true when it did (false: the server answers 404). */
export type ViewerHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export interface RouterDeps extends ApiDeps, PushDeps, PollDeps {
  readonly feeds: FeedSource;
  readonly viewer: ViewerHandler | undefined;
}

/** What a route handler gets: the request, its decoded params and its query. */
interface Ctx {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly deps: RouterDeps;
  readonly params: Params;
  /** The raw text after `?` ('' for none). */
  readonly rawQuery: string;
  readonly query: URLSearchParams;
}

type Handler = (c: Ctx) => Promise<void>;

function articleId(c: Ctx): ArticleId {
  const id = c.params['id'] ?? '';
  if (!isArticleId(id)) throw new HttpError(400, 'E_BAD_ARTICLE_ID', 'invalid article id');
  return id;
}

function routeNotFound(): HttpError {
  return new HttpError(404, 'E_ROUTE_NOT_FOUND', 'no such route');
}

const notFound: Handler = () => Promise.reject(routeNotFound());

const api = new Router<Handler>()
  .get('/api/events', (c) => listEvents(c.res, c.deps, c.query))
  .post('/api/poll', (c) => pollSources(c.req, c.res, c.deps, c.query))
  .get('/api/articles', (c) => listArticles(c.res, c.deps))
  .get('/api/articles/', (c) => listArticles(c.res, c.deps))
  .get('/api/articles/:id', (c) => getArticle(c.res, c.deps, articleId(c)))
  .get('/api/articles/:id/versions', (c) => listVersions(c.res, c.deps, articleId(c)))
  .post('/api/articles/:id/versions', (c) => pushVersion(c.req, c.res, c.deps, articleId(c), c.query))
  .get('/api/articles/:id/versions/:n', (c) => {
    const id = articleId(c);
    const raw = c.query.get('raw');
    return getVersion(c.res, c.deps, id, parseVersion(c.params['n'], 'version'), raw === '1' || raw === 'true');
  })
  .get('/api/articles/:id/versions/:n/meta', (c) =>
    getVersionMeta(c.res, c.deps, articleId(c), parseVersion(c.params['n'], 'version')),
  )
  .get('/api/articles/:id/diff', (c) => getDiff(c.res, c.deps, articleId(c), c.query))
  .get('/feeds/:file', (c) => serveFeed(c.req, c.res, c.deps.feeds, c.params['file'] ?? '', c.rawQuery))
  .all('/live', () =>
    Promise.reject(new HttpError(426, 'E_UPGRADE_REQUIRED', '/live is a WebSocket endpoint', { Upgrade: 'websocket' })),
  )
  // Everything else under /api and /feeds is theirs (JSON errors), never the viewer's.
  .all('/api/*', notFound)
  .all('/feeds/*', notFound);

/** Handles one request; never throws (errors become JSON error responses). */
export async function route(req: IncomingMessage, res: ServerResponse, deps: RouterDeps): Promise<void> {
  try {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const pathname = q < 0 ? url : url.slice(0, q);
    const rawQuery = q < 0 ? '' : url.slice(q + 1);
    if (!pathname.startsWith('/')) throw new HttpError(400, 'E_BAD_REQUEST', 'the request target must be a path');

    const m = api.match(req.method ?? '', pathname);
    switch (m.kind) {
      case 'found':
        return await m.handler({ req, res, deps, params: m.params, rawQuery, query: new URLSearchParams(rawQuery) });
      case 'malformed':
        throw new HttpError(400, 'E_BAD_REQUEST', 'malformed percent-encoding in the path');
      case 'method-not-allowed':
        throw new HttpError(405, 'E_METHOD_NOT_ALLOWED', `use ${m.allow.join(' or ')}`, { Allow: m.allow.join(', ') });
      case 'not-found':
        break;
    }
    if (deps.viewer !== undefined) {
      setHeaders(res, SECURITY_HEADERS);
      if (await deps.viewer(req, res)) return;
      if (res.headersSent) return;
    }
    throw routeNotFound();
  } catch (err) {
    sendError(res, err);
  }
}
