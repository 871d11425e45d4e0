/**
 * The viewer's request handler: routes `/`, `/articles/:id`, `/articles/:id/diff`, `/articles/:id/diff/fold` (the
 * rows of one folded unchanged run, for `folds.js`), `/articles/:id/v/:n` and `/assets/*` to the page renderers and
 * the static assets, and answers everything else under its care with a
 * 404 page. Every response carries a strict Content-Security-Policy; pages are gzip-compressed when the client
 * accepts it. The server calls it for every path outside `/api`, `/feeds` and `/live`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { STORE_RETRY_AFTER_S, isWirediffError } from '../core/errors.js';
import { changesBetween } from '../core/diff/index.js';
import { isArticleId, type ArticleSummary, type StoredVersion } from '../core/model/version.js';
import type { ParagraphRun } from '../core/render/layout.js';
import type { EventLog, SnapshotStore } from '../store/types.js';
import { getAsset } from './assets/index.js';
import { renderArticlePage } from './pages/article.js';
import { renderDiffRunHtml } from '../core/render/html.js';
import { DIFF_ID_PREFIX, diffHref, parseRuns, parseView, renderDiffPage, renderSameVersionPage } from './pages/diff.js';
import { renderErrorPage, type ErrorPageOptions } from './pages/error.js';
import { renderHomePage } from './pages/home.js';
import { renderVersionPage } from './pages/version.js';

export interface ViewerDeps {
  readonly store: SnapshotStore;
  readonly log: EventLog;
  /** The clock for "5 min ago" hints (defaults to the system clock). */
  readonly now?: () => number;
  /** Told about faults (a store that throws) that were answered with a 500 page. */
  readonly onError?: (err: unknown, req: IncomingMessage) => void;
}

export type ViewerHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/** The policy on every viewer response: only wirediff's own scripts, styles and the live stream; no framing. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const gzipAsync = promisify(gzip);
/** Bodies smaller than this are sent as they are. */
const GZIP_MIN_BYTES = 4096;

/** zlib level for a body: 6 for ordinary pages, 1 (about three times faster) past 1 MiB, where time matters more. */
export function gzipLevelFor(bytes: number): number {
  return bytes > 1024 * 1024 ? 1 : 6;
}
const VERSION_PATTERN = /^[1-9][0-9]{0,8}$/;

function baseHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
}

function acceptsGzip(req: IncomingMessage): boolean {
  const ae = req.headers['accept-encoding'];
  return typeof ae === 'string' && /(^|[\s,])gzip(\s*;\s*q=(?!0(\.0*)?(\s|,|$))[0-9.]+)?\s*(,|$)/i.test(ae);
}

async function sendBody(
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
      out = await gzipAsync(body, { level: gzipLevelFor(body.length) });
      res.setHeader('Content-Encoding', 'gzip');
    }
  }
  res.statusCode = status;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', String(out.length));
  if (req.method === 'HEAD') res.end();
  else res.end(out);
}

async function sendPage(req: IncomingMessage, res: ServerResponse, status: number, html: string): Promise<void> {
  baseHeaders(res);
  res.setHeader('Cache-Control', 'no-cache');
  await sendBody(req, res, status, 'text/html; charset=utf-8', Buffer.from(html, 'utf8'), true);
}

async function sendError(req: IncomingMessage, res: ServerResponse, o: ErrorPageOptions): Promise<void> {
  await sendPage(req, res, o.status, renderErrorPage(o));
}

/** True when one of the entity tags in an `If-None-Match` header equals `etag` (weak comparison, as RFC 9110 asks). */
function etagMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

async function serveAsset(
  req: IncomingMessage,
  res: ServerResponse,
  name: string,
  query: URLSearchParams,
): Promise<void> {
  const asset = getAsset(name);
  if (asset === undefined) {
    await sendError(req, res, {
      status: 404,
      heading: 'No such file',
      message: `There is no asset called "${name}".`,
    });
    return;
  }
  baseHeaders(res);
  res.setHeader('ETag', asset.etag);
  res.setHeader(
    'Cache-Control',
    query.get('v') === asset.hash ? 'public, max-age=31536000, immutable' : 'public, max-age=0, must-revalidate',
  );
  if (etagMatches(req.headers['if-none-match'], asset.etag)) {
    res.statusCode = 304;
    res.end();
    return;
  }
  await sendBody(req, res, 200, asset.contentType, asset.body, asset.contentType.startsWith('text/'));
}

