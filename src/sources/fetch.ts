/**
 * `fetchDocument`: one guarded HTTP(S) GET of an article page or feed.
 *
 * Guards: http/https only; the resolved address checked inside the socket's DNS lookup (and literal-IP hosts checked
 * before connecting), again at every redirect; manual redirects with a maximum and loop detection; one total
 * deadline for DNS + connect + headers + body across all redirects; a body-size limit applied to Content-Length, to
 * the bytes received and to the decoded size; conditional GET. Non-2xx answers are results (with `status`), never
 * thrown: the watcher decides what a 404, 429 or 503 means and when to retry (using `retryAfterMs`); their bodies
 * are only diagnostic, so they are capped at 64 KiB (`truncated`) instead of failing the fetch.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { WirediffError, isWirediffError } from '../core/errors.js';
import { assertAddressAllowed, guardedLookup, literalIp, type AddressPolicy } from './address-guard.js';
import { readBody, type BodyRead, type ReadBodyOptions } from './body-reader.js';
import { decodeBody } from './charset.js';
import { DEFAULT_ACCEPT, validateFetchOptions, type FetchOptions } from './fetch-options.js';
import { parseRetryAfter } from './retry-after.js';

export { defaultFetchOptions, type FetchOptions } from './fetch-options.js';

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

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** The most of a non-2xx body kept (the rest is dropped, `truncated` set). */
export const ERROR_BODY_MAX_BYTES = 64 * 1024;

/** The URL without its fragment: what identifies a request (for redirect-loop detection). */
function requestKey(url: URL): string {
  const copy = new URL(url.href);
  copy.hash = '';
  return copy.href;
}

