/**
 * A feed as it is served: its bytes with a strong ETag and a Last-Modified in whole seconds that only moves forward
 * when the bytes change.
 */
import { createHash } from 'node:crypto';

export interface FeedFile {
  /** `all`, a named feed or an article id; the file is `<name>.xml`. */
  readonly name: string;
  readonly body: Buffer;
  /** A strong ETag (quoted hash of the bytes). */
  readonly etag: string;
  /** HTTP date. */
  readonly lastModified: string;
  /** Milliseconds, whole seconds. */
  readonly lastModifiedMs: number;
}

/** A quoted, URL-safe hash of the bytes (the same bytes always get the same ETag, across restarts too). */
export function strongEtag(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

/** The next Last-Modified of a feed whose bytes changed: now, in whole seconds, and always after the previous one. */
export function nextModified(nowMs: number, previous: FeedFile | undefined): number {
  const t = Math.floor(nowMs / 1000) * 1000;
  return previous !== undefined && t <= previous.lastModifiedMs ? previous.lastModifiedMs + 1000 : t;
}

export function feedFile(name: string, body: Buffer, lastModifiedMs: number): FeedFile {
  return { name, body, etag: strongEtag(body), lastModified: new Date(lastModifiedMs).toUTCString(), lastModifiedMs };
}
