/**
 * How the viewer answers: pages (HTML, gzip-compressed when the client takes it and the page is large enough), error
 * pages, and the context every viewer route handler gets.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { plural } from '../../core/words.js';
import type { EventLog, SnapshotStore } from '../../store/types.js';
import { acceptsGzip, gzip, GZIP_MIN_BYTES } from '../compression.js';
import { PAGE_HEADERS, setHeaders } from '../responses.js';
import type { Params } from '../router.js';
import { renderErrorPage, type ErrorPageOptions } from './pages/error.js';

/** What a viewer route handler gets. */
export interface ViewerCtx {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** The request's address (resolved against a placeholder origin: only its path and query are used). */
  readonly url: URL;
  /** The route's params, percent-decoded. */
  readonly params: Params;
  readonly store: SnapshotStore;
  readonly log: EventLog;
  /** The clock for "5 min ago" hints. */
  readonly now: () => number;
}

export type ViewerRoute = (c: ViewerCtx) => Promise<void>;

/** Sends `body` (compressed when `compressible`, the client takes gzip and it is large enough); HEAD gets no body. */
export async function sendBody(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  contentType: string,
  body: Buffer,
  compressible: boolean,
): Promise<void> {
  let out = body;
  if (compressible) {
    res.setHeader('Vary', 'Accept-Encoding');
    if (body.length >= GZIP_MIN_BYTES && acceptsGzip(req)) {
      out = await gzip(body);
      res.setHeader('Content-Encoding', 'gzip');
    }
  }
  res.statusCode = status;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', String(out.length));
  if (req.method === 'HEAD') res.end();
  else res.end(out);
}

export async function sendPage(c: Pick<ViewerCtx, 'req' | 'res'>, status: number, html: string): Promise<void> {
  setHeaders(c.res, PAGE_HEADERS);
  c.res.setHeader('Cache-Control', 'no-cache');
  await sendBody(c.req, c.res, status, 'text/html; charset=utf-8', Buffer.from(html, 'utf8'), true);
}

export async function sendErrorPage(c: Pick<ViewerCtx, 'req' | 'res'>, o: ErrorPageOptions): Promise<void> {
  await sendPage(c, o.status, renderErrorPage(o));
}

/** The link back to an article's timeline, under most of its error pages. */
export function timelineLink(id: string): { href: string; label: string } {
  return { href: `/articles/${id}`, label: 'The article’s timeline' };
}

export function notFoundArticle(c: ViewerCtx, id: string): Promise<void> {
  return sendErrorPage(c, {
    status: 404,
    heading: 'No such article',
    message: `wirediff has no article with the id "${id}". The list of all articles shows the ids it knows.`,
  });
}

/** 404: the article has no version `n`. */
export function notFoundVersion(c: ViewerCtx, id: string, versions: number, n: number): Promise<void> {
  return sendErrorPage(c, {
    status: 404,
    heading: 'No such version',
    message: `The article "${id}" has ${plural(versions, 'version')}; there is no version ${n}.`,
    links: [timelineLink(id)],
  });
}
