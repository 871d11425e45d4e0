/**
 * The read side of the JSON API (the push endpoint is in `push.ts`):
 *
 * - `GET /api/articles` → `{ articles: ArticleSummary[] }`
 * - `GET /api/articles/:id` → `{ article: ArticleSummary }`
 * - `GET /api/articles/:id/versions` → `{ article: id, versions: VersionMeta[] }`
 * - `GET /api/articles/:id/versions/:n` → `StoredVersion` (`meta`, `article` with paragraphs and blocks, `changes`);
 *   with `?raw=1` the raw source bytes as stored (served as an attachment, sandboxed)
 * - `GET /api/articles/:id/versions/:n/meta` → `{ meta: VersionMeta }`: one version's metadata alone (kept in memory,
 *   so cheap: the viewer's live timeline asks for it for each new version)
 * - `GET /api/articles/:id/diff?from=A&to=B` → `{ article, from, to, changes }` for any two versions
 * - `GET /api/events?since=N&limit=M` → `{ first, last, gap, next, more, events }`, paged by count and bytes
 *   (`listEvents`)
 */
import type { ServerResponse } from 'node:http';
import { changesBetween } from '../core/diff/index.js';
import type { ArticleId } from '../core/model/version.js';
import type { EventLog, SnapshotStore } from '../store/types.js';
import { HttpError } from './errors.js';
import { MAX_VERSION, versionNumber } from './params.js';
import { sendBytes, sendJson } from './responses.js';

export interface ApiDeps {
  readonly store: SnapshotStore;
  readonly log: EventLog;
}

/** Parses a 1-based version number from a path segment or query value (400 when it is not one). */
export function parseVersion(value: string | null | undefined, name: string): number {
  const n = versionNumber(value);
  if (n === undefined) {
    throw new HttpError(400, 'E_BAD_VERSION', `\`${name}\` must be a version number from 1 to ${MAX_VERSION}`);
  }
  return n;
}

function notFound(what: string): HttpError {
  return new HttpError(404, 'E_NOT_FOUND', what);
}

export async function listArticles(res: ServerResponse, deps: ApiDeps): Promise<void> {
  sendJson(res, 200, { articles: await deps.store.listArticles() });
}

export async function getArticle(res: ServerResponse, deps: ApiDeps, id: ArticleId): Promise<void> {
  const article = await deps.store.getArticle(id);
  if (article === undefined) throw notFound(`no article ${id}`);
  sendJson(res, 200, { article });
}

export async function listVersions(res: ServerResponse, deps: ApiDeps, id: ArticleId): Promise<void> {
  const versions = await deps.store.listVersions(id);
  if (versions.length === 0 && (await deps.store.getArticle(id)) === undefined) throw notFound(`no article ${id}`);
  sendJson(res, 200, { article: id, versions });
}

export async function getVersion(
  res: ServerResponse,
  deps: ApiDeps,
  id: ArticleId,
  n: number,
  raw: boolean,
): Promise<void> {
  if (raw) {
    const source = await deps.store.getRaw(id, n);
    if (source === undefined) throw notFound(`no version ${n} of ${id}`);
    const type = /^[\x20-\x7e]{1,200}$/.test(source.contentType) ? source.contentType : 'application/octet-stream';
    sendBytes(res, 200, source.bytes, {
      'Content-Type': type,
      'Content-Disposition': `attachment; filename="${id}-v${n}.raw"`,
      'Cache-Control': 'public, max-age=31536000, immutable',
    });
    return;
  }
  const version = await deps.store.getVersion(id, n);
  if (version === undefined) throw notFound(`no version ${n} of ${id}`);
  sendJson(res, 200, version, { 'Cache-Control': 'no-cache' });
}

export async function getVersionMeta(res: ServerResponse, deps: ApiDeps, id: ArticleId, n: number): Promise<void> {
  const meta = (await deps.store.listVersions(id))[n - 1];
  if (meta === undefined) throw notFound(`no version ${n} of ${id}`);
  sendJson(res, 200, { meta }, { 'Cache-Control': 'no-cache' });
}

export async function getDiff(
  res: ServerResponse,
  deps: ApiDeps,
  id: ArticleId,
  query: URLSearchParams,
): Promise<void> {
  const from = parseVersion(query.get('from'), 'from');
  const to = parseVersion(query.get('to'), 'to');
  const [a, b] = await Promise.all([deps.store.getVersion(id, from), deps.store.getVersion(id, to)]);
  if (a === undefined) throw notFound(`no version ${from} of ${id}`);
  if (b === undefined) throw notFound(`no version ${to} of ${id}`);
  sendJson(res, 200, { article: id, from, to, changes: changesBetween(a, b) });
}

/** An events page holds at most this many bytes of events (but always at least one event, however large). */
export const EVENTS_PAGE_BYTES = 1 << 20;

/**
 * `GET /api/events?since=N&limit=M`: the events after id N, oldest first, at most M (1..1000, default 100) and at most
 * `EVENTS_PAGE_BYTES` of them (at least one), read a few at a time so that a request holds about one page in memory.
 * `next` is the `since` of the next page (the last id returned, or N when none was); `more` says whether the log had
 * ids after it when the page was made. `gap` is true when events after N were dropped by retention (`first`).
 */
export async function listEvents(res: ServerResponse, deps: ApiDeps, query: URLSearchParams): Promise<void> {
  const sinceRaw = query.get('since') ?? '0';
  const limitRaw = query.get('limit') ?? '100';
  if (!/^(0|[1-9][0-9]{0,14})$/.test(sinceRaw)) {
    throw new HttpError(400, 'E_BAD_REQUEST', '`since` must be a non-negative event id');
  }
  if (!/^[1-9][0-9]{0,3}$/.test(limitRaw) || Number(limitRaw) > 1000) {
    throw new HttpError(400, 'E_BAD_REQUEST', '`limit` must be an integer from 1 to 1000');
  }
  const since = Number(sinceRaw);
  const limit = Number(limitRaw);
  const { first } = await deps.log.bounds();
  const parts: string[] = [];
  let bytes = 0;
  let next = since;
  let full = false;
  while (!full && parts.length < limit) {
    // Read as many as the bytes left would hold at the average size so far (1 to 50 at a time).
    const average = parts.length === 0 ? 0 : bytes / parts.length;
    const fit = average === 0 ? 10 : Math.floor((EVENTS_PAGE_BYTES - bytes) / average);
    const batch = await deps.log.readAfter(next, Math.max(1, Math.min(50, fit, limit - parts.length)));
    if (batch.length === 0) break;
    for (const e of batch) {
      const json = JSON.stringify(e);
      const size = Buffer.byteLength(json, 'utf8');
      if (parts.length > 0 && bytes + size > EVENTS_PAGE_BYTES) {
        full = true;
        break;
      }
      parts.push(json);
      bytes += size + 1;
      next = e.id;
    }
  }
  const { last } = await deps.log.bounds();
  const head = JSON.stringify({ first, last, gap: first > 0 && since + 1 < first, next, more: next < last });
  const body = Buffer.from(`${head.slice(0, -1)},"events":[${parts.join(',')}]}`, 'utf8');
  sendBytes(res, 200, body, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
}
