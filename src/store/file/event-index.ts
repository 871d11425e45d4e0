/**
 * What the file event log (event-log.ts) keeps in memory, and how it reads events back: per id its record's payload
 * offset, length and article (three numbers-or-strings an id), and a small cache of the newest events, bounded by
 * count and by bytes (`TAIL_CACHE`, `TAIL_BYTES`) but always holding every record not yet in the file. Events
 * themselves are read back from the file.
 */
import type { FileHandle } from 'node:fs/promises';
import { WirediffError } from '../../core/errors.js';
import type { ChangeEvent } from '../../core/model/event.js';
import type { ArticleId } from '../../core/model/version.js';
import { decodeRecord } from './event-record.js';
import { checkRecordAt, RECORD_HEADER_BYTES } from './record-framing.js';

const TAIL_CACHE = 256;
/** The tail cache also holds at most this many bytes of records (but always every record not yet in the file). */
const TAIL_BYTES = 4 << 20;

/** What the index holds as the article of a void id (no article id is empty). */
const VOID_ARTICLE = '';

export class EventIndex {
  private readonly offsets: number[] = [];
  private readonly lengths: number[] = [];
  /** The article of each id; `VOID_ARTICLE` for a void record. One string per article (`internId`). */
  private readonly articles: ArticleId[] = [];
  private readonly ids = new Map<string, ArticleId>();
  /** The newest ids, oldest first (null for a void): ids `last - tail.length + 1 .. last`. */
  private readonly tail: (ChangeEvent | null)[] = [];
  /** The JSON size of each event in `tail` (0 for a void), and their sum. */
  private readonly tailSizes: number[] = [];
  private tailBytes = 0;
  /** Bytes of all records, those not yet copied to the file included. */
  size = 0;

  constructor(private readonly path: string) {}

  /** The newest id (void or not), 0 when empty. */
  get last(): number {
    return this.offsets.length;
  }

  /** How many events, and how many bytes of their records, the tail cache holds in memory. */
  get cached(): { readonly events: number; readonly bytes: number } {
    return { events: this.tail.length, bytes: this.tailBytes };
  }

  /** Adds the record read at open with payload at byte `offset` (it must be the next id); keeps the cache bounded. */
  addScanned(payload: Buffer, offset: number): void {
    const want = this.last + 1;
    const record = decodeRecord(payload, `${this.path} at byte ${offset}`);
    if (record.id !== want) {
      throw new WirediffError(
        'E_CORRUPT',
        `${this.path} at byte ${offset}: event id ${record.id} where ${want} was expected`,
      );
    }
    this.add(offset, payload.length, record.event, record.jsonBytes);
    this.trimTail(0);
  }

  /**
   * Adds records written (or queued) after the last, in id order: `events[i]` (null for a void) in a record of
   * `lengths[i]` bytes whose event's JSON takes `sizes[i]` bytes. The caller trims the tail cache.
   */
  addWritten(events: readonly (ChangeEvent | null)[], lengths: readonly number[], sizes: readonly number[]): void {
    let offset = this.size;
    for (let i = 0; i < events.length; i++) {
      this.add(offset + RECORD_HEADER_BYTES, lengths[i]! - RECORD_HEADER_BYTES, events[i]!, sizes[i]!);
      offset += lengths[i]!;
    }
  }

  private add(payloadOffset: number, payloadLength: number, ev: ChangeEvent | null, jsonBytes: number): void {
    this.offsets.push(payloadOffset);
    this.lengths.push(payloadLength);
    this.articles.push(ev === null ? VOID_ARTICLE : internId(this.ids, ev.article));
    this.size = payloadOffset + payloadLength;
    this.tail.push(ev);
    this.tailSizes.push(jsonBytes);
    this.tailBytes += jsonBytes;
  }

