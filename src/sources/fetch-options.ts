/**
 * Options for `fetchDocument`, their defaults and their validation.
 */
import { WirediffError } from '../core/errors.js';
import { checkInt } from '../core/expect.js';
import { parseAllowedAddress } from './address-guard.js';
import { defaultUserAgent } from './user-agent.js';

export interface FetchOptions {
  /** Total time for the whole fetch: DNS, connect, TLS, headers, body, across every redirect. */
  timeoutMs: number;
  /** Largest body accepted, checked against Content-Length, the bytes received, and the decoded (gunzipped) size. */
  maxBytes: number;
  /** Redirects followed before failing with E_FETCH_REDIRECTS (0 = follow none). */
  maxRedirects: number;
  userAgent: string;
  /** Allow loopback, private, link-local and other non-public addresses (local use and tests). */
  allowPrivateNetwork: boolean;
  /** Sent as If-None-Match. */
  etag?: string;
  /** Sent as If-Modified-Since. */
  lastModified?: string;
  /** Aborts the fetch (E_FETCH, cause = the signal's reason). */
  signal?: AbortSignal;
  /** The Accept header; defaults to HTML first, then XML/feeds, then text. */
  accept?: string;
  /** Addresses or CIDR ranges allowed even when private networks are refused (e.g. `10.1.2.3`, `fd00:1::/64`). */
  allowedAddresses?: readonly string[];
  /** The clock used to turn a Retry-After HTTP date into a delay (defaults to Date.now). */
  now?: () => number;
}

export const DEFAULT_ACCEPT =
  'text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/feed+json;q=0.9,' +
  'application/xml;q=0.9,text/xml;q=0.9,application/json;q=0.8,text/plain;q=0.8,*/*;q=0.5';

export const MAX_REDIRECTS_LIMIT = 20;
export const MAX_TIMEOUT_MS = 10 * 60 * 1000;
export const MAX_BYTES_LIMIT = 1024 * 1024 * 1024;

/** Sane defaults: 20 s total, 5 MiB, 5 redirects, the wirediff User-Agent, private networks refused. */
export function defaultFetchOptions(): FetchOptions {
  return {
    timeoutMs: 20_000,
    maxBytes: 5 * 1024 * 1024,
    maxRedirects: 5,
    userAgent: defaultUserAgent(),
    allowPrivateNetwork: false,
  };
}

function integerIn(name: string, value: unknown, min: number, max: number): void {
  checkInt(name, value, min, max, { code: 'E_CONFIG' });
}

/** Throws E_CONFIG naming the option, the allowed range and the value received. */
export function validateFetchOptions(options: FetchOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new WirediffError('E_CONFIG', `Expected fetch options to be an object, got \`${String(options)}\``);
  }
  integerIn('timeoutMs', options.timeoutMs, 1, MAX_TIMEOUT_MS);
  integerIn('maxBytes', options.maxBytes, 1, MAX_BYTES_LIMIT);
  integerIn('maxRedirects', options.maxRedirects, 0, MAX_REDIRECTS_LIMIT);
  if (typeof options.userAgent !== 'string' || options.userAgent.trim() === '' || /[\r\n]/.test(options.userAgent)) {
    throw new WirediffError(
      'E_CONFIG',
      `Expected \`userAgent\` to be a non-empty single-line string, got \`${String(options.userAgent)}\``,
    );
  }
  if (typeof options.allowPrivateNetwork !== 'boolean') {
    throw new WirediffError(
      'E_CONFIG',
      `Expected \`allowPrivateNetwork\` to be a boolean, got \`${String(options.allowPrivateNetwork)}\``,
    );
  }
  for (const name of ['etag', 'lastModified', 'accept'] as const) {
    const v = options[name];
    if (v !== undefined && (typeof v !== 'string' || /[\r\n]/.test(v))) {
      throw new WirediffError('E_CONFIG', `Expected \`${name}\` to be a single-line string, got \`${String(v)}\``);
    }
  }
  if (options.now !== undefined && typeof options.now !== 'function') {
    throw new WirediffError(
      'E_CONFIG',
      `Expected \`now\` to be a function returning epoch ms, got \`${String(options.now)}\``,
    );
  }
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    throw new WirediffError('E_CONFIG', `Expected \`signal\` to be an AbortSignal, got \`${String(options.signal)}\``);
  }
  if (options.allowedAddresses !== undefined) {
    if (!Array.isArray(options.allowedAddresses)) {
      throw new WirediffError(
        'E_CONFIG',
        `Expected \`allowedAddresses\` to be an array of IP addresses or CIDR ranges, got \`${String(options.allowedAddresses)}\``,
      );
    }
    for (const entry of options.allowedAddresses as readonly unknown[]) {
      if (typeof entry !== 'string') {
        throw new WirediffError(
          'E_CONFIG',
          `Expected \`allowedAddresses\` entries to be IP addresses or CIDR ranges, got \`${String(entry)}\``,
        );
      }
      parseAllowedAddress(entry);
    }
  }
}
