/**
 * `POST /api/articles/:id/versions`: pushes a new version of an article (the body is the raw source).
 * Requires the server's token (`Authorization: Bearer T`); the body is size-limited (413 over it). The versioning
 * itself is the injected `ingest` function (the watcher's pipeline), so the server does not depend on the watcher.
 *
 * Answers: 201 with the new version and its event; 200 when the content is unchanged or a known variant;
 * 422 when it is not an article; 400/401/403/413/415 for a bad request; 507 when the store's disk is full and 503
 * when the store is read-only (the message names the cause; nothing was stored).
 *
 * Pushes to one article are queued (bodies are read concurrently, then versioned one at a time, in arrival order):
 * overlapping pushes each diff against the version stored just before them instead of racing for the same
 * `expectedLatest`. A 409 `E_CONFLICT` is left only for a real conflict (another writer, such as the watcher's poll,
 * storing a version of the article at the same moment, twice in a row).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { INGESTIBLE_TYPE_NAMES, isIngestibleContentType } from '../core/extract/content-type.js';
import type { ArticleId } from '../core/model/version.js';
import { requestToken, tokenMatches } from '../lib/access.js';
import { isWirediffError } from '../core/errors.js';
import { KeyedMutex } from '../store/file/keyed-mutex.js';
import { describeIoCause, ioCode } from '../store/file/promise-helpers.js';
import { HttpError } from './errors.js';
import { sendJson } from './responses.js';

/** What the push endpoint reports back: the watcher's IngestOutcome satisfies it. */
export type PushOutcome =
  | { readonly status: 'new-version'; readonly meta: { readonly version: number }; readonly event?: unknown }
  | { readonly status: 'unchanged'; readonly version: number }
  | { readonly status: 'variant'; readonly of: number }
  | { readonly status: 'rejected'; readonly reason: string; readonly detail: string };

/** Stores a pushed version; `force` stores what the false-version guard would refuse (the pusher confirms it). */
export type IngestFn = (
  article: ArticleId,
  body: Uint8Array,
  contentType: string,
  options: { readonly force: boolean },
) => Promise<PushOutcome>;

export interface PushDeps {
  readonly ingest: IngestFn | undefined;
  readonly token: string | undefined;
  readonly maxPushBytes: number;
}

/** One queue per ingest function (per server), keyed by article. */
const queues = new WeakMap<IngestFn, KeyedMutex>();

function queueFor(ingest: IngestFn): KeyedMutex {
  let q = queues.get(ingest);
  if (q === undefined) {
    q = new KeyedMutex();
    queues.set(ingest, q);
  }
  return q;
}

/** Reads the body, refusing more than `max` bytes with 413 (checked on Content-Length first, then while reading). */
export function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > max) {
    return Promise.reject(tooLarge(max));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > max) {
        done = true;
        req.pause();
        reject(tooLarge(max));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(chunks, size));
    });
    req.on('error', (err) => {
      if (done) return;
      done = true;
      reject(err);
    });
  });
}

/**
 * A store that cannot write says why, without its paths: 507 for a full disk, 503 for a read-only store (both clear
 * by themselves once fixed: push again). Other faults pass on unchanged.
 */
function storeFault(err: unknown): unknown {
  if (!isWirediffError(err, 'E_IO')) return err;
  const code = ioCode(err);
  const status = code === 'ENOSPC' || code === 'EDQUOT' ? 507 : code === 'EROFS' ? 503 : undefined;
  if (status === undefined) return err;
  return new HttpError(
    status,
    'E_IO',
    `the store cannot write: ${describeIoCause(err)}; nothing was stored. Reading works meanwhile; push again once the store has room or is writable again`,
    status === 503 ? { 'Retry-After': '60' } : {},
  );
}

function tooLarge(max: number): HttpError {
  return new HttpError(413, 'E_PAYLOAD_TOO_LARGE', `the body is larger than the limit of ${max} bytes`, {
    Connection: 'close',
  });
}

export async function pushVersion(
  req: IncomingMessage,
  res: ServerResponse,
  deps: PushDeps,
  id: ArticleId,
  query: URLSearchParams,
): Promise<void> {
  if (deps.ingest === undefined || deps.token === undefined) {
    throw new HttpError(403, 'E_PUSH_DISABLED', 'pushing versions is disabled: the server has no token configured');
  }
  if (!tokenMatches(requestToken(req, false), deps.token)) {
    throw new HttpError(401, 'E_UNAUTHORIZED', 'a valid token is required (Authorization: Bearer <token>)', {
      'WWW-Authenticate': 'Bearer realm="wirediff"',
    });
  }
  const contentType = req.headers['content-type'] ?? '';
  if (!isIngestibleContentType(contentType)) {
    throw new HttpError(415, 'E_UNSUPPORTED_MEDIA_TYPE', `Content-Type must be ${INGESTIBLE_TYPE_NAMES}`);
  }
  const forceRaw = query.get('force');
  if (forceRaw !== null && !['1', 'true', '0', 'false'].includes(forceRaw)) {
    throw new HttpError(
      400,
      'E_BAD_REQUEST',
      `\`force\` must be 1, true, 0 or false, received ${JSON.stringify(forceRaw.slice(0, 40))}`,
    );
  }
  const body = await readBody(req, deps.maxPushBytes);
  const ingest = deps.ingest;
  const force = forceRaw === '1' || forceRaw === 'true';
  const outcome = await queueFor(ingest)
    .run(id, () => ingest(id, body, contentType, { force }))
    .catch((err: unknown) => {
      throw storeFault(err);
    });
  switch (outcome.status) {
    case 'new-version':
      sendJson(
        res,
        201,
        { article: id, ...outcome },
        { Location: `/api/articles/${id}/versions/${outcome.meta.version}` },
      );
      return;
    case 'unchanged':
    case 'variant':
      sendJson(res, 200, { article: id, ...outcome });
      return;
    case 'rejected':
      sendJson(res, 422, { article: id, ...outcome, error: { code: 'E_UNPROCESSABLE', message: outcome.detail } });
      return;
  }
}
