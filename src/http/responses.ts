/**
 * Response helpers: the security headers (one place for every kind of response), JSON bodies, raw bytes.
 */
import type { ServerResponse } from 'node:http';

/** Sent on every response wirediff itself writes (the viewer adds its own CSP for pages). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-site',
};

/** For API and feed responses: nothing in them may run or be framed. */
export const DATA_HEADERS: Readonly<Record<string, string>> = {
  ...SECURITY_HEADERS,
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'; sandbox",
  'X-Frame-Options': 'DENY',
};

/** The policy on every viewer response: only wirediff's own scripts, styles and the live stream; no framing. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** For the viewer's pages and assets. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  ...SECURITY_HEADERS,
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

export function setHeaders(res: ServerResponse, headers: Readonly<Record<string, string>>): void {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  extra: Readonly<Record<string, string>> = {},
): void {
  const data = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, {
    ...DATA_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(data.length),
    'Cache-Control': 'no-store',
    ...extra,
  });
  res.end(data);
}

export function sendBytes(
  res: ServerResponse,
  status: number,
  body: Uint8Array,
  headers: Readonly<Record<string, string>>,
): void {
  res.writeHead(status, { ...DATA_HEADERS, 'Content-Length': String(body.byteLength), ...headers });
  res.end(body);
}
