/**
 * HTTP errors: every error response is JSON `{"error":{"code","message"}}` with the right status.
 * Faults of the store (WirediffError) are mapped by code; anything else is a 500 that says nothing internal.
 */
import type { ServerResponse } from 'node:http';
import { isWirediffError, type ErrorCode } from '../core/errors.js';
import { sendJson } from './responses.js';

/** Codes used by the HTTP layer on top of the WirediffError codes. */
export type HttpErrorCode =
  | ErrorCode
  | 'E_ROUTE_NOT_FOUND'
  | 'E_METHOD_NOT_ALLOWED'
  | 'E_BAD_REQUEST'
  | 'E_BAD_VERSION'
  | 'E_BAD_FEED_QUERY'
  | 'E_UNAUTHORIZED'
  | 'E_FORBIDDEN'
  | 'E_PUSH_DISABLED'
  | 'E_PAYLOAD_TOO_LARGE'
  | 'E_UNSUPPORTED_MEDIA_TYPE'
  | 'E_UPGRADE_REQUIRED'
  | 'E_UNPROCESSABLE'
  | 'E_NO_WATCHER'
  | 'E_INTERNAL';

export class HttpError extends Error {
  readonly status: number;
  readonly code: HttpErrorCode;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, code: HttpErrorCode, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  E_NOT_FOUND: 404,
  E_BAD_ARTICLE_ID: 400,
  E_INPUT_EMPTY: 422,
  E_INPUT_BINARY: 415,
  E_INPUT_TOO_LARGE: 413,
  E_NO_ARTICLE: 422,
  E_CONFLICT: 409,
  E_CLOSED: 503,
  E_USAGE: 400,
};

/** Maps any thrown value onto an HttpError (unknown faults become a 500 without internals). */
export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (isWirediffError(err)) {
    const status = STATUS_BY_CODE[err.code];
    if (status !== undefined) return new HttpError(status, err.code, err.message);
  }
  return new HttpError(500, 'E_INTERNAL', 'internal error');
}

/** Writes the error as JSON (or just ends the response when headers are already out). */
export function sendError(res: ServerResponse, err: unknown): void {
  const e = toHttpError(err);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, e.status, { error: { code: e.code, message: e.message } }, e.headers);
}
