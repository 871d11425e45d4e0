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

/**
 * The subprotocol prefix that carries a token on a WebSocket upgrade, for clients that cannot set headers (browsers):
 * `wirediff.bearer.<token as base64url>`, offered beside `wirediff.live.1` (the protocol the server answers with).
 */
export const BEARER_SUBPROTOCOL_PREFIX = 'wirediff.bearer.';

/** The subprotocols a WebSocket upgrade offers (`Sec-WebSocket-Protocol`, comma-separated). */
export function offeredSubprotocols(req: IncomingMessage): string[] {
  const header = req.headers['sec-websocket-protocol'];
  if (typeof header !== 'string') return [];
  return header
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

/**
 * The token a WebSocket upgrade carries: `Authorization: Bearer T`, else a `wirediff.bearer.<base64url(T)>`
 * subprotocol, else (when `allowQuery`) the `token` query parameter.
 */
export function upgradeToken(req: IncomingMessage, allowQuery: boolean): string | undefined {
  const fromHeader = requestToken(req, false);
  if (fromHeader !== undefined) return fromHeader;
  const bearer = offeredSubprotocols(req).find((p) => p.startsWith(BEARER_SUBPROTOCOL_PREFIX));
  if (bearer !== undefined) {
    const encoded = bearer.slice(BEARER_SUBPROTOCOL_PREFIX.length);
    if (/^[A-Za-z0-9_-]+$/.test(encoded)) return Buffer.from(encoded, 'base64url').toString('utf8');
    return undefined;
  }
  return requestToken(req, allowQuery);
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
 * The server's own origin (the page's host is the host the request was sent to, as the viewer's pages are) is always
 * allowed, as is any origin in `ownOrigins` (the public address readers use, behind a proxy).
 */
export function originAllowed(
  req: IncomingMessage,
  allowedOrigins: readonly string[] | undefined,
  ownOrigins: readonly string[] = [],
): boolean {
  if (allowedOrigins === undefined || allowedOrigins.length === 0) return true;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowedOrigins.includes(origin) || ownOrigins.includes(origin)) return true;
  return sameHost(origin, req.headers.host);
}

/** Whether a browser Origin (`scheme://host[:port]`) names the host the request was sent to. */
function sameHost(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  return url.host.toLowerCase() === host.toLowerCase();
}
