/**
 * Conditional requests (RFC 9110 §13): `If-None-Match` with the weak comparison that header asks for, and
 * `If-Modified-Since` when no `If-None-Match` was sent. One module for the feeds and the viewer's assets.
 */
import type { IncomingMessage } from 'node:http';

/** An entity tag without its weakness marker: `W/"x"` and `"x"` compare equal under the weak comparison. */
function opaque(tag: string): string {
  const t = tag.trim();
  return t.startsWith('W/') ? t.slice(2) : t;
}

/**
 * True when an `If-None-Match` list matches `etag`: `*`, or one of its tags equal to `etag` under the weak comparison
 * (RFC 9110 §8.8.3.2: `W/"a"` matches `"a"` and `W/"a"`, either side weak or strong).
 */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const want = opaque(etag);
  return header.split(',').some((part) => opaque(part) === want);
}

/** What a conditional request is checked against. */
export interface Validators {
  readonly etag: string;
  /** The last change in ms since the epoch (absent: `If-Modified-Since` is ignored). */
  readonly lastModifiedMs?: number;
}

/** True when the client's copy is current (RFC 9110 §13.2.2: If-None-Match wins over If-Modified-Since). */
export function isNotModified(req: IncomingMessage, v: Validators): boolean {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) return etagMatches(inm, v.etag);
  const ims = req.headers['if-modified-since'];
  if (ims !== undefined && v.lastModifiedMs !== undefined) {
    const t = Date.parse(ims);
    return !Number.isNaN(t) && v.lastModifiedMs <= t;
  }
  return false;
}
