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

/**
 * Reads the whole body of `res` into memory. Rejects with E_FETCH_TOO_LARGE when the wire or decoded size passes
 * `maxBytes`; the response is destroyed on any failure. Aborting is the caller's job (destroy `res` with an error).
 */
export function readBody(res: IncomingMessage, url: string, maxBytes: number): Promise<Uint8Array> {
  return new Promise<Uint8Array>((resolve, reject) => {
    let settled = false;
    const streams: Readable[] = [res];
    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      for (const s of streams) s.destroy();
      reject(err instanceof Error ? err : new Error(String(err)));
    };

    const onError = (err: Error): void => {
      fail(
        err instanceof WirediffError
          ? err
          : new WirediffError('E_FETCH', `${url}: could not read the response body: ${err.message}`, { cause: err }),
      );
    };

    let codings: string[];
    try {
      codings = contentCodings(res.headers['content-encoding']);
    } catch (err) {
      fail(err);
      return;
    }

    let wireBytes = 0;
    res.on('data', (chunk: Buffer) => {
      wireBytes += chunk.length;
      if (wireBytes > maxBytes) fail(tooLarge(url, maxBytes, 'the response body'));
    });

    let tail: Readable = res;
    for (const coding of codings) {
      let decoder: Transform;
      try {
        decoder = decoderFor(coding, url);
      } catch (err) {
        fail(err);
        return;
      }
      streams.push(decoder);
      tail.on('error', onError);
      tail.pipe(decoder);
      tail = decoder;
    }

    const chunks: Buffer[] = [];
    let decodedBytes = 0;
    const counted = codings.length > 0;
    tail.on('data', (chunk: Buffer) => {
      if (settled) return;
      if (counted) {
        decodedBytes += chunk.length;
        if (decodedBytes > maxBytes) {
          fail(tooLarge(url, maxBytes, 'the decoded (decompressed) response body'));
          return;
        }
      }
      chunks.push(chunk);
    });
    tail.on('error', onError);
    tail.on('end', () => {
      if (settled) return;
      if (!res.complete) {
        fail(new WirediffError('E_FETCH', `${url}: the connection closed before the body ended`));
        return;
      }
      settled = true;
      const all = Buffer.concat(chunks);
      resolve(new Uint8Array(all.buffer, all.byteOffset, all.byteLength));
    });
  });
}
