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

export class WirediffError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WirediffError';
    this.code = code;
  }
}

export function isWirediffError(err: unknown, code?: ErrorCode): err is WirediffError {
  return err instanceof WirediffError && (code === undefined || err.code === code);
}
