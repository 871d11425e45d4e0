/**
 * Access checks shared by the `/live` upgrade and the push endpoint: a bearer token and an Origin allowlist.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The token a request carries: `Authorization: Bearer T` first, else the `token` query parameter. */
export function requestToken(req: IncomingMessage, allowQuery: boolean): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer[ ]+(\S+)\s*$/i.exec(auth);
    if (m) return m[1];
  }
  if (!allowQuery) return undefined;
  const url = req.url ?? '';
  const q = url.indexOf('?');
  if (q < 0) return undefined;
  const value = new URLSearchParams(url.slice(q + 1)).get('token');
  return value ?? undefined;
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/** Constant-time comparison of a presented token against the expected one. */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  return timingSafeEqual(digest(presented), digest(expected));
}

/**
 * True when the request's Origin is allowed. With no allowlist every origin is allowed. A request without an Origin
 * header (not a browser) is allowed: the allowlist guards against other web pages, the token against other programs.
 */
export function originAllowed(req: IncomingMessage, allowedOrigins: readonly string[] | undefined): boolean {
  if (allowedOrigins === undefined || allowedOrigins.length === 0) return true;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  return allowedOrigins.includes(origin);
}
