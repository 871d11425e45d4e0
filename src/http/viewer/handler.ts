/**
 * The viewer's request handler: its route table on the server's one router (`../router.ts`) — `/`,
 * `/articles/:id`, `/articles/:id/diff`, `/articles/:id/diff/fold`, `/articles/:id/v/:n`, `/assets/:name` — and
 * what every route shares: a 404 page for any other path, 405 for methods other than GET and HEAD, a 500 page (and
 * `onError`) when the store fails. Every response carries a strict Content-Security-Policy; pages are
 * gzip-compressed when the client accepts it. The server calls it for every path outside `/api`, `/feeds` and
 * `/live`.
 */
import type { IncomingMessage } from 'node:http';
import { STORE_RETRY_AFTER_S, isStoreUnavailable } from '../../core/errors.js';
import type { EventLog, SnapshotStore } from '../../store/types.js';
import { Router } from '../router.js';
import type { ViewerHandler } from '../routes.js';
import { assetFile, favicon } from './asset-route.js';
import { diffPage, foldRows } from './diff-routes.js';
import { articlePage, homePage, notAnArticleId, versionPage } from './page-routes.js';
import { sendErrorPage, type ViewerCtx, type ViewerRoute } from './send.js';

export { CONTENT_SECURITY_POLICY } from '../responses.js';
export { gzipLevelFor } from '../compression.js';
export type { ViewerHandler } from '../routes.js';

export interface ViewerDeps {
  readonly store: SnapshotStore;
  readonly log: EventLog;
  /** The clock for "5 min ago" hints (defaults to the system clock). */
  readonly now?: () => number;
  /** Told about faults (a store that throws) that were answered with a 500 page. */
  readonly onError?: (err: unknown, req: IncomingMessage) => void;
}

const pageNotFound: ViewerRoute = (c) => {
  const path = c.url.pathname;
  return sendErrorPage(c, {
    status: 404,
    heading: 'Page not found',
    message: `There is no page at ${path.length > 200 ? `${path.slice(0, 200)}…` : path}.`,
  });
};

/** A trailing slash is ignored (`/articles/x/` is `/articles/x`). */
const viewerRoutes = new Router<ViewerRoute>({ strict: false })
  .get('/', homePage)
  .get('/index.html', homePage)
  .get('/favicon.ico', favicon)
  .get('/assets/:name', assetFile)
  .get('/articles/:id', articlePage)
  .get('/articles/:id/diff', diffPage)
  .get('/articles/:id/diff/fold', foldRows)
  .get('/articles/:id/v/:n', versionPage)
  .get('/*', pageNotFound);

type Base = Omit<ViewerCtx, 'params'>;

/** Runs the route for the request: its page, or the 400 / 405 page the router's answer calls for. */
async function dispatch(c: Base): Promise<void> {
  const m = viewerRoutes.match(c.req.method ?? '', c.url.pathname);
  switch (m.kind) {
    case 'found':
      return m.handler({ ...c, params: m.params });
    case 'malformed':
      if (m.param === 'id') return notAnArticleId({ ...c, params: {} }, m.raw, 400);
      return sendErrorPage(c, { status: 400, heading: 'Bad request', message: 'The address could not be read.' });
    case 'method-not-allowed':
      c.res.setHeader('Allow', m.allow.join(', '));
      return sendErrorPage(c, {
        status: 405,
        heading: 'Method not allowed',
        message: `The viewer's pages are read with GET; ${String(c.req.method).slice(0, 20)} is not allowed here.`,
      });
    case 'not-found':
      return pageNotFound({ ...c, params: {} });
  }
}

export function createViewerHandler(deps: ViewerDeps): ViewerHandler {
  const { store, log } = deps;
  const now = deps.now ?? (() => Date.now());

  return async function viewerHandler(req, res) {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://viewer.invalid');
    } catch {
      await sendErrorPage(
        { req, res },
        { status: 400, heading: 'Bad request', message: 'The address could not be read.' },
      );
      return true;
    }
    try {
      await dispatch({ req, res, url, store, log, now });
    } catch (err) {
      deps.onError?.(err, req);
      if (res.headersSent) {
        res.destroy();
        return true;
      }
      for (const h of res.getHeaderNames()) res.removeHeader(h);
      if (isStoreUnavailable(err)) {
        // The shared store (PostgreSQL) is down or cut off: a retryable 503, not a 500.
        res.setHeader('Retry-After', String(STORE_RETRY_AFTER_S));
        await sendErrorPage(
          { req, res },
          {
            status: 503,
            heading: 'The store cannot be reached just now',
            message:
              'wirediff cannot reach its store at the moment (E_STORE_UNAVAILABLE). It reconnects by itself: try again in a few seconds.',
          },
        );
        return true;
      }
      await sendErrorPage(
        { req, res },
        {
          status: 500,
          heading: 'Something went wrong',
          message:
            'wirediff could not read this page from its store. Try again; if it keeps failing, check the server log.',
        },
      );
    }
    return true;
  };
}
