/**
 * Response compression: whether a client takes gzip (its `Accept-Encoding`, read by `negotiator`, so q-values,
 * `*` and `identity` preferences follow RFC 9110 §12.5.3) and the zlib level for a body.
 */
import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import Negotiator from 'negotiator';

/** Bodies smaller than this are sent as they are. */
export const GZIP_MIN_BYTES = 4096;

const gzipAsync = promisify(gzipCallback);

/** zlib level for a body: 6 for ordinary pages, 1 (about three times faster) past 1 MiB, where time matters more. */
export function gzipLevelFor(bytes: number): number {
  return bytes > 1024 * 1024 ? 1 : 6;
}

/** True when the client prefers gzip to the body as it is (no header: it does not). */
export function acceptsGzip(req: Pick<IncomingMessage, 'headers'>): boolean {
  return new Negotiator(req).encoding(['gzip', 'identity']) === 'gzip';
}

export function gzip(body: Buffer): Promise<Buffer> {
  return gzipAsync(body, { level: gzipLevelFor(body.length) });
}
