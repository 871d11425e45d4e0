/**
 * The answer to a fetch, read from the final (non-redirect) response: 304 Not Modified, a document (read whole,
 * within `maxBytes`), or an error answer (its body only diagnostic, capped at `ERROR_BODY_MAX_BYTES`).
 */
import type { IncomingMessage } from 'node:http';
import { WirediffError } from '../core/errors.js';
import { readBody, type BodyRead, type ReadBodyOptions } from './body-reader.js';
import { decodeBody } from './charset.js';
import type { FetchOptions } from './fetch-options.js';
import { parseRetryAfter } from './retry-after.js';

export interface FetchResult {
  /** The final URL, after redirects. */
  url: string;
  status: number;
  /** True on 304 Not Modified (bytes are then empty). */
  notModified: boolean;
  /** The Content-Type header as sent, or '' when absent. */
  contentType: string;
  /** The body after Content-Encoding is undone (never more than maxBytes). */
  bytes: Uint8Array;
  /** The body decoded to text (see decodeBody: BOM, header charset, meta tag, then UTF-8 or windows-1252). */
  text: string;
  /** The charset used to decode `text` (WHATWG name, lower-case). */
  charset: string;
  /** The response ETag (on 304: the one sent, when the server did not repeat it). */
  etag?: string;
  lastModified?: string;
  /** On 429 and 503: how long the server asked us to wait (Retry-After), in ms. */
  retryAfterMs?: number;
  /** Why `charset` is not the obvious one (unknown label, a UTF-8 header overruled by invalid bytes, …). */
  charsetNote?: string;
  /** True when a non-2xx body was cut at ERROR_BODY_MAX_BYTES (or maxBytes) or could not be read. Never on 2xx. */
  truncated?: boolean;
}

/** The most of a non-2xx body kept (the rest is dropped, `truncated` set). */
export const ERROR_BODY_MAX_BYTES = 64 * 1024;

/** The first value of a response header. */
export function header(res: IncomingMessage, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Reads the body, destroying the response if the fetch is aborted (timeout or caller) meanwhile. */
async function readBodyUntil(
  res: IncomingMessage,
  url: string,
  options: ReadBodyOptions,
  signal: AbortSignal,
): Promise<BodyRead> {
  const onAbort = (): void => {
    res.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
  };
  if (signal.aborted) {
    onAbort();
    throw signal.reason;
  }
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await readBody(res, url, options);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * Reads the diagnostic body of a non-2xx answer: capped, and a broken body (bad encoding, connection reset) becomes
 * an empty truncated body so the status and Retry-After still reach the caller. The deadline and aborts still throw.
 */
async function readErrorBody(
  res: IncomingMessage,
  url: string,
  maxBytes: number,
  signal: AbortSignal,
): Promise<BodyRead> {
  try {
    return await readBodyUntil(res, url, { maxBytes, overflow: 'truncate' }, signal);
  } catch (err) {
    if (signal.aborted) throw err;
    return { bytes: new Uint8Array(0), truncated: true };
  }
}

/** The headers every answer carries over: validators, content type, and Retry-After on 429 and 503. */
interface AnswerHead {
  readonly status: number;
  readonly contentType: string;
  readonly etag: string | undefined;
  readonly lastModified: string | undefined;
  readonly extras: { readonly retryAfterMs?: number };
}

function answerHead(res: IncomingMessage, now: () => number): AnswerHead {
  const status = res.statusCode ?? 0;
  const retryAfterMs =
    status === 429 || status === 503 ? parseRetryAfter(header(res, 'retry-after'), now()) : undefined;
  return {
    status,
    contentType: header(res, 'content-type') ?? '',
    etag: header(res, 'etag'),
    lastModified: header(res, 'last-modified'),
    extras: { ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) },
  };
}

/** A 304: nothing read; the validators are the ones the server repeated, else the ones sent. */
function notModified(res: IncomingMessage, url: URL, head: AnswerHead, options: FetchOptions): FetchResult {
  res.destroy();
  const sentEtag = head.etag ?? options.etag;
  const sentLastModified = head.lastModified ?? options.lastModified;
  return {
    url: url.href,
    status: head.status,
    notModified: true,
    contentType: head.contentType,
    bytes: new Uint8Array(0),
    text: '',
    charset: 'utf-8',
    ...(sentEtag !== undefined ? { etag: sentEtag } : {}),
    ...(sentLastModified !== undefined ? { lastModified: sentLastModified } : {}),
    ...head.extras,
  };
}

/**
 * Reads the answer `res` from `url` (not a redirect) into a FetchResult.
 *
 * @throws WirediffError `E_FETCH_TOO_LARGE` for a document past `maxBytes`; the body reader's errors for a document.
 */
export async function readAnswer(
  res: IncomingMessage,
  url: URL,
  options: FetchOptions,
  signal: AbortSignal,
  now: () => number,
): Promise<FetchResult> {
  const head = answerHead(res, now);
  const { status, contentType, etag, lastModified } = head;
  if (status === 304) return notModified(res, url, head, options);
  const ok = status >= 200 && status < 300;
  const declared = header(res, 'content-length');
  if (ok && declared !== undefined && /^\d+$/.test(declared.trim()) && Number(declared) > options.maxBytes) {
    res.destroy();
    throw new WirediffError(
      'E_FETCH_TOO_LARGE',
      `${url.href}: Content-Length ${declared} is larger than maxBytes (${options.maxBytes} bytes)`,
    );
  }
  // A document must arrive whole; the body of an error answer is only diagnostic, so it is capped, not refused.
  const { bytes, truncated } = ok
    ? await readBodyUntil(res, url.href, { maxBytes: options.maxBytes, overflow: 'fail' }, signal)
    : await readErrorBody(res, url.href, Math.min(options.maxBytes, ERROR_BODY_MAX_BYTES), signal);
  const { text, charset, note } = decodeBody(bytes, contentType);
  return {
    url: url.href,
    status,
    notModified: false,
    contentType,
    bytes,
    text,
    charset,
    ...(note !== undefined ? { charsetNote: note } : {}),
    ...(truncated ? { truncated } : {}),
    ...(etag !== undefined ? { etag } : {}),
    ...(lastModified !== undefined ? { lastModified } : {}),
    ...head.extras,
  };
}
