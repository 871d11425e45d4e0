/**
 * Compact storage of bytes in `bytea` columns: one leading codec byte, then the payload. JSON documents and raw pages
 * compress well (3–8× for news HTML), so anything over a few hundred bytes is deflated when that makes it smaller;
 * small or incompressible values (images, already-compressed bodies) are kept as they are.
 */
import { deflateRaw, deflateRawSync, inflateRaw, inflateRawSync } from 'node:zlib';
import { promisify } from 'node:util';
import { WirediffError } from '../../core/errors.js';

const PLAIN = 0;
const DEFLATE = 1;
/** Below this, compression rarely pays for its header and CPU. */
const MIN_COMPRESS = 256;
/** Above this, (de)compression goes to the thread pool instead of blocking the event loop. */
const ASYNC_FROM = 64 * 1024;

const deflateAsync = promisify(deflateRaw);
const inflateAsync = promisify(inflateRaw);

function framed(codec: number, payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(payload.byteLength + 1);
  out[0] = codec;
  out.set(payload, 1);
  return out;
}

/** Encodes `bytes` for a bytea column, deflated when that saves at least an eighth. */
export async function packBytes(bytes: Uint8Array): Promise<Buffer> {
  if (bytes.byteLength < MIN_COMPRESS) return framed(PLAIN, bytes);
  const packed =
    bytes.byteLength >= ASYNC_FROM ? await deflateAsync(bytes, { level: 6 }) : deflateRawSync(bytes, { level: 6 });
  return packed.byteLength <= bytes.byteLength - (bytes.byteLength >> 3)
    ? framed(DEFLATE, packed)
    : framed(PLAIN, bytes);
}

/** Decodes what `packBytes` wrote. */
export async function unpackBytes(stored: Buffer, where: string): Promise<Buffer> {
  if (stored.byteLength === 0) throw new WirediffError('E_CORRUPT', `${where}: empty stored value`);
  const body = stored.subarray(1);
  switch (stored[0]) {
    case PLAIN:
      return body;
    case DEFLATE:
      try {
        return body.byteLength >= ASYNC_FROM / 4 ? await inflateAsync(body) : inflateRawSync(body);
      } catch (cause) {
        throw new WirediffError('E_CORRUPT', `${where}: stored value does not inflate`, { cause });
      }
    default:
      throw new WirediffError('E_CORRUPT', `${where}: unknown codec ${stored[0]}`);
  }
}

export async function packJson(value: unknown): Promise<Buffer> {
  return packBytes(Buffer.from(JSON.stringify(value), 'utf8'));
}

export async function unpackJson<T>(stored: Buffer, where: string): Promise<T> {
  const bytes = await unpackBytes(stored, where);
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch (cause) {
    throw new WirediffError('E_CORRUPT', `${where}: stored JSON does not parse`, { cause });
  }
}
