/**
 * Faults carry a stable `code` (for programs) and a `cause` (for people debugging).
 * Expected misses (no change, a guard refusing a version) are return values, not errors.
 */
export type ErrorCode =
  | 'E_INPUT_EMPTY'
  | 'E_INPUT_BINARY'
  | 'E_INPUT_TOO_LARGE'
  | 'E_NO_ARTICLE'
  | 'E_BAD_ARTICLE_ID'
  | 'E_NOT_FOUND'
  | 'E_CONFLICT'
  | 'E_IMPORT_CONFLICT'
  | 'E_READ_ONLY'
  | 'E_STORE_LOCKED'
  | 'E_STORE_OUTDATED'
  | 'E_STORE_TOO_NEW'
  | 'E_CORRUPT'
  | 'E_CLOSED'
  | 'E_CONFIG'
  | 'E_FETCH'
  | 'E_FETCH_STATUS'
  | 'E_FETCH_TIMEOUT'
  | 'E_FETCH_TOO_LARGE'
  | 'E_FETCH_REDIRECTS'
  | 'E_FETCH_BLOCKED_ADDRESS'
  | 'E_FETCH_PROTOCOL'
  | 'E_FEED_PARSE'
  | 'E_IO'
  | 'E_USAGE';

/** Codes only the HTTP layer (the API, the feeds, the `/live` upgrade) answers with, on top of the ErrorCode codes. */
export type HttpOnlyErrorCode =
  | 'E_ROUTE_NOT_FOUND'
  | 'E_METHOD_NOT_ALLOWED'
  | 'E_BAD_REQUEST'
  | 'E_BAD_VERSION'
  | 'E_BAD_FEED_QUERY'
  | 'E_UNAUTHORIZED'
  | 'E_FORBIDDEN_ORIGIN'
  | 'E_PUSH_DISABLED'
  | 'E_PAYLOAD_TOO_LARGE'
  | 'E_UNSUPPORTED_MEDIA_TYPE'
  | 'E_UPGRADE_REQUIRED'
  | 'E_UNPROCESSABLE'
  | 'E_NO_WATCHER'
  | 'E_STORE_UNAVAILABLE'
  | 'E_INTERNAL';

export interface ErrorInfo {
  /** One line: what the code means. */
  readonly meaning: string;
  /**
   * The HTTP status an answer with this code carries. For an ErrorCode it is the status a thrown WirediffError is
   * answered with; without one, such an error is answered `500 E_INTERNAL` (nothing internal is said).
   */
  readonly status?: number;
}

/** A code only the HTTP layer answers with (no WirediffError carries it): its status, then its meaning. */
function answer(status: number, meaning: string): ErrorInfo {
  return { meaning, status };
}

/**
 * Every error code wirediff uses, once, in the style of fastify's `FST_ERR_*` catalogue. Documented in
 * docs/errors.md; tests/core/errors-catalogue.test.ts fails when a code used in `src/` is missing here or there.
 */
