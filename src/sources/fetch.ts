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
import { startDeadline } from './fetch-deadline.js';
import { DEFAULT_ACCEPT, validateFetchOptions, type FetchOptions } from './fetch-options.js';
import { isRedirect, parseHttpUrl, RedirectTrail } from './fetch-redirects.js';
import { header, readAnswer, type FetchResult } from './fetch-response.js';

export { defaultFetchOptions, type FetchOptions } from './fetch-options.js';
export type { FetchResult } from './fetch-response.js';

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
  const deadline = startDeadline(url, options.timeoutMs, options.signal, () => current.href);
  const signal = deadline.signal;
  try {
    const trail = new RedirectTrail(url, current, options.maxRedirects);
    for (;;) {
      const res = await send(current, options, policy, signal);
      const location = header(res, 'location');
      if (isRedirect(res.statusCode ?? 0) && location !== undefined) {
        res.destroy();
        current = trail.follow(current, location);
        continue;
      }
      return await readAnswer(res, current, options, signal, now);
    }
  } catch (err) {
    // The deadline or the caller's abort wins over whatever error the torn-down socket reported.
    if (signal.aborted && isWirediffError(signal.reason)) throw signal.reason;
    if (isWirediffError(err)) throw err;
    throw new WirediffError('E_FETCH', `${current.href}: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  } finally {
    deadline.dispose();
  }
}
