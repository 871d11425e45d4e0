/**
 * URLs for `fetchDocument`: only http: and https: ones are fetched, and redirects are followed up to a maximum,
 * never twice to the same address (loop detection).
 */
import { WirediffError } from '../core/errors.js';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** True for a status that redirects (when a Location comes with it). */
export function isRedirect(status: number): boolean {
  return REDIRECT_STATUSES.has(status);
}

/** The URL without its fragment: what identifies a request (for redirect-loop detection). */
function requestKey(url: URL): string {
  const copy = new URL(url.href);
  copy.hash = '';
  return copy.href;
}

/** `raw` as an http: or https: URL (resolved against `base`, the page that redirected, when given). */
export function parseHttpUrl(raw: string, base?: URL): URL {
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

/** The redirects of one fetch of `url`: where it has been, and how many times it was sent on. */
export class RedirectTrail {
  private readonly seen: Set<string>;
  private redirects = 0;

  constructor(
    private readonly url: string,
    first: URL,
    private readonly maxRedirects: number,
  ) {
    this.seen = new Set<string>([requestKey(first)]);
  }

  /**
   * The URL `current` redirects to with `location`.
   *
   * @throws WirediffError `E_FETCH_REDIRECTS` on a loop or past `maxRedirects`; `E_FETCH`/`E_FETCH_PROTOCOL` for a
   *   bad Location.
   */
  follow(current: URL, location: string): URL {
    const next = parseHttpUrl(location, current);
    if (this.seen.has(requestKey(next))) {
      throw new WirediffError(
        'E_FETCH_REDIRECTS',
        `${this.url}: redirect loop (${current.href} → ${next.href} was already visited after ${this.redirects} redirects)`,
      );
    }
    if (this.redirects >= this.maxRedirects) {
      throw new WirediffError(
        'E_FETCH_REDIRECTS',
        `${this.url}: more than maxRedirects (${this.maxRedirects}) redirects; the last went to ${next.href}`,
      );
    }
    this.seen.add(requestKey(next));
    this.redirects += 1;
    return next;
  }
}