export const ERROR_CATALOGUE: { readonly [C in ErrorCode | HttpOnlyErrorCode]: ErrorInfo } = {
  // Faults (WirediffError codes).
  E_INPUT_EMPTY: { meaning: 'the input is empty (or only whitespace)', status: 422 },
  E_INPUT_BINARY: { meaning: 'the input is binary, not text', status: 415 },
  E_INPUT_TOO_LARGE: { meaning: 'the input is over the size limit', status: 413 },
  E_NO_ARTICLE: { meaning: 'the HTML holds no article text', status: 422 },
  E_BAD_ARTICLE_ID: {
    meaning: 'an article id is not valid (1–120 of a-z 0-9 . _ -, starting with a letter or digit)',
    status: 400,
  },
  E_NOT_FOUND: { meaning: 'no such article, version, source, feed or file', status: 404 },
  E_CONFLICT: {
    meaning: 'another writer stored a version of the article first (the `expectedLatest` given is stale)',
    status: 409,
  },
  E_IMPORT_CONFLICT: {
    meaning: "an import found an article whose stored versions are not the file's first versions",
    status: 409,
  },
  E_READ_ONLY: { meaning: 'the store was opened read-only and a write was asked for', status: 503 },
  E_STORE_LOCKED: { meaning: 'another wirediff process holds the store for writing (its lock)', status: 423 },
  E_STORE_OUTDATED: {
    meaning:
      'the store was written by an older wirediff (or, on PostgreSQL, is not created yet): open it once for writing, or run `wirediff migrate`',
  },
  E_STORE_TOO_NEW: { meaning: 'the PostgreSQL schema was migrated by a newer wirediff than this one' },
  E_CORRUPT: { meaning: 'stored data (a version file, the event log, an export) is damaged or inconsistent' },
  E_CLOSED: { meaning: 'the store, log, feed writer or server is closed or shutting down', status: 503 },
  E_CONFIG: { meaning: 'the configuration (file, option or environment) is invalid' },
  E_FETCH: { meaning: 'fetching a source failed (network, aborted, unreadable body)' },
  E_FETCH_STATUS: {
    meaning:
      'a source answered with an HTTP error status (a poll, or the probe of `wirediff add`); the status is given apart',
  },
  E_FETCH_TIMEOUT: { meaning: 'fetching a source took longer than its timeout' },
  E_FETCH_TOO_LARGE: { meaning: "a source's body is over the size limit" },
  E_FETCH_REDIRECTS: { meaning: 'a source redirected too often (or in a loop)' },
  E_FETCH_BLOCKED_ADDRESS: { meaning: 'a source resolves to an address that is not allowed (private, loopback…)' },
  E_FETCH_PROTOCOL: { meaning: 'a source URL or redirect uses a protocol other than http or https' },
  E_FEED_PARSE: { meaning: 'a feed source (RSS/Atom) could not be parsed' },
  E_IO: { meaning: 'a file, socket or database operation failed (the cause names it)' },
  E_USAGE: { meaning: 'a command, option or function argument is invalid', status: 400 },
  // HTTP-only codes.
  E_ROUTE_NOT_FOUND: answer(404, 'no route matches the path'),
  E_METHOD_NOT_ALLOWED: answer(405, 'the route exists but not for this method (see `Allow`)'),
  E_BAD_REQUEST: answer(400, 'a malformed path or query parameter'),
  E_BAD_VERSION: answer(400, 'a version number in the path or query is not valid'),
  E_BAD_FEED_QUERY: answer(400, "a feed's filter query is invalid, or given to a named feed"),
  E_UNAUTHORIZED: answer(401, 'a valid token is required (`Authorization: Bearer <token>`)'),
  E_FORBIDDEN_ORIGIN: answer(403, "the WebSocket upgrade's Origin is not allowed"),
  E_PUSH_DISABLED: answer(403, 'pushing or polling through the API is off: the server has no token'),
  E_PAYLOAD_TOO_LARGE: answer(413, 'the request body is over the push limit'),
  E_UNSUPPORTED_MEDIA_TYPE: answer(415, "the request's Content-Type cannot be ingested"),
  E_UPGRADE_REQUIRED: answer(426, '`/live` was asked for without a WebSocket upgrade'),
  E_UNPROCESSABLE: answer(422, 'the pushed body is not an article (the ingest rejected it)'),
  E_NO_WATCHER: answer(409, 'the server runs no watcher, so it cannot poll'),
  E_STORE_UNAVAILABLE: answer(
    503,
    'the shared store (PostgreSQL) cannot be reached just now; retry after `Retry-After` seconds',
  ),
  E_INTERNAL: answer(500, 'an unexpected fault; the message says nothing internal'),
};

/** The `Retry-After` (seconds) of a `503 E_STORE_UNAVAILABLE`: about the PostgreSQL store's reconnect back-off. */
export const STORE_RETRY_AFTER_S = 5;

export class WirediffError extends Error {
  readonly code: ErrorCode;
  /**
   * Set on an `E_IO` that means "the store's server cannot be reached now" (PostgreSQL down or cut off), as opposed
   * to a request it refused: the HTTP layer answers it `503 E_STORE_UNAVAILABLE` with `Retry-After`.
   */
  readonly unavailable: boolean;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; unavailable?: boolean }) {
    super(message, options !== undefined && 'cause' in options ? { cause: options.cause } : undefined);
    this.name = 'WirediffError';
    this.code = code;
    this.unavailable = options?.unavailable === true;
  }
}

export function isWirediffError(err: unknown, code?: ErrorCode): err is WirediffError {
  return err instanceof WirediffError && (code === undefined || err.code === code);
}

/** True for the fault "the store's server cannot be reached now" (answered `503 E_STORE_UNAVAILABLE`). */
export function isStoreUnavailable(err: unknown): boolean {
  return isWirediffError(err, 'E_IO') && err.unavailable;
}
