/**
 * HTTP errors: every error response is JSON `{"error":{"code","message"}}` with the right status.
 * Faults of the store (WirediffError) are mapped by code; anything else is a 500 that says nothing internal.
 */
import type { ServerResponse } from 'node:http';
import {
  ERROR_CATALOGUE,
  STORE_RETRY_AFTER_S,
  isStoreUnavailable,
  isWirediffError,
  type ErrorCode,
  type HttpOnlyErrorCode,
} from '../core/errors.js';
import { sendJson } from './responses.js';

/** Codes used by the HTTP layer: the WirediffError codes and the HTTP-only ones (both in ERROR_CATALOGUE). */
export type HttpErrorCode = ErrorCode | HttpOnlyErrorCode;

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

/** Maps any thrown value onto an HttpError (unknown faults become a 500 without internals). */
export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  // The shared store is down or cut off: a clear, retryable answer (what it says inside stays in the server's log).
  if (isStoreUnavailable(err)) {
    return new HttpError(503, 'E_STORE_UNAVAILABLE', 'the store cannot be reached just now; try again shortly', {
      'Retry-After': String(STORE_RETRY_AFTER_S),
    });
  }
  if (isWirediffError(err)) {
    const status = ERROR_CATALOGUE[err.code].status;
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
