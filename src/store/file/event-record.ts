/**
 * The payload of one event log record (event-log.ts), framed by record-framing.ts: an event's JSON, or, for events of
 * 1 KiB or more where it saves a tenth, a zero byte and the JSON compressed with brotli; or a void record for an id
 * that was handed out but never used.
 */
import { promisify } from 'node:util';
import { brotliCompress, brotliDecompressSync, constants as zlib } from 'node:zlib';
import { WirediffError } from '../../core/errors.js';
import { EVENT_SCHEMA } from '../../core/model/event.js';
import { upgradeChangeSet, upgradeKind } from '../../core/model/changeset.js';
import type { ChangeEvent, NewChangeEvent } from '../../core/model/event.js';
import { changesJson, jsonWithLast } from '../../lib/encoded-json.js';
import { eventFields } from '../event-fields.js';
import { encodeRecord } from './record-framing.js';

/** The payload of a void record: an id handed out whose version was never stored. */
export const VOID_SCHEMA = 'wirediff.void/1' as const;

/** The record of void id `id`. */
export function voidRecord(id: number): Buffer {
  return encodeRecord(Buffer.from(JSON.stringify({ schema: VOID_SCHEMA, id }), 'utf8'));
}

/** Event `e` as stored with id `id`, and its JSON. */
export function encodeEvent(id: number, e: NewChangeEvent): { event: ChangeEvent; json: Buffer } {
  const event: ChangeEvent = { schema: EVENT_SCHEMA, id, ...eventFields(e) };
  // The ChangeSet (the bulk of a big event) as the ingest worker encoded it, when it did (encoded.ts): the
  // same bytes as JSON.stringify(event), without serialising it again on the event loop.
  const { changes, ...head } = event;
  const json =
    changes === null ? Buffer.from(JSON.stringify(event), 'utf8') : jsonWithLast(head, 'changes', changesJson(changes));
  return { event, json };
}

/** A record payload that starts with this byte is brotli-compressed JSON (JSON never starts with it). */
const COMPRESSED = 0x00;
/** Records of at least this many bytes of JSON are compressed when that saves a tenth or more. */
const COMPRESS_FROM = 1024;
const compress = promisify(brotliCompress);

/** The payload of an event's record: its JSON, or (when it pays) `COMPRESSED` and the JSON compressed (async). */
export async function encodePayload(json: Buffer): Promise<Buffer> {
  if (json.length < COMPRESS_FROM) return json;
  const packed = await compress(json, {
    params: {
      [zlib.BROTLI_PARAM_QUALITY]: 5,
      [zlib.BROTLI_PARAM_LGWIN]: Math.min(24, Math.max(16, Math.ceil(Math.log2(json.length + 1)))),
      [zlib.BROTLI_PARAM_SIZE_HINT]: json.length,
    },
  });
  return packed.length + 1 <= json.length * 0.9 ? Buffer.concat([Buffer.of(COMPRESSED), packed]) : json;
}

/** Decodes one record: an event, or a void id (`event: null`), and the size of its JSON. */
export function decodeRecord(
  payload: Buffer,
  where: string,
): { id: number; event: ChangeEvent | null; jsonBytes: number } {
  let e: unknown;
  let json: Buffer;
  try {
    json = payload[0] === COMPRESSED ? brotliDecompressSync(payload.subarray(1)) : payload;
  } catch (cause) {
    throw new WirediffError('E_CORRUPT', `${where}: compressed record does not decompress`, { cause });
  }
  try {
    e = JSON.parse(json.toString('utf8'));
  } catch (cause) {
    throw new WirediffError('E_CORRUPT', `${where}: record is not valid JSON`, { cause });
  }
  const ev = e as Partial<ChangeEvent> | { schema?: unknown; id?: unknown } | null;
  if (typeof ev !== 'object' || ev === null || typeof ev.id !== 'number') {
    throw new WirediffError('E_CORRUPT', `${where}: record is not a ${EVENT_SCHEMA} event`);
  }
  if (ev.schema === VOID_SCHEMA) return { id: ev.id, event: null, jsonBytes: 0 };
  if (ev.schema !== EVENT_SCHEMA) {
    throw new WirediffError('E_CORRUPT', `${where}: record is not a ${EVENT_SCHEMA} event`);
  }
  // Events written with /1 ChangeSets are read as /2 (see upgradeChangeSet).
  const event = ev as ChangeEvent;
  return {
    id: ev.id,
    event: {
      ...event,
      kind: upgradeKind(event.kind),
      changes: event.changes === null ? null : upgradeChangeSet(event.changes),
    },
    jsonBytes: json.length,
  };
}
