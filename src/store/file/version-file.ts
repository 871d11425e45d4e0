/**
 * One version, one file (`NNNNNN.wdv`): its document and its raw source bytes together, so that keeping a version
 * costs one atomic write (one temp file, one fsync, one rename, one folder fsync) rather than two. Two layouts:
 *
 *   WDV2 (written since December 2026):
 *   "WDV2" | document length D (u32 BE) | raw length R (u32 BE) | payload length P (u32 BE) | method (u8: 0 stored,
 *   1 brotli) | 3 zero bytes | payload (P bytes): the document (D bytes, UTF-8 JSON, version-doc.ts) followed by the
 *   raw bytes (R bytes), compressed as one brotli stream when that pays (method 1), else as they are (method 0)
 *
 *   WDV1 (read, and written only by tests that craft files):
 *   "WDV1" | document length D (u32 BE) | document (D bytes) | raw bytes (to the end of the file)
 *
 * Compressing the document and the raw bytes as one stream stores the text once: the extracted article repeats most
 * of the raw source (all of it for a text page), and the ChangeSet repeats the changed paragraphs, and brotli's
 * window finds those repeats. The raw length is in the header (WDV1: the rest of the file) and must be the meta's
 * `rawBytes`: a file that disagrees is refused as corrupt.
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliCompress, brotliDecompress, constants as zlib } from 'node:zlib';
import { WirediffError } from '../../core/errors.js';

export const VERSION_FILE_MAGIC = Buffer.from('WDV1', 'latin1');
export const VERSION_FILE_HEADER_BYTES = 8;
const MAGIC_V2 = Buffer.from('WDV2', 'latin1');
const HEADER_V2_BYTES = 20;
const STORED = 0;
const BROTLI = 1;

const compress = promisify(brotliCompress);
const decompress = promisify(brotliDecompress);

/** Brotli quality 5: most of the gain of the higher levels at a small part of their time. */
const BROTLI_PARAMS = { [zlib.BROTLI_PARAM_QUALITY]: 5 };

/** Writes the WDV1 layout (uncompressed). The store writes `encodeVersionFileCompact`; this is for crafted files. */
export function encodeVersionFile(doc: Uint8Array, raw: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(VERSION_FILE_HEADER_BYTES + doc.byteLength + raw.byteLength);
  VERSION_FILE_MAGIC.copy(out, 0);
  out.writeUInt32BE(doc.byteLength, 4);
  out.set(doc, VERSION_FILE_HEADER_BYTES);
  out.set(raw, VERSION_FILE_HEADER_BYTES + doc.byteLength);
  return out;
}

/**
 * The WDV2 layout: document and raw bytes compressed together with brotli (off the main thread), or stored as they
 * are when compression saves less than a twentieth.
 */
export async function encodeVersionFileCompact(
  doc: Uint8Array | readonly Uint8Array[],
  raw: Uint8Array,
): Promise<Buffer> {
  // The document may come in parts (version-doc.ts): they are copied once, with the raw bytes, into the payload.
  const parts = doc instanceof Uint8Array ? [doc] : doc;
  const payload = Buffer.concat([...parts, raw]);
  const docLength = payload.length - raw.byteLength;
  // A window just large enough for the payload (a 16 MiB one costs its allocation on every small file).
  const lgwin = Math.min(24, Math.max(16, Math.ceil(Math.log2(payload.length + 1))));
  const packed = await compress(payload, {
    params: { ...BROTLI_PARAMS, [zlib.BROTLI_PARAM_LGWIN]: lgwin, [zlib.BROTLI_PARAM_SIZE_HINT]: payload.length },
  });
  const method = packed.length < payload.length * 0.95 ? BROTLI : STORED;
  const body = method === BROTLI ? packed : payload;
  const header = Buffer.alloc(HEADER_V2_BYTES);
  MAGIC_V2.copy(header, 0);
  header.writeUInt32BE(docLength, 4);
  header.writeUInt32BE(raw.byteLength, 8);
  header.writeUInt32BE(body.length, 12);
  header.writeUInt8(method, 16);
  return Buffer.concat([header, body]);
}

/** The parts of a version file read so far: the document's bytes, and its raw bytes or where they are. */
export interface VersionFileHead {
  readonly doc: Buffer;
  readonly rawLength: number;
  /** Where the raw bytes start in the file, when they are stored as they are. */
  readonly rawOffset: number;
  /** The raw bytes, when decoding the document gave them too (a compressed file). */
  readonly raw: Buffer | undefined;
}

async function readExactly(fh: FileHandle, buf: Buffer, position: number, path: string): Promise<void> {
  let got = 0;
  while (got < buf.length) {
    const { bytesRead } = await fh.read(buf, got, buf.length - got, position + got);
    if (bytesRead === 0) {
      throw new WirediffError('E_CORRUPT', `${path}: ends early, at byte ${position + got}`);
    }
    got += bytesRead;
  }
}

