/**
 * The file implementation of `EventLog`: one append-only file of framed records (record-framing.ts), one JSON record
 * per id, ids 1, 2, 3… in file order. A record is a `ChangeEvent`, or a void record for an id that was handed out but
 * never used (its version was not stored); readers skip void ids, so served ids increase but may skip.
 *
 * Two ways in:
 * - `append` (imports, repairs): the record is durable when it resolves. Appends that arrive while a write is in
 *   flight are group-committed: written together with one `fdatasync`.
 * - `reserve` + `publish`/`abandon` (snapshot-store.ts, for a version and its event committed together): the store
 *   reserves the id, writes it into the version's own durable file, then publishes. The record is then only written,
 *   not flushed: if the kernel loses it in a crash, open.ts rebuilds it from the version file. Records reach the file
 *   (and listeners) strictly in id order; a later id waits for every earlier one to be published or abandoned.
 *
 * Memory holds an index of three numbers-or-strings per id (payload offset, length, article) and a small cache of the
 * newest events, bounded by count and by bytes (`TAIL_CACHE`, `TAIL_BYTES`); events themselves are read back from the
 * file.
 *
 * A record's payload is the event's JSON, or, for events of 1 KiB or more where it saves a tenth, a zero byte and the
 * JSON compressed with brotli (compressed off the main thread before the record is queued).
 *
 * A failed write (a full disk, a read-only remount) does not stop the log. The file is cut back to its last whole
 * record, the records not written stay in memory (served from the tail cache, which keeps every record not yet in the
 * file), the fault is logged once with its cause, and writing is tried again on the next write and on a timer, so the
 * log catches up by itself once the disk has room again. A durable `append` that fails is rejected with the cause,
 * and its id becomes void. Events published with their versions are never lost: the version files hold them.
 */
import { ftruncateSync, writeSync } from 'node:fs';
import { promisify } from 'node:util';
import { brotliCompress, brotliDecompressSync, constants as zlib } from 'node:zlib';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { WirediffError } from '../../core/errors.js';
import { EVENT_SCHEMA } from '../../core/model/event.js';
import { upgradeChangeSet, upgradeKind } from '../../core/model/changeset.js';
import type { ChangeEvent, NewChangeEvent } from '../../core/model/event.js';
import type { ArticleId } from '../../core/model/version.js';
import type { EventLog } from '../types.js';
import { fsyncDir } from '../../lib/dir-sync.js';
import { describeIoCause, rejected, settle } from './promise-helpers.js';
import { checkArticleId, checkInteger, checkNewEvent } from './input-checks.js';
import { checkRecordAt, encodeRecord, RECORD_HEADER_BYTES } from './record-framing.js';
import { changesJson, jsonWithLast } from '../../lib/encoded-json.js';
import { scanLog } from './recovery.js';
import type { RecoveryReport } from './recovery.js';
import { dirname } from 'node:path';

const TAIL_CACHE = 256;
/** The tail cache also holds at most this many bytes of records (but always every record not yet in the file). */
const TAIL_BYTES = 4 << 20;
/**
 * While writes fail, the records waiting in memory may grow to this many bytes; past it, new ids are refused with the
 * cause (the versions that would need them are refused too), so a log that cannot write does not eat the memory.
 */
const STALLED_MAX_BYTES = 64 << 20;
/** After a failed write, the next try comes after this delay, doubling up to `RETRY_MAX_MS` while it keeps failing. */
const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 30_000;

