/**
 * Framing of the append-only log: each record is
 *
 *   "WDR1" (4 bytes magic) | payload length (u32 BE) | CRC-32 of the payload (u32 BE) | payload (UTF-8 JSON)
 *
 * The magic lets a scan tell a torn tail (garbage or a cut record at the very end: safe to truncate) from damage in
 * the middle of the log (a valid record found after a bad one: refused, never silently dropped).
 */
import { crc32 } from 'node:zlib';

export const RECORD_MAGIC = Buffer.from('WDR1', 'latin1');
export const RECORD_HEADER_BYTES = 12;
/** A sanity bound on one record; larger lengths in a header mean the header is garbage. */
export const MAX_RECORD_BYTES = 256 * 1024 * 1024;

export function encodeRecord(payload: Uint8Array): Buffer {
  if (payload.byteLength === 0 || payload.byteLength > MAX_RECORD_BYTES) {
    throw new RangeError(`record payload must be 1..${MAX_RECORD_BYTES} bytes, received ${payload.byteLength}`);
  }
  const out = Buffer.allocUnsafe(RECORD_HEADER_BYTES + payload.byteLength);
  RECORD_MAGIC.copy(out, 0);
  out.writeUInt32BE(payload.byteLength, 4);
  out.writeUInt32BE(crc32(payload), 8);
  out.set(payload, RECORD_HEADER_BYTES);
  return out;
}

/** What `checkRecordAt` finds at a position of a buffer. */
export type RecordCheck =
  | { readonly kind: 'ok'; readonly payloadStart: number; readonly payloadLength: number; readonly end: number }
  /** The buffer ends before the record does (more bytes may follow in the file). */
  | { readonly kind: 'short' }
  | { readonly kind: 'bad'; readonly reason: string };

/** Checks whether a whole, valid record starts at `pos` of `buf`. */
export function checkRecordAt(buf: Uint8Array, pos: number): RecordCheck {
  const avail = buf.byteLength - pos;
  const magicLen = Math.min(avail, RECORD_MAGIC.length);
  for (let i = 0; i < magicLen; i++) {
    if (buf[pos + i] !== RECORD_MAGIC[i]) return { kind: 'bad', reason: 'bad magic' };
  }
  if (avail < RECORD_HEADER_BYTES) return { kind: 'short' };
  const view = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const length = view.readUInt32BE(pos + 4);
  if (length === 0 || length > MAX_RECORD_BYTES) return { kind: 'bad', reason: `bad length ${length}` };
  const end = pos + RECORD_HEADER_BYTES + length;
  if (end > buf.byteLength) return { kind: 'short' };
  const want = view.readUInt32BE(pos + 8);
  const payload = buf.subarray(pos + RECORD_HEADER_BYTES, end);
  if (crc32(payload) !== want) return { kind: 'bad', reason: 'checksum mismatch' };
  return { kind: 'ok', payloadStart: pos + RECORD_HEADER_BYTES, payloadLength: length, end };
}

/** Offset of the first whole valid record at or after `from` in `buf`, or -1. Used to tell tail damage from middle damage. */
export function findNextRecord(buf: Uint8Array, from: number): number {
  const view = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  let pos = view.indexOf(RECORD_MAGIC, from);
  while (pos >= 0) {
    if (checkRecordAt(buf, pos).kind === 'ok') return pos;
    pos = view.indexOf(RECORD_MAGIC, pos + 1);
  }
  return -1;
}