  /** Drops the oldest cached events past the bounds, but never one of the newest `unwritten` (not yet in the file). */
  trimTail(unwritten: number): void {
    let drop = 0;
    while (
      this.tail.length - drop > Math.max(1, unwritten) &&
      (this.tail.length - drop > TAIL_CACHE || this.tailBytes > TAIL_BYTES)
    ) {
      this.tailBytes -= this.tailSizes[drop]!;
      drop++;
    }
    if (drop > 0) {
      this.tail.splice(0, drop);
      this.tailSizes.splice(0, drop);
    }
  }

  /**
   * The oldest id from which the records up to the newest add up to at most `bytes` (the newest id when even it is
   * larger). Records lie in id order in the file, so this is a binary search over their offsets.
   */
  firstWithin(bytes: number): number {
    const end = this.size;
    const startOf = (id: number): number => this.offsets[id - 1]! - RECORD_HEADER_BYTES;
    let lo = 1;
    let hi = this.last;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (end - startOf(mid) <= bytes) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** The newest ids from `first` on, oldest first, at most `limit`: of events of `article`, or of any event. */
  latestIds(first: number, limit: number, article: ArticleId | undefined): number[] {
    const ids: number[] = [];
    for (let id = this.last; id >= first && ids.length < limit; id--) {
      const of = this.articles[id - 1];
      if (article === undefined ? of !== VOID_ARTICLE : of === article) ids.push(id);
    }
    return ids.reverse();
  }

  /** Reads the events of ids `from..to` (inclusive, all in the file; void ids skipped) from the tail cache or `fh`. */
  async readRange(fh: FileHandle, from: number, to: number): Promise<ChangeEvent[]> {
    const tailFirst = this.last - this.tail.length + 1;
    if (from >= tailFirst) {
      return this.tail.slice(from - tailFirst, to - tailFirst + 1).filter((e): e is ChangeEvent => e !== null);
    }
    if (to >= tailFirst) {
      // The newest part from the tail: it may not be in the file yet.
      return [...(await this.readRange(fh, from, tailFirst - 1)), ...(await this.readRange(fh, tailFirst, to))];
    }
    const out: ChangeEvent[] = [];
    let id = from;
    while (id <= to) {
      // Read a run of records in one go, up to ~4 MiB.
      const start = this.offsets[id - 1]! - RECORD_HEADER_BYTES;
      let end = this.offsets[id - 1]! + this.lengths[id - 1]!;
      let stop = id;
      while (stop < to && end - start < 4 << 20) {
        stop++;
        end = this.offsets[stop - 1]! + this.lengths[stop - 1]!;
      }
      const buf = Buffer.allocUnsafe(end - start);
      let got = 0;
      while (got < buf.length) {
        const { bytesRead } = await fh.read(buf, got, buf.length - got, start + got);
        if (bytesRead === 0) throw new WirediffError('E_CORRUPT', `${this.path}: ended early at byte ${start + got}`);
        got += bytesRead;
      }
      for (let k = id; k <= stop; k++) {
        const rel = this.offsets[k - 1]! - RECORD_HEADER_BYTES - start;
        const check = checkRecordAt(buf, rel);
        if (check.kind !== 'ok') {
          throw new WirediffError('E_CORRUPT', `${this.path}: event ${k} at byte ${start + rel} no longer reads back`);
        }
        const e = decodeRecord(buf.subarray(check.payloadStart, check.end), `${this.path} event ${k}`).event;
        if (e) out.push(e);
      }
      id = stop + 1;
    }
    return out;
  }
}

/**
 * The one string the log keeps for article id `id`, of its own. V8 makes a string `JSON.parse` reads out of a record
 * (13 characters or more) as a view into the record's whole JSON, so keeping the id from each record in the index
 * would keep every record's JSON in memory; and one string per article is less than one per event.
 */
function internId(ids: Map<string, ArticleId>, id: ArticleId): ArticleId {
  let own = ids.get(id);
  if (own === undefined) {
    own = structuredClone(id);
    ids.set(own, own);
  }
  return own;
}