/** Where the store reports faults it handles itself (a write that failed and is retried, a write that recovered). */
export interface StoreLogger {
  error(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

/**
 * Records published without a flush are copied to the file in batches: after this delay, or sooner once this many
 * records or bytes wait (fewer records than the tail cache holds, so an unwritten record is always served from it).
 * Each write to the file makes the next journal commit heavier (the file's size changes), and the versions' own
 * commits are what ingest waits for.
 */
const WRITE_DELAY_MS = 100;
const WRITE_AT_RECORDS = 64;
const WRITE_AT_BYTES = 1 << 20;

/** The payload of a void record: an id handed out whose version was never stored. */
export const VOID_SCHEMA = 'wirediff.void/1' as const;

/** What the index holds as the article of a void id (no article id is empty). */
const VOID_ARTICLE = '';

/** The record of void id `id`. */
function voidRecord(id: number): Buffer {
  return encodeRecord(Buffer.from(JSON.stringify({ schema: VOID_SCHEMA, id }), 'utf8'));
}

export interface FileEventLogOptions {
  /** When set, only the newest `retainEvents` events are served (`bounds().first` moves up); the file keeps all. */
  readonly retainEvents?: number | undefined;
  /**
   * When set, only the newest events whose records add up to at most `retainBytes` are served (always the newest one);
   * with `retainEvents` too, the tighter bound wins. The file keeps all.
   */
  readonly retainBytes?: number | undefined;
  readonly readOnly?: boolean | undefined;
  readonly logger?: StoreLogger | undefined;
}

/** An id waiting to be written: its event (null for a void record), and whether its caller waits for a flush. */
interface Slot {
  /** The event as stored (null for a void record, or one that cannot be stored: see `failure`). */
  readonly ev: ChangeEvent | null;
  /** Its record payload (`encodePayload`); undefined for a void record. */
  readonly payload: Buffer | undefined;
  /** The size of the event's JSON (what it takes in memory, roughly), 0 for a void record. */
  readonly jsonBytes: number;
  /** Why the event could not be stored (it is written as a void record, and its caller hears this). */
  readonly failure: unknown;
  readonly durable: boolean;
  readonly resolve: (e: ChangeEvent | undefined) => void;
  readonly reject: (err: unknown) => void;
}

export class FileEventLog implements EventLog {
  private offsets: number[] = [];
  private lengths: number[] = [];
  /** The article of each id; `VOID_ARTICLE` for a void record. One string per article (`internId`). */
  private articles: ArticleId[] = [];
  private ids = new Map<string, ArticleId>();
  /** The newest ids, oldest first (null for a void): ids `last - tail.length + 1 .. last`. */
  private tail: (ChangeEvent | null)[] = [];
  /** The JSON size of each event in `tail` (0 for a void), and their sum. */
  private tailSizes: number[] = [];
  private tailBytes = 0;
  /** Ids being settled (their record is being compressed), each with a promise of its slot placed in `ready`. */
  private readonly settling = new Map<number, Promise<void>>();
  /** Reserved ids published or abandoned but not yet written (a later id waits for every earlier one). */
  private readonly ready = new Map<number, Slot>();
  /** The next id `reserve` hands out. */
  private nextId = 1;
  /** Records published but not yet copied to the file (they are counted in `size` and served from `tail`). */
  private unwritten: Buffer[] = [];
  private unwrittenRecords = 0;
  private unwrittenBytes = 0;
  private writeTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private readonly listeners = new Set<(e: ChangeEvent) => void>();
  private running = false;
  private closed = false;
  /** The file handle is closed: nothing more is written. */
  private closedFile = false;
  private closing: Promise<void> | undefined;
  /** Set while writes fail (the last failure): records wait in `unwritten` and a retry is scheduled. */
  private stalled: unknown;
  /** The file may end in part of a record from a failed write: cut it back to `fileSize` before writing again. */
  private needsTruncate = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelay = RETRY_FIRST_MS;

  private constructor(
    private readonly path: string,
    private readonly fh: FileHandle,
    private size: number,
    private readonly options: FileEventLogOptions,
  ) {
    this.fileSize = size;
  }

  /** Bytes in the file itself: `size` less the records not yet copied to it. */
  private fileSize: number;

  /** Opens (creating when absent, unless read-only) and recovers the log at `path`. */
  static async open(path: string, options: FileEventLogOptions, report: RecoveryReport): Promise<FileEventLog> {
    const index: {
      offsets: number[];
      lengths: number[];
      articles: ArticleId[];
      tail: (ChangeEvent | null)[];
      sizes: number[];
      bytes: number;
    } = { offsets: [], lengths: [], articles: [], tail: [], sizes: [], bytes: 0 };
    const ids = new Map<string, ArticleId>();
    const size = await scanLog(
      path,
      (payload, offset) => {
        const want = index.offsets.length + 1;
        const record = decodeRecord(payload, `${path} at byte ${offset}`);
        if (record.id !== want) {
          throw new WirediffError(
            'E_CORRUPT',
            `${path} at byte ${offset}: event id ${record.id} where ${want} was expected`,
          );
        }
        index.offsets.push(offset);
        index.lengths.push(payload.length);
        const e = record.event;
        index.articles.push(e === null ? VOID_ARTICLE : internId(ids, e.article));
        index.tail.push(e);
        index.sizes.push(record.jsonBytes);
        index.bytes += record.jsonBytes;
        while (index.tail.length > TAIL_CACHE || (index.bytes > TAIL_BYTES && index.tail.length > 1)) {
          index.tail.shift();
          index.bytes -= index.sizes.shift()!;
        }
      },
      report,
      options.readOnly === true,
    );
    let fh: FileHandle;
    if (options.readOnly === true) {
      try {
        fh = await open(path, 'r');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        fh = await open('/dev/null', 'r');
      }
    } else {
      fh = await open(path, 'a+', 0o644);
      if (size === 0) await fsyncDir(dirname(path));
    }
    const log = new FileEventLog(path, fh, size, options);
    // Assigned, not pushed as arguments: a log of a few hundred thousand events would overflow the call stack.
    log.offsets = index.offsets;
    log.lengths = index.lengths;
    log.articles = index.articles;
    log.ids = ids;
    // The tail cache: the newest records within its bounds.
    log.tail = index.tail;
    log.tailSizes = index.sizes;
    log.tailBytes = index.bytes;
    log.nextId = log.last + 1;
    return log;
  }

  private get last(): number {
    return this.offsets.length;
  }

  private get first(): number {
    if (this.last === 0) return 0;
    const keep = this.options.retainEvents;
    const byCount = keep === undefined ? 1 : Math.max(1, this.last - keep + 1);
    const bytes = this.options.retainBytes;
    return bytes === undefined ? byCount : Math.max(byCount, this.firstWithin(bytes));
  }

  /**
   * The oldest id from which the records up to the newest add up to at most `bytes` (the newest id when even it is
   * larger). Records lie in id order in the file, so this is a binary search over their offsets.
   */
  private firstWithin(bytes: number): number {
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

  private checkOpen(where: string): void {
    if (this.closed) throw new WirediffError('E_CLOSED', `${where}: the event log is closed`);
  }

  /** How many events, and how many bytes of their records, the tail cache holds in memory. */
  get cached(): { readonly events: number; readonly bytes: number } {
    return { events: this.tail.length, bytes: this.tailBytes };
  }

  /** The id of the newest record in the file (void or not): records rebuilt on open go after it. */
  get lastId(): number {
    return this.last;
  }

  private checkWritable(where: string): void {
    this.checkOpen(where);
    if (this.options.readOnly === true) {
      throw new WirediffError('E_READ_ONLY', `${where}: the store was opened read-only`);
    }
    if (this.stalled !== undefined && this.unwrittenBytes >= STALLED_MAX_BYTES) {
      throw new WirediffError(
        'E_IO',
        `${where}: cannot write ${this.path}: ${describeIoCause(this.stalled)}; ${this.unwrittenRecords} events wait in memory and no more are taken until the log can be written again (free space or make the store writable: it resumes by itself)`,
        { cause: this.stalled },
      );
    }
  }

  append(e: NewChangeEvent): Promise<ChangeEvent> {
    try {
      this.checkWritable('EventLog.append');
      checkNewEvent(e, 'EventLog.append');
    } catch (err) {
      return rejected(err);
    }
    return this.settleSlot(this.nextId++, e, true) as Promise<ChangeEvent>;
  }

  /**
   * Hands out the next id for an event to be published later with `publish` (or given up with `abandon`). Every
   * reserved id must be settled one way or the other: later ids are written only after it.
   */
  reserve(where: string): number {
    this.checkWritable(where);
    return this.nextId++;
  }

  /**
   * Writes the event of reserved id `id` (without a flush: its version's file holds it durably) and tells the
   * listeners; resolves with the event as stored once it is in the file.
   */
  publish(id: number, e: NewChangeEvent): Promise<ChangeEvent> {
    try {
      checkNewEvent(e, 'EventLog.publish');
    } catch (err) {
      this.abandon(id);
      return rejected(err);
    }
    return this.settleSlot(id, e, false) as Promise<ChangeEvent>;
  }

  /**
   * Resolves once the record of reserved id `id` is encoded and queued (then readers and listeners see it as soon as
   * every earlier id is settled, at once when they are); immediately for an id not being settled.
   */
  queued(id: number): Promise<void> {
    return this.settling.get(id) ?? Promise.resolve();
  }

  /** Gives up reserved id `id`: it is written as a void record, which readers skip. */
  abandon(id: number): void {
    this.settleSlot(id, null, false).catch(() => undefined);
  }

  private settleSlot(id: number, e: NewChangeEvent | null, durable: boolean): Promise<ChangeEvent | undefined> {
    if (id <= this.last || id >= this.nextId || this.ready.has(id) || this.settling.has(id)) {
      return rejected(new WirediffError('E_USAGE', `EventLog: id ${id} is not a reserved, unsettled id`));
    }
    let placed!: () => void;
    // Registered before the work starts: a void record is placed at once, within the call below.
    this.settling.set(id, new Promise<void>((r) => (placed = r)));
    const settled = (async () => {
      let ev: ChangeEvent | null = null;
      let payload: Buffer | undefined;
      let jsonBytes = 0;
      let failure: unknown;
      if (e !== null) {
        try {
          ev = {
            schema: EVENT_SCHEMA,
            id,
            at: e.at,
            article: e.article,
            version: e.version,
            title: e.title,
            kind: e.kind,
            summary: e.summary,
            significance: e.significance,
            changes: e.changes,
          };
          // The ChangeSet (the bulk of a big event) as the ingest worker encoded it, when it did (encoded.ts): the
          // same bytes as JSON.stringify(ev), without serialising it again on the event loop.
          const { changes, ...head } = ev;
          const json =
            changes === null
              ? Buffer.from(JSON.stringify(ev), 'utf8')
              : jsonWithLast(head, 'changes', changesJson(changes));
          jsonBytes = json.length;
          payload = await encodePayload(json);
        } catch (cause) {
          // Keep the ids contiguous in the file: the id becomes void, its caller hears why.
          failure = new WirediffError('E_USAGE', 'EventLog.append: the event cannot be stored as one record', {
            cause,
          });
          ev = null;
          payload = undefined;
          jsonBytes = 0;
        }
      }
      return new Promise<ChangeEvent | undefined>((resolve, reject) => {
        this.settling.delete(id);
        this.ready.set(id, { ev, payload, jsonBytes, failure, durable, resolve, reject });
        placed();
        this.kick();
      });
    })();
    return settled;
  }

  /**
   * Rebuilds records the file lost in a crash (open.ts): `events` have ids after `lastId`, in order; the ids between
   * them that no version names become void records. Queued before anything else can append, and written like
   * published events (without a flush of their own: the versions hold them), so that a store whose disk is still full
   * opens and serves them from memory until they can be written.
   */
  async restore(events: readonly ChangeEvent[]): Promise<{ rebuilt: number; voided: number }> {
    this.checkWritable('EventLog.restore');
    if (this.nextId !== this.last + 1 || this.running) {
      throw new WirediffError('E_USAGE', 'EventLog.restore: only before the first write');
    }
    let voided = 0;
    const settled: Promise<ChangeEvent | undefined>[] = [];
    for (const ev of events) {
      if (ev.id < this.nextId) {
        throw new WirediffError('E_USAGE', `EventLog.restore: event ${ev.id} is not after ${this.nextId - 1}`);
      }
      while (this.nextId < ev.id) {
        const id = this.nextId++;
        settled.push(this.settleSlot(id, null, false));
        voided++;
      }
      const id = this.nextId++;
      const { schema: _schema, id: _id, ...rest } = ev;
      settled.push(this.settleSlot(id, rest, false));
    }
    await Promise.all(settled);
    return { rebuilt: events.length, voided };
  }

  private kick(): void {
    if (this.running || !this.ready.has(this.last + 1)) return;
    this.running = true;
    this.flushing = this.flushLoop();
  }

  /**
   * Writes settled ids in order, in batches, while the next id is settled. `running` is cleared in the same
   * synchronous step that sees the next id unsettled (no await between), so a settle arriving afterwards always
   * starts a new run.
   */
  private async flushLoop(): Promise<void> {
    for (;;) {
      const batch: { id: number; slot: Slot }[] = [];
      for (let id = this.last + 1; this.ready.has(id); id++) {
        batch.push({ id, slot: this.ready.get(id)! });
        this.ready.delete(id);
      }
      if (batch.length === 0) break;
      await this.writeBatch(batch);
    }
    this.running = false;
  }

  /** Writes one batch in one write (and one fdatasync if a caller waits for it); settles every slot; never throws. */
  private async writeBatch(batch: readonly { id: number; slot: Slot }[]): Promise<void> {
    const events: (ChangeEvent | null)[] = [];
    const records: Buffer[] = [];
    const failures: unknown[] = [];
    let durable = false;
    const sizes: number[] = [];
    for (const { id, slot } of batch) {
      const ev = slot.ev;
      let record: Buffer;
      let failure: unknown = slot.failure;
      try {
        record = slot.payload === undefined ? voidRecord(id) : encodeRecord(slot.payload);
      } catch (cause) {
        // Keep the ids contiguous in the file: the id becomes void, its caller hears why.
        failure = new WirediffError('E_USAGE', 'EventLog.append: the event cannot be stored as one record', { cause });
        record = voidRecord(id);
      }
      events.push(failure === undefined ? ev : null);
      sizes.push(failure === undefined ? slot.jsonBytes : 0);
      records.push(record);
      failures.push(failure);
      durable ||= slot.durable;
    }
    let data = Buffer.concat(records);
    if (durable) {
      // Whatever waits to be copied goes first, then this batch, and one fdatasync covers them all.
      const waiting = this.takeUnwritten();
      try {
        this.cutBack();
        const all = Buffer.concat([...waiting.data, data]);
        let done = 0;
        while (done < all.length) {
          const { bytesWritten } = await this.fh.write(all, done, all.length - done);
          done += bytesWritten;
        }
        await this.fh.datasync();
        this.fileSize += all.length;
        this.recovered();
      } catch (cause) {
        // Nothing of this batch is acknowledged: its callers hear the cause, its ids become void (the ids stay
        // contiguous), and what waited before it waits again.
        this.unwritten = waiting.data;
        this.unwrittenRecords = waiting.records;
        this.unwrittenBytes = waiting.bytes;
        this.stall(cause);
        const fault = new WirediffError('E_IO', `EventLog: cannot write ${this.path}: ${describeIoCause(cause)}`, {
          cause,
        });
        for (let i = 0; i < batch.length; i++) {
          if (failures[i] === undefined) failures[i] = fault;
          events[i] = null;
          sizes[i] = 0;
          records[i] = voidRecord(batch[i]!.id);
        }
        data = Buffer.concat(records);
        this.queue(data, records.length);
      }
    } else {
      this.queue(data, records.length);
    }
    let offset = this.size;
    for (let i = 0; i < events.length; i++) {
      this.offsets.push(offset + RECORD_HEADER_BYTES);
      this.lengths.push(records[i]!.length - RECORD_HEADER_BYTES);
      const ev = events[i]!;
      this.articles.push(ev === null ? VOID_ARTICLE : internId(this.ids, ev.article));
      offset += records[i]!.length;
    }
    this.size = offset;
    this.tail.push(...events);
    this.tailSizes.push(...sizes);
    for (const n of sizes) this.tailBytes += n;
    this.trimTail();
    for (let i = 0; i < events.length; i++) {
      const ev = events[i]!;
      const { slot } = batch[i]!;
      if (failures[i] !== undefined) {
        slot.reject(failures[i]);
        continue;
      }
      if (ev !== null) {
        for (const listener of [...this.listeners]) {
          try {
            listener(ev);
          } catch {
            // A listener's fault is its own; it must not undo an acknowledged append or starve other listeners.
          }
        }
      }
      slot.resolve(ev ?? undefined);
    }
  }

  /** Drops the oldest cached events past the bounds, but never one not yet in the file. */
  private trimTail(): void {
    let drop = 0;
    while (
      this.tail.length - drop > Math.max(1, this.unwrittenRecords) &&
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

  /** Queues records to be copied to the file (soon, or now once enough wait). */
  private queue(data: Buffer, records: number): void {
    this.unwritten.push(data);
    this.unwrittenRecords += records;
    this.unwrittenBytes += data.length;
    if (this.stalled !== undefined) {
      // A new write tries the file again at once: the disk may have room by now.
      this.writeOut();
    } else if (this.unwrittenRecords >= WRITE_AT_RECORDS || this.unwrittenBytes >= WRITE_AT_BYTES) {
      this.writeOut();
    } else {
      this.writeTimer ??= setTimeout(() => this.writeOut(), WRITE_DELAY_MS).unref();
    }
  }

  private takeUnwritten(): { data: Buffer[]; records: number; bytes: number } {
    const out = { data: this.unwritten, records: this.unwrittenRecords, bytes: this.unwrittenBytes };
    this.unwritten = [];
    this.unwrittenRecords = 0;
    this.unwrittenBytes = 0;
    if (this.writeTimer !== undefined) clearTimeout(this.writeTimer);
    this.writeTimer = undefined;
    return out;
  }

  /** Cuts off part of a record left at the end of the file by a failed write (throws when it cannot). */
  private cutBack(): void {
    if (!this.needsTruncate) return;
    ftruncateSync(this.fh.fd, this.fileSize);
    this.needsTruncate = false;
  }

  /**
   * Copies the unwritten records to the file: a page-cache copy of at most a megabyte, done in place (the thread pool
   * is busy with the versions' fsyncs). A failure stops the log; the versions hold those events for the next open.
   */
  private writeOut(): void {
    const waiting = this.takeUnwritten();
    if (waiting.records === 0 || this.closedFile) return;
    const data = Buffer.concat(waiting.data);
    try {
      this.cutBack();
      let done = 0;
      while (done < data.length) done += writeSync(this.fh.fd, data, done, data.length - done);
      this.fileSize += data.length;
      this.recovered();
    } catch (cause) {
      // Kept in memory (and served from the tail cache) until a later try writes them.
      this.unwritten = [data, ...this.unwritten];
      this.unwrittenRecords += waiting.records;
      this.unwrittenBytes += waiting.bytes;
      this.stall(cause);
    }
  }

  /**
   * After a failed write: the file is to be cut back to its last whole record before the next write, the fault is
   * logged (once per run of failures, with its cause), and a retry is scheduled.
   */
  private stall(cause: unknown): void {
    this.needsTruncate = true;
    try {
      this.cutBack();
    } catch {
      // Tried again before the next write.
    }
    if (this.stalled === undefined) {
      this.options.logger?.error(
        { err: cause },
        `event log: cannot write ${this.path}: ${describeIoCause(cause)}; the events wait in memory (their versions hold them) and writing is retried until it succeeds`,
      );
    }
    this.stalled = cause;
    if (this.retryTimer === undefined && !this.closedFile) {
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        this.writeOut();
      }, this.retryDelay).unref();
      this.retryDelay = Math.min(RETRY_MAX_MS, this.retryDelay * 2);
    }
  }

  /** After a write that succeeded: ends a run of failures (logged once). */
  private recovered(): void {
    if (this.stalled === undefined) return;
    this.stalled = undefined;
    this.retryDelay = RETRY_FIRST_MS;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.options.logger?.info({}, `event log: writing ${this.path} works again; the events that waited are written`);
    this.trimTail();
  }

  async readAfter(afterId: number, limit?: number): Promise<ChangeEvent[]> {
    this.checkOpen('EventLog.readAfter');
    checkInteger('afterId', afterId, 0, 'EventLog.readAfter');
    if (limit !== undefined) checkInteger('limit', limit, 0, 'EventLog.readAfter');
    const out: ChangeEvent[] = [];
    let from = Math.max(afterId + 1, this.first);
    // Void ids take no room in the answer: read on until `limit` events are found or the log ends.
    while (from <= this.last && (limit === undefined || out.length < limit)) {
      const to = limit === undefined ? this.last : Math.min(this.last, from + (limit - out.length) - 1);
      out.push(...(await this.readRange(from, to)));
      from = to + 1;
    }
    return out;
  }

  async readLatest(limit: number, article?: ArticleId): Promise<ChangeEvent[]> {
    this.checkOpen('EventLog.readLatest');
    checkInteger('limit', limit, 0, 'EventLog.readLatest');
    if (article !== undefined) checkArticleId(article, 'EventLog.readLatest');
    if (this.last === 0 || limit === 0) return [];
    const first = this.first;
    const ids: number[] = [];
    for (let id = this.last; id >= first && ids.length < limit; id--) {
      const of = this.articles[id - 1];
      if (article === undefined ? of !== VOID_ARTICLE : of === article) ids.push(id);
    }
    ids.reverse();
    if (article === undefined) return ids.length === 0 ? [] : this.readRange(ids[0]!, this.last);
    const out: ChangeEvent[] = [];
    for (const id of ids) out.push(...(await this.readRange(id, id)));
    return out;
  }

  bounds(): Promise<{ readonly first: number; readonly last: number }> {
    return settle(() => {
      this.checkOpen('EventLog.bounds');
      return { first: this.first, last: this.last };
    });
  }

  subscribe(listener: (e: ChangeEvent) => void): () => void {
    this.checkOpen('EventLog.subscribe');
    if (typeof listener !== 'function') {
      throw new WirediffError(
        'E_USAGE',
        `EventLog.subscribe: listener must be a function, received ${typeof listener}`,
      );
    }
    // Wrap so that subscribing the same function twice gives two independent subscriptions.
    const wrapped = (e: ChangeEvent): void => listener(e);
    this.listeners.add(wrapped);
    return () => {
      this.listeners.delete(wrapped);
    };
  }

  /** Reads the events of ids `from..to` (inclusive, all in the file; void ids skipped) from the tail cache or the file. */
  private async readRange(from: number, to: number): Promise<ChangeEvent[]> {
    const tailFirst = this.last - this.tail.length + 1;
    if (from >= tailFirst) {
      return this.tail.slice(from - tailFirst, to - tailFirst + 1).filter((e): e is ChangeEvent => e !== null);
    }
    if (to >= tailFirst) {
      // The newest part from the tail: it may not be in the file yet.
      return [...(await this.readRange(from, tailFirst - 1)), ...(await this.readRange(tailFirst, to))];
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
        const { bytesRead } = await this.fh.read(buf, got, buf.length - got, start + got);
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

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closed = true;
      // No id is handed out after `closed`; ids reserved before (commits in flight) are written as they settle.
      while (this.settling.size > 0) await Promise.all([...this.settling.values()]);
      while (this.running) await this.flushing;
      const fault = new WirediffError('E_CLOSED', 'EventLog: closed before this reserved id was published');
      for (const slot of this.ready.values()) slot.reject(fault);
      this.ready.clear();
      this.listeners.clear();
      // Records published without a flush (their versions hold them) reach the file and become durable here, so the
      // next open rebuilds none.
      this.writeOut();
      if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      if (this.stalled !== undefined) {
        this.options.logger?.error(
          { err: this.stalled },
          `event log: closing with ${this.unwrittenRecords} events not written to ${this.path} (${describeIoCause(this.stalled)}); the next open rebuilds them from their versions`,
        );
      } else if (this.options.readOnly !== true) {
        await this.fh.datasync().catch(() => undefined);
      }
      this.closedFile = true;
      await this.fh.close();
    })();
    return this.closing;
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

/** A record payload that starts with this byte is brotli-compressed JSON (JSON never starts with it). */
const COMPRESSED = 0x00;
/** Records of at least this many bytes of JSON are compressed when that saves a tenth or more. */
const COMPRESS_FROM = 1024;
const compress = promisify(brotliCompress);

/** The payload of an event's record: its JSON, or (when it pays) `COMPRESSED` and the JSON compressed (async). */
async function encodePayload(json: Buffer): Promise<Buffer> {
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
function decodeRecord(payload: Buffer, where: string): { id: number; event: ChangeEvent | null; jsonBytes: number } {
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