function parseHttpUrl(raw: string, base?: URL): URL {
  let url: URL;
  try {
    url = base === undefined ? new URL(raw) : new URL(raw, base);
  } catch (cause) {
    throw new WirediffError(
      base === undefined ? 'E_FETCH_PROTOCOL' : 'E_FETCH',
      base === undefined
        ? `not a valid URL: ${JSON.stringify(raw)}`
        : `${base.href}: invalid redirect Location ${JSON.stringify(raw)}`,
      { cause },
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new WirediffError(
      'E_FETCH_PROTOCOL',
      `only http: and https: URLs can be fetched, got ${url.protocol} (${base === undefined ? 'URL' : `redirect from ${base.href}`})`,
    );
  }
  return url;
}

function header(res: IncomingMessage, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Sends one GET and resolves with the response head (the body is not read yet). */
function send(url: URL, options: FetchOptions, policy: AddressPolicy, signal: AbortSignal): Promise<IncomingMessage> {
  const ip = literalIp(url.hostname);
  // Node skips `lookup` for IP-literal hosts, so check them here, before any socket exists.
  if (ip !== null) assertAddressAllowed(ip, url.hostname, policy);

  const headers: Record<string, string> = {
    'user-agent': options.userAgent,
    accept: options.accept ?? DEFAULT_ACCEPT,
    'accept-encoding': 'gzip, deflate, br',
  };
  if (options.etag !== undefined) headers['if-none-match'] = options.etag;
  if (options.lastModified !== undefined) headers['if-modified-since'] = options.lastModified;

  if (signal.aborted) return Promise.reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<IncomingMessage>((resolve, reject) => {
    const req = request(url, {
      method: 'GET',
      headers,
      // A fresh connection per request: no pooled socket can skip the guarded lookup.
      agent: false,
      lookup: guardedLookup(policy),
    });
    const onAbort = (): void => {
      req.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    req.on('response', (res) => {
      signal.removeEventListener('abort', onAbort);
      resolve(res);
    });
    req.on('error', (err) => {
      signal.removeEventListener('abort', onAbort);
      reject(
        isWirediffError(err)
          ? err
          : new WirediffError('E_FETCH', `${url.href}: request failed: ${err.message}`, { cause: err }),
      );
    });
    req.end();
  });
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

/**
 * Fetches `url` with the guards in `options` (see FetchOptions). Throws WirediffError with code E_FETCH_PROTOCOL,
 * E_FETCH_BLOCKED_ADDRESS, E_FETCH_REDIRECTS, E_FETCH_TIMEOUT, E_FETCH_TOO_LARGE, E_CONFIG (bad options) or E_FETCH
 * (network errors, aborted by the caller's signal, broken encodings). Any HTTP status is a result.
 */
export async function fetchDocument(url: string, options: FetchOptions): Promise<FetchResult> {
  validateFetchOptions(options);
  let current = parseHttpUrl(url);
  const policy: AddressPolicy = {
    allowPrivateNetwork: options.allowPrivateNetwork,
    ...(options.allowedAddresses !== undefined ? { allowedAddresses: options.allowedAddresses } : {}),
  };
  const now = options.now ?? Date.now;

  const external = options.signal;
  if (external?.aborted === true) {
    throw new WirediffError('E_FETCH', `${url}: fetch aborted before it started`, { cause: external.reason });
  }
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort(
      new WirediffError(
        'E_FETCH_TIMEOUT',
        `${current.href}: no complete response within timeoutMs (${options.timeoutMs} ms)`,
      ),
    );
  }, options.timeoutMs);
  const onExternalAbort = (): void => {
    controller.abort(new WirediffError('E_FETCH', `${current.href}: fetch aborted`, { cause: external?.reason }));
  };
  external?.addEventListener('abort', onExternalAbort, { once: true });
  const signal = controller.signal;

  try {
    const seen = new Set<string>([requestKey(current)]);
    let redirects = 0;
    for (;;) {
      const res = await send(current, options, policy, signal);
      const status = res.statusCode ?? 0;
      const location = header(res, 'location');

      if (REDIRECT_STATUSES.has(status) && location !== undefined) {
        res.destroy();
        const next = parseHttpUrl(location, current);
        if (seen.has(requestKey(next))) {
          throw new WirediffError(
            'E_FETCH_REDIRECTS',
            `${url}: redirect loop (${current.href} → ${next.href} was already visited after ${redirects} redirects)`,
          );
        }
        if (redirects >= options.maxRedirects) {
          throw new WirediffError(
            'E_FETCH_REDIRECTS',
            `${url}: more than maxRedirects (${options.maxRedirects}) redirects; the last went to ${next.href}`,
          );
        }
        seen.add(requestKey(next));
        redirects += 1;
        current = next;
        continue;
      }

      const etag = header(res, 'etag');
      const lastModified = header(res, 'last-modified');
      const contentType = header(res, 'content-type') ?? '';
      const retryAfterMs =
        status === 429 || status === 503 ? parseRetryAfter(header(res, 'retry-after'), now()) : undefined;
      const extras = {
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      };

      if (status === 304) {
        res.destroy();
        const sentEtag = etag ?? options.etag;
        const sentLastModified = lastModified ?? options.lastModified;
        return {
          url: current.href,
          status,
          notModified: true,
          contentType,
          bytes: new Uint8Array(0),
          text: '',
          charset: 'utf-8',
          ...(sentEtag !== undefined ? { etag: sentEtag } : {}),
          ...(sentLastModified !== undefined ? { lastModified: sentLastModified } : {}),
          ...extras,
        };
      }

      const ok = status >= 200 && status < 300;
      const declared = header(res, 'content-length');
      if (ok && declared !== undefined && /^\d+$/.test(declared.trim()) && Number(declared) > options.maxBytes) {
        res.destroy();
        throw new WirediffError(
          'E_FETCH_TOO_LARGE',
          `${current.href}: Content-Length ${declared} is larger than maxBytes (${options.maxBytes} bytes)`,
        );
      }

      // A document must arrive whole; the body of an error answer is only diagnostic, so it is capped, not refused.
      const { bytes, truncated } = ok
        ? await readBodyUntil(res, current.href, { maxBytes: options.maxBytes, overflow: 'fail' }, signal)
        : await readErrorBody(res, current.href, Math.min(options.maxBytes, ERROR_BODY_MAX_BYTES), signal);
      const { text, charset, note } = decodeBody(bytes, contentType);
      return {
        url: current.href,
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
        ...extras,
      };
    }
  } catch (err) {
    // The deadline or the caller's abort wins over whatever error the torn-down socket reported.
    if (signal.aborted && isWirediffError(signal.reason)) throw signal.reason;
    if (isWirediffError(err)) throw err;
    throw new WirediffError('E_FETCH', `${current.href}: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  } finally {
    clearTimeout(timer);
    external?.removeEventListener('abort', onExternalAbort);
  }
}
