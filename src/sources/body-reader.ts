/**
 * Reads an HTTP response body with a byte limit, undoing Content-Encoding (gzip, deflate, br) on the way.
 * The limit applies to the bytes on the wire and to the decoded bytes, so a small compressed "bomb" that expands
 * to gigabytes is stopped as soon as the decoded size passes the limit.
 */
import type { IncomingMessage } from 'node:http';
import { type Readable, Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';
import { WirediffError } from '../core/errors.js';

function tooLarge(url: string, maxBytes: number, what: string): WirediffError {
  return new WirediffError('E_FETCH_TOO_LARGE', `${url}: ${what} is larger than maxBytes (${maxBytes} bytes)`);
}

/**
 * A deflate decoder that accepts both zlib-wrapped (RFC 1950, what the spec says) and raw (RFC 1951, what some servers
 * send) deflate, deciding on the first byte: a zlib stream starts with a CMF byte whose low nibble is 8.
 */
function deflateDecoder(): Transform {
  let inner: Transform | undefined;
  const outer = new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (inner === undefined) {
        const first = chunk[0];
        inner = first !== undefined && (first & 0x0f) === 8 ? createInflate() : createInflateRaw();
        inner.on('data', (out: Buffer) => outer.push(out));
        inner.on('error', (err) => outer.destroy(err));
      }
      if (inner.write(chunk)) done();
      else inner.once('drain', () => done());
    },
    flush(done) {
      if (inner === undefined) {
        done();
        return;
      }
      inner.once('end', () => done());
      inner.end();
    },
    destroy(err, done) {
      inner?.destroy();
      done(err);
    },
  });
  return outer;
}

function decoderFor(encoding: string, url: string): Transform {
  // Strict: a truncated compressed body is an error, never a silently shorter article.
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return deflateDecoder();
    case 'br':
      return createBrotliDecompress();
    default:
      throw new WirediffError('E_FETCH', `${url}: unsupported Content-Encoding ${JSON.stringify(encoding)}`);
  }
}

/** The codings in the order they must be undone (last applied first); `identity` dropped. */
export function contentCodings(header: string | undefined): string[] {
  if (header === undefined) return [];
  return header
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity')
    .reverse();
}

export interface ReadBodyOptions {
  maxBytes: number;
  /**
   * What passing `maxBytes` means: `fail` (E_FETCH_TOO_LARGE, for documents) or `truncate` (keep the first
   * `maxBytes` bytes and stop reading, for error pages whose body is only diagnostic).
   */
  overflow: 'fail' | 'truncate';
}

export interface BodyRead {
  bytes: Uint8Array;
  /** True when `overflow: 'truncate'` cut the body short. */
  truncated: boolean;
}

/**
 * Reads the whole body of `res` into memory, undoing Content-Encoding. Passing `maxBytes` on the wire or after
 * decoding fails (E_FETCH_TOO_LARGE) or truncates, per `overflow`. A body cut short (connection closed before its
 * end, truncated compressed stream) fails with E_FETCH. The response is destroyed on any failure or truncation.
 * Aborting is the caller's job (destroy `res` with an error).
 */
export function readBody(res: IncomingMessage, url: string, options: ReadBodyOptions): Promise<BodyRead> {
  const { maxBytes, overflow } = options;
  return new Promise<BodyRead>((resolve, reject) => {
    let settled = false;
    const streams: Readable[] = [res];
    const chunks: Buffer[] = [];
    let kept = 0;

    const finish = (truncated: boolean): void => {
      if (settled) return;
      settled = true;
      if (truncated) for (const s of streams) s.destroy();
      const all = Buffer.concat(chunks);
      resolve({ bytes: new Uint8Array(all.buffer, all.byteOffset, all.byteLength), truncated });
    };
    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      for (const s of streams) s.destroy();
      reject(err instanceof Error ? err : new Error(String(err)));
    };
    const overLimit = (what: string): void => {
      if (overflow === 'truncate') finish(true);
      else fail(tooLarge(url, maxBytes, what));
    };

    let wireBytes = 0;
    const onError = (err: Error): void => {
      // A compressed response with an empty body (204, some 304s and redirects) is not an error.
      if (wireBytes === 0 && res.complete && !(err instanceof WirediffError)) {
        finish(false);
        return;
      }
      fail(
        err instanceof WirediffError
          ? err
          : new WirediffError('E_FETCH', `${url}: could not read the response body: ${err.message}`, { cause: err }),
      );
    };

    let codings: string[];
    let decoders: Transform[];
    try {
      codings = contentCodings(res.headers['content-encoding']);
      decoders = codings.map((coding) => decoderFor(coding, url));
    } catch (err) {
      fail(err);
      return;
    }

    res.on('data', (chunk: Buffer) => {
      wireBytes += chunk.length;
      if (wireBytes > maxBytes && decoders.length > 0) overLimit('the response body');
    });

    let tail: Readable = res;
    for (const decoder of decoders) {
      streams.push(decoder);
      tail.on('error', onError);
      tail.pipe(decoder);
      tail = decoder;
    }

    const what = decoders.length > 0 ? 'the decoded (decompressed) response body' : 'the response body';
    tail.on('data', (chunk: Buffer) => {
      if (settled) return;
      const room = maxBytes - kept;
      if (chunk.length > room) {
        if (room > 0) chunks.push(chunk.subarray(0, room));
        kept += Math.max(room, 0);
        overLimit(what);
        return;
      }
      chunks.push(chunk);
      kept += chunk.length;
    });
    tail.on('error', onError);
    tail.on('end', () => {
      if (settled) return;
      if (!res.complete) {
        fail(new WirediffError('E_FETCH', `${url}: the connection closed before the body ended`));
        return;
      }
      finish(false);
    });
  });
}
