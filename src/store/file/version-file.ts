/**
 * One version, one file (`NNNNNN.wdv`): its document and its raw source bytes together, so that keeping a version
 * costs one atomic write (one temp file, one fsync, one rename, one folder fsync) rather than two:
 *
 *   "WDV1" (4 bytes magic) | document length D (u32 BE) | document (D bytes, UTF-8 JSON, version-doc.ts) | raw bytes
 *
 * The raw bytes run to the end of the file; their length is the meta's `rawBytes`, and a file whose size disagrees
 * is refused as corrupt. Reading the document alone reads only the head of the file.
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { WirediffError } from '../../core/errors.js';

export const VERSION_FILE_MAGIC = Buffer.from('WDV1', 'latin1');
export const VERSION_FILE_HEADER_BYTES = 8;

export function encodeVersionFile(doc: Uint8Array, raw: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(VERSION_FILE_HEADER_BYTES + doc.byteLength + raw.byteLength);
  VERSION_FILE_MAGIC.copy(out, 0);
  out.writeUInt32BE(doc.byteLength, 4);
  out.set(doc, VERSION_FILE_HEADER_BYTES);
  out.set(raw, VERSION_FILE_HEADER_BYTES + doc.byteLength);
  return out;
}

/** The parts of a version file read so far: the document's bytes, and where the raw bytes start and how many. */
export interface VersionFileHead {
  readonly doc: Buffer;
  readonly rawOffset: number;
  readonly rawLength: number;
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
  const header = Buffer.alloc(VERSION_FILE_HEADER_BYTES);
  if (size < VERSION_FILE_HEADER_BYTES) {
    throw new WirediffError('E_CORRUPT', `${path}: ${size} bytes is too short for a version file`);
  }
  await readExactly(fh, header, 0, path);
  if (!header.subarray(0, 4).equals(VERSION_FILE_MAGIC)) {
    throw new WirediffError('E_CORRUPT', `${path}: not a wirediff version file (no WDV1 magic)`);
  }
  const docLength = header.readUInt32BE(4);
  if (VERSION_FILE_HEADER_BYTES + docLength > size) {
    throw new WirediffError(
      'E_CORRUPT',
      `${path}: its header claims a ${docLength}-byte document in a ${size}-byte file`,
    );
  }
  const doc = Buffer.allocUnsafe(docLength);
  await readExactly(fh, doc, VERSION_FILE_HEADER_BYTES, path);
  const rawOffset = VERSION_FILE_HEADER_BYTES + docLength;
  return { doc, rawOffset, rawLength: size - rawOffset };
}

/** Refuses (`E_CORRUPT`) a version file whose raw bytes are not `expectedBytes` long (the meta's `rawBytes`). */
export function checkRawLength(head: VersionFileHead, expectedBytes: number, path: string): void {
  if (head.rawLength !== expectedBytes) {
    throw new WirediffError('E_CORRUPT', `${path}: holds ${head.rawLength} raw bytes, its meta says ${expectedBytes}`);
  }
}

/** Reads a version file's header and document (not its raw bytes). */
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
    const raw = Buffer.allocUnsafe(head.rawLength);
    await readExactly(fh, raw, head.rawOffset, path);
    return { doc: head.doc, raw };
  } finally {
    await fh.close();
  }
}