function decodeSegment(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/** Parses a 1-based version number from a path segment or query value. */
function parseVersion(s: string | null | undefined): number | undefined {
  if (s === null || s === undefined || !VERSION_PATTERN.test(s)) return undefined;
  return Number(s);
}

export function createViewerHandler(deps: ViewerDeps): ViewerHandler {
  const { store, log } = deps;
  const now = deps.now ?? (() => Date.now());

  async function lastEventId(): Promise<number> {
    return (await log.bounds()).last;
  }

  async function articlePage(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const lastEvent = await lastEventId();
    const [summary, versions] = await Promise.all([store.getArticle(id), store.listVersions(id)]);
    if (summary === undefined) return notFoundArticle(req, res, id);
    await sendPage(req, res, 200, renderArticlePage({ summary, versions, lastEvent, now: now() }));
  }

  async function notFoundArticle(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    await sendError(req, res, {
      status: 404,
      heading: 'No such article',
      message: `wirediff has no article with the id "${id}". The list of all articles shows the ids it knows.`,
    });
  }

  async function versionPage(req: IncomingMessage, res: ServerResponse, id: string, raw: string): Promise<void> {
    const n = parseVersion(raw);
    if (n === undefined) {
      await sendError(req, res, {
        status: 400,
        heading: 'Not a version number',
        message: `"${raw}" is not a version number: versions are numbered 1, 2, 3…`,
        links: [{ href: `/articles/${id}`, label: 'The article’s timeline' }],
      });
      return;
    }
    const lastEvent = await lastEventId();
    const [summary, version] = await Promise.all([store.getArticle(id), store.getVersion(id, n)]);
    if (summary === undefined) return notFoundArticle(req, res, id);
    if (version === undefined) {
      await sendError(req, res, {
        status: 404,
        heading: 'No such version',
        message: `The article "${id}" has ${summary.versions} version${summary.versions === 1 ? '' : 's'}; there is no version ${n}.`,
        links: [{ href: `/articles/${id}`, label: 'The article’s timeline' }],
      });
      return;
    }
    await sendPage(req, res, 200, renderVersionPage({ summary, version, lastEvent, now: now() }));
  }

  /** The two versions a diff address names (`from`, `to`, defaults: the latest change), or an error page sent. */
  async function diffPair(
    req: IncomingMessage,
    res: ServerResponse,
    id: string,
    query: URLSearchParams,
  ): Promise<
    | { summary: ArticleSummary; lastEvent: number; from: number; to: number; oldV: StoredVersion; newV: StoredVersion }
    | undefined
  > {
    const timeline = [{ href: `/articles/${id}`, label: 'The article’s timeline' }];
    const lastEvent = await lastEventId();
    const summary = await store.getArticle(id);
    if (summary === undefined) {
      await notFoundArticle(req, res, id);
      return undefined;
    }
    const rawFrom = query.get('from');
    const rawTo = query.get('to');
    const to = rawTo === null || rawTo === '' ? summary.versions : parseVersion(rawTo);
    const from = rawFrom === null || rawFrom === '' ? (to === undefined ? undefined : to - 1) : parseVersion(rawFrom);
    if (from === undefined || to === undefined) {
      const bad = from === undefined ? `from=${rawFrom ?? ''}` : `to=${rawTo ?? ''}`;
      await sendError(req, res, {
        status: 400,
        heading: 'Not a version number',
        message: `"${bad}" does not name a version: use ?from=N&to=M with version numbers from 1 to ${summary.versions}.`,
        links: timeline,
      });
      return undefined;
    }
    if (from < 1) {
      await sendError(req, res, {
        status: 400,
        heading: 'Pick two versions',
        message: `Version ${to} is the first version: there is nothing before it to compare with.`,
        links: [...timeline, { href: `/articles/${id}/v/${to}`, label: `Version ${to}` }],
      });
      return undefined;
    }
    const [oldV, newV] = await Promise.all([store.getVersion(id, from), store.getVersion(id, to)]);
    if (oldV === undefined || newV === undefined) {
      const missing = oldV === undefined ? from : to;
      await sendError(req, res, {
        status: 404,
        heading: 'No such version',
        message: `The article "${id}" has ${summary.versions} version${summary.versions === 1 ? '' : 's'}; there is no version ${missing}.`,
        links: timeline,
      });
      return undefined;
    }
    return { summary, lastEvent, from, to, oldV, newV };
  }

  async function badExpand(
    req: IncomingMessage,
    res: ServerResponse,
    id: string,
    message: string,
    from: number,
    to: number,
  ): Promise<void> {
    await sendError(req, res, {
      status: 400,
      heading: 'Not a run of paragraphs',
      message,
      links: [
        { href: diffHref(id, from, to, 'inline'), label: `The changes ${from} → ${to}, folded` },
        { href: `/articles/${id}`, label: 'The article’s timeline' },
      ],
    });
  }

  async function diffPage(
    req: IncomingMessage,
    res: ServerResponse,
    id: string,
    query: URLSearchParams,
  ): Promise<void> {
    const pair = await diffPair(req, res, id, query);
    if (pair === undefined) return;
    const { summary, lastEvent, from, to, oldV, newV } = pair;
    if (from === to) {
      await sendPage(req, res, 200, renderSameVersionPage({ summary, version: newV, lastEvent }));
      return;
    }
    const rawExpand = query.get('expand');
    let expand: readonly ParagraphRun[] = [];
    if (rawExpand !== null && rawExpand !== '') {
      const parsed = parseRuns(rawExpand, newV.article.paragraphs.length);
      if (!parsed.ok) return badExpand(req, res, id, parsed.message, from, to);
      expand = parsed.runs;
    }
    const changes = changesBetween(oldV, newV);
    const view = parseView(query.get('view'));
    await sendPage(
      req,
      res,
      200,
      renderDiffPage({ summary, old: oldV, next: newV, changes, view, lastEvent, now: now(), expand }),
    );
  }

  /** `/articles/:id/diff/fold?from=&to=&expand=A-B[&view=side]`: the rows of one unchanged run, as HTML. */
  async function foldRows(
    req: IncomingMessage,
    res: ServerResponse,
    id: string,
    query: URLSearchParams,
  ): Promise<void> {
    const pair = await diffPair(req, res, id, query);
    if (pair === undefined) return;
    const { from, to, oldV, newV } = pair;
    const paragraphs = newV.article.paragraphs.length;
    const parsed = parseRuns(query.get('expand') ?? '', paragraphs, 1);
    if (!parsed.ok) return badExpand(req, res, id, parsed.message, from, to);
    const run = parsed.runs[0]!;
    const html =
      from === to
        ? undefined
        : renderDiffRunHtml(changesBetween(oldV, newV), {
            view: parseView(query.get('view')),
            context: { old: oldV.article, next: newV.article },
            idPrefix: DIFF_ID_PREFIX,
            run,
          });
    if (html === undefined) {
      const range = `${run.start + 1}-${run.start + run.count}`;
      const message = `"expand" must name a run of unchanged paragraphs of version ${to} (numbers from 1 to ${paragraphs}); received "${range}", which is not one in the changes ${from} → ${to}.`;
      return badExpand(req, res, id, message, from, to);
    }
    await sendPage(req, res, 200, html);
  }

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname;
    if (path === '/' || path === '/index.html') {
      const lastEvent = await lastEventId();
      const articles = await store.listArticles();
      await sendPage(req, res, 200, renderHomePage({ articles, lastEvent, now: now() }));
      return;
    }
    if (path === '/favicon.ico') return serveAsset(req, res, 'icon.svg', url.searchParams);
    const parts = path.split('/').slice(1);
    if (parts[0] === 'assets' && parts.length === 2) {
      return serveAsset(req, res, decodeSegment(parts[1] ?? '') ?? '', url.searchParams);
    }
    if (parts[0] === 'articles' && parts.length >= 2) {
      if (parts.at(-1) === '' && parts.length > 2) parts.pop(); // a trailing slash
      const id = decodeSegment(parts[1] ?? '');
      if (id === undefined || !isArticleId(id)) {
        await sendError(req, res, {
          status: id === undefined || id === '' ? 400 : 404,
          heading: 'Not an article id',
          message: `"${id ?? parts[1] ?? ''}" is not an article id: ids are 1 to 120 lower-case letters, digits, dots, dashes and underscores.`,
        });
        return;
      }
      if (parts.length === 2) return articlePage(req, res, id);
      if (parts.length === 3 && parts[2] === 'diff') return diffPage(req, res, id, url.searchParams);
      if (parts.length === 4 && parts[2] === 'diff' && parts[3] === 'fold')
        return foldRows(req, res, id, url.searchParams);
      if (parts.length === 4 && parts[2] === 'v') return versionPage(req, res, id, decodeSegment(parts[3] ?? '') ?? '');
    }
    await sendError(req, res, {
      status: 404,
      heading: 'Page not found',
      message: `There is no page at ${path.length > 200 ? `${path.slice(0, 200)}…` : path}.`,
    });
  }

  return async function viewerHandler(req, res) {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://viewer.invalid');
    } catch {
      await sendError(req, res, { status: 400, heading: 'Bad request', message: 'The address could not be read.' });
      return true;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      await sendError(req, res, {
        status: 405,
        heading: 'Method not allowed',
        message: `The viewer's pages are read with GET; ${String(req.method).slice(0, 20)} is not allowed here.`,
      });
      return true;
    }
    try {
      await route(req, res, url);
    } catch (err) {
      deps.onError?.(err, req);
      if (res.headersSent) {
        res.destroy();
        return true;
      }
      for (const h of res.getHeaderNames()) res.removeHeader(h);
      if (isWirediffError(err, 'E_IO') && err.unavailable) {
        // The shared store (PostgreSQL) is down or cut off: a retryable 503, not a 500.
        res.setHeader('Retry-After', String(STORE_RETRY_AFTER_S));
        await sendError(req, res, {
          status: 503,
          heading: 'The store cannot be reached just now',
          message:
            'wirediff cannot reach its store at the moment (E_STORE_UNAVAILABLE). It reconnects by itself: try again in a few seconds.',
        });
        return true;
      }
      await sendError(req, res, {
        status: 500,
        heading: 'Something went wrong',
        message:
          'wirediff could not read this page from its store. Try again; if it keeps failing, check the server log.',
      });
    }
    return true;
  };
}