async function readHeadFrom(fh: FileHandle, path: string): Promise<VersionFileHead> {
  const size = (await fh.stat()).size;
  if (size < VERSION_FILE_HEADER_BYTES) {
    throw new WirediffError('E_CORRUPT', `${path}: ${size} bytes is too short for a version file`);
  }
  const header = Buffer.alloc(HEADER_V2_BYTES);
  await readExactly(fh, header.subarray(0, Math.min(HEADER_V2_BYTES, size)), 0, path);
  const magic = header.subarray(0, 4);
  const docLength = header.readUInt32BE(4);
  if (magic.equals(MAGIC_V2)) {
    if (size < HEADER_V2_BYTES) {
      throw new WirediffError('E_CORRUPT', `${path}: ${size} bytes is too short for a version file`);
    }
    const rawLength = header.readUInt32BE(8);
    const stored = header.readUInt32BE(12);
    const method = header.readUInt8(16);
    if (HEADER_V2_BYTES + stored !== size) {
      throw new WirediffError(
        'E_CORRUPT',
        `${path}: its header claims ${stored} bytes of contents in a ${size}-byte file`,
      );
    }
    if (method === STORED) {
      if (docLength + rawLength !== stored) {
        throw new WirediffError(
          'E_CORRUPT',
          `${path}: its header claims ${docLength} + ${rawLength} bytes in ${stored} bytes of contents`,
        );
      }
      const doc = Buffer.allocUnsafe(docLength);
      await readExactly(fh, doc, HEADER_V2_BYTES, path);
      return { doc, rawLength, rawOffset: HEADER_V2_BYTES + docLength, raw: undefined };
    }
    if (method !== BROTLI) throw new WirediffError('E_CORRUPT', `${path}: unknown compression method ${method}`);
    const packed = Buffer.allocUnsafe(size - HEADER_V2_BYTES);
    await readExactly(fh, packed, HEADER_V2_BYTES, path);
    let payload: Buffer;
    try {
      payload = await decompress(packed);
    } catch (cause) {
      throw new WirediffError('E_CORRUPT', `${path}: its compressed contents do not decompress`, { cause });
    }
    if (payload.length !== docLength + rawLength) {
      throw new WirediffError(
        'E_CORRUPT',
        `${path}: decompresses to ${payload.length} bytes, its header says ${docLength} + ${rawLength}`,
      );
    }
    return {
      doc: payload.subarray(0, docLength),
      rawLength,
      rawOffset: -1,
      raw: payload.subarray(docLength),
    };
  }
  if (!magic.equals(VERSION_FILE_MAGIC)) {
    throw new WirediffError('E_CORRUPT', `${path}: not a wirediff version file (no WDV1 or WDV2 magic)`);
  }
  if (VERSION_FILE_HEADER_BYTES + docLength > size) {
    throw new WirediffError(
      'E_CORRUPT',
      `${path}: its header claims a ${docLength}-byte document in a ${size}-byte file`,
    );
  }
  const doc = Buffer.allocUnsafe(docLength);
  await readExactly(fh, doc, VERSION_FILE_HEADER_BYTES, path);
  const rawOffset = VERSION_FILE_HEADER_BYTES + docLength;
  return { doc, rawOffset, rawLength: size - rawOffset, raw: undefined };
}

/** Refuses (`E_CORRUPT`) a version file whose raw bytes are not `expectedBytes` long (the meta's `rawBytes`). */
export function checkRawLength(head: VersionFileHead, expectedBytes: number, path: string): void {
  if (head.rawLength !== expectedBytes) {
    throw new WirediffError('E_CORRUPT', `${path}: holds ${head.rawLength} raw bytes, its meta says ${expectedBytes}`);
  }
}

/** Reads a version file's header and document (and, for a compressed file, its raw bytes with it). */
export async function readVersionHead(path: string): Promise<VersionFileHead> {
  const fh = await open(path, 'r');
  try {
    return await readHeadFrom(fh, path);
  } finally {
    await fh.close();
  }
}

/** Reads a version file's raw bytes, which must be exactly `expectedBytes` long (the meta's `rawBytes`). */
export async function readVersionRaw(path: string, expectedBytes: number): Promise<Buffer> {
  return (await readVersionFile(path, expectedBytes)).raw;
}

/** Reads a whole version file, its document and its raw bytes (which must be `expectedBytes` long), in one open. */
export async function readVersionFile(path: string, expectedBytes: number): Promise<{ doc: Buffer; raw: Buffer }> {
  const fh = await open(path, 'r');
  try {
    const head = await readHeadFrom(fh, path);
    checkRawLength(head, expectedBytes, path);
    if (head.raw !== undefined) return { doc: head.doc, raw: head.raw };
    const raw = Buffer.allocUnsafe(head.rawLength);
    await readExactly(fh, raw, head.rawOffset, path);
    return { doc: head.doc, raw };
  } finally {
    await fh.close();
  }
}
