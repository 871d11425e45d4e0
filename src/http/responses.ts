/**
 * Response helpers: security headers on everything, JSON bodies, raw bytes.
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
