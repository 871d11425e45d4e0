/**
 * What went wrong in a poll, as the poll reports and status.json say it: a code of the error catalogue
 * (core/errors.ts, docs/errors.md), with the details apart: the HTTP status of an error answer, the errno of a failed
 * file or socket operation.
 */
import { isWirediffError, WirediffError, type ErrorCode } from '../core/errors.js';

/** A failure as reported (`PollReport.error`, `lastError` in status.json). */
export interface SourceError {
  readonly code: ErrorCode;
  readonly message: string;
  /** With E_FETCH_STATUS: the HTTP status the source answered with (404, 429, 503…). */
  readonly httpStatus?: number;
  /** When a file or socket operation failed: the system error code (ENOENT, EACCES, ECONNRESET…). */
  readonly errno?: string;
}

/** A source answered with a status other than 2xx (or 304): the back-off sees the status and the Retry-After. */
export class HttpStatusError extends WirediffError {
  constructor(
    readonly httpStatus: number,
    readonly retryAfterMs: number | undefined,
    readonly url: string,
  ) {
    super('E_FETCH_STATUS', `${url}: HTTP ${httpStatus}`);
  }

  /** 429 and 5xx: the host asks us to slow down (or cannot serve), so every source backs off from it. */
  get holdsHost(): boolean {
    return this.httpStatus === 429 || this.httpStatus >= 500;
  }
}

/** The system error code (`ENOENT`…) of `err` or of one of its causes. */
function errnoOf(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e instanceof Error; depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^E[A-Z0-9]+$/.test(code)) return code;
    e = e.cause;
  }
  return undefined;
}

/** `err` as a catalogue code and a message, with the HTTP status or errno apart. */
export function describeFailure(err: unknown): SourceError {
  if (err instanceof HttpStatusError) return { code: err.code, message: err.message, httpStatus: err.httpStatus };
  const errno = errnoOf(err);
  const withErrno = errno !== undefined ? { errno } : {};
  if (isWirediffError(err)) return { code: err.code, message: err.message, ...withErrno };
  if (err instanceof Error) {
    return { code: errno === 'ENOENT' ? 'E_NOT_FOUND' : 'E_IO', message: err.message, ...withErrno };
  }
  return { code: 'E_IO', message: String(err) };
}
