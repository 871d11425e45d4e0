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
 * newest events; events themselves are read back from the file.
 */
import { ftruncateSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { WirediffError } from '../../core/errors.js';
import { EVENT_SCHEMA } from '../../core/model/event.js';
import { upgradeChangeSet, upgradeKind } from '../../core/model/changeset.js';
import type { ChangeEvent, NewChangeEvent } from '../../core/model/event.js';
import type { ArticleId } from '../../core/model/version.js';
import type { EventLog } from '../types.js';
import { fsyncDir } from './atomic-write.js';
import { rejected, settle } from './promise-helpers.js';
import { checkArticleId, checkInteger, checkNewEvent } from './input-checks.js';
import { checkRecordAt, encodeRecord, RECORD_HEADER_BYTES } from './record-framing.js';
import { scanLog } from './recovery.js';
import type { RecoveryReport } from './recovery.js';
import { dirname } from 'node:path';

const TAIL_CACHE = 256;

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
  readonly readOnly?: boolean | undefined;
}

/** An id waiting to be written: its event (null for a void record), and whether its caller waits for a flush. */
interface Slot {
  readonly e: NewChangeEvent | null;
  readonly durable: boolean;
  readonly resolve: (e: ChangeEvent | undefined) => void;
  readonly reject: (err: unknown) => void;
}

export class FileEventLog implements EventLog {
  private readonly offsets: number[] = [];
  private readonly lengths: number[] = [];
  /** The article of each id; `VOID_ARTICLE` for a void record. */
  private readonly articles: ArticleId[] = [];
  /** The newest ids, oldest first (null for a void): ids `last - tail.length + 1 .. last`. */
  private tail: (ChangeEvent | null)[] = [];
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
  private closing: Promise<void> | undefined;
  /** Set when a failed write could not be undone: further appends are refused. */
  private broken: unknown;

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
    } = { offsets: [], lengths: [], articles: [], tail: [] };
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
        index.articles.push(e?.article ?? VOID_ARTICLE);
        index.tail.push(e);
        if (index.tail.length > TAIL_CACHE) index.tail.shift();
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
    log.offsets.push(...index.offsets);
    log.lengths.push(...index.lengths);
    log.articles.push(...index.articles);
    log.tail = index.tail;
    log.nextId = log.last + 1;
    return log;
  }

  private get last(): number {
    return this.offsets.length;
  }

  private get first(): number {
    if (this.last === 0) return 0;
    const keep = this.options.retainEvents;
    return keep === undefined ? 1 : Math.max(1, this.last - keep + 1);
  }

  private checkOpen(where: string): void {
    if (this.closed) throw new WirediffError('E_CLOSED', `${where}: the event log is closed`);
  }

  /** The id of the newest record in the file (void or not): records rebuilt on open go after it. */
  get lastId(): number {
    return this.last;
  }

  private checkWritable(where: string): void {
    this.checkOpen(where);
    if (this.options.readOnly === true) {
      throw new WirediffError('E_CONFLICT', `${where}: the store was opened read-only`);
    }
    if (this.broken !== undefined) throw this.refusingWrites(where);
  }

  /** The error for any write after a failed one (`broken`). */
  private refusingWrites(where: string): WirediffError {
    return new WirediffError('E_IO', `${where}: ${this.path} failed earlier and is refusing writes`, {
      cause: this.broken,
    });
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

  /** Gives up reserved id `id`: it is written as a void record, which readers skip. */
  abandon(id: number): void {
    this.settleSlot(id, null, false).catch(() => undefined);
  }

  private settleSlot(id: number, e: NewChangeEvent | null, durable: boolean): Promise<ChangeEvent | undefined> {
    if (id <= this.last || id >= this.nextId || this.ready.has(id)) {
      return rejected(new WirediffError('E_USAGE', `EventLog: id ${id} is not a reserved, unsettled id`));
    }
    if (this.broken !== undefined) return rejected(this.refusingWrites('EventLog'));
    return new Promise<ChangeEvent | undefined>((resolve, reject) => {
      this.ready.set(id, { e, durable, resolve, reject });
      this.kick();
    });
  }

  /**
   * Rebuilds records the file lost in a crash (open.ts): `events` have ids after `lastId`, in order; the ids between
   * them that no version names become void records. Written and flushed before anything else can append.
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
      settled.push(this.settleSlot(id, rest, true));
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
    for (const { id, slot } of batch) {
      const p = slot.e;
      const ev: ChangeEvent | null =
        p === null
          ? null
          : {
              schema: EVENT_SCHEMA,
              id,
              at: p.at,
              article: p.article,
              version: p.version,
              title: p.title,
              kind: p.kind,
              summary: p.summary,
              significance: p.significance,
              changes: p.changes,
            };
      let record: Buffer;
      let failure: unknown;
      try {
        record = ev === null ? voidRecord(id) : encodeRecord(Buffer.from(JSON.stringify(ev), 'utf8'));
      } catch (cause) {
        // Keep the ids contiguous in the file: the id becomes void, its caller hears why.
        failure = new WirediffError('E_USAGE', 'EventLog.append: the event cannot be stored as one record', { cause });
        record = voidRecord(id);
      }
      events.push(failure === undefined ? ev : null);
      records.push(record);
      failures.push(failure);
      durable ||= slot.durable;
    }
    const data = Buffer.concat(records);
    if (durable) {
      try {
        // Whatever waits to be copied goes first, then this batch, and one fdatasync covers them all.
        const all = Buffer.concat([...this.takeUnwritten(), data]);
        let done = 0;
        while (done < all.length) {
          const { bytesWritten } = await this.fh.write(all, done, all.length - done);
          done += bytesWritten;
        }
        await this.fh.datasync();
        this.fileSize += all.length;
      } catch (cause) {
        this.fail(cause);
        const fault = new WirediffError('E_IO', `EventLog: writing ${this.path} failed`, { cause });
        for (const { slot } of batch) slot.reject(fault);
        return;
      }
    } else {
      this.unwritten.push(data);
      this.unwrittenRecords += records.length;
      this.unwrittenBytes += data.length;
      if (this.unwrittenRecords >= WRITE_AT_RECORDS || this.unwrittenBytes >= WRITE_AT_BYTES) this.writeOut();
      else this.writeTimer ??= setTimeout(() => this.writeOut(), WRITE_DELAY_MS).unref();
    }
    let offset = this.size;
    for (let i = 0; i < events.length; i++) {
      this.offsets.push(offset + RECORD_HEADER_BYTES);
      this.lengths.push(records[i]!.length - RECORD_HEADER_BYTES);
      const ev = events[i]!;
      this.articles.push(ev?.article ?? VOID_ARTICLE);
      offset += records[i]!.length;
    }
    this.size = offset;
    this.tail.push(...events);
    if (this.tail.length > TAIL_CACHE) this.tail.splice(0, this.tail.length - TAIL_CACHE);
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

  private takeUnwritten(): Buffer[] {
    const out = this.unwritten;
    this.unwritten = [];
    this.unwrittenRecords = 0;
    this.unwrittenBytes = 0;
    if (this.writeTimer !== undefined) clearTimeout(this.writeTimer);
    this.writeTimer = undefined;
    return out;
  }

  /**
   * Copies the unwritten records to the file: a page-cache copy of at most a megabyte, done in place (the thread pool
   * is busy with the versions' fsyncs). A failure stops the log; the versions hold those events for the next open.
   */
  private writeOut(): void {
    const data = Buffer.concat(this.takeUnwritten());
    if (data.length === 0 || this.broken !== undefined) return;
    try {
      let done = 0;
      while (done < data.length) done += writeSync(this.fh.fd, data, done, data.length - done);
      this.fileSize += data.length;
    } catch (cause) {
      this.fail(cause);
    }
  }

  /**
   * After a failed write: cut the file back to its last whole record and refuse further writes. The ids that were
   * being written are gone, and later reserved ids could never be written in order; events whose versions are stored
   * come back from those versions on the next open.
   */
  private fail(cause: unknown): void {
    this.broken = cause;
    try {
      ftruncateSync(this.fh.fd, this.fileSize);
    } catch {
      // The next open's scan truncates a torn tail anyway.
    }
    const fault = new WirediffError('E_IO', `EventLog: writing ${this.path} failed`, { cause });
    for (const slot of this.ready.values()) slot.reject(fault);
    this.ready.clear();
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
      while (this.running) await this.flushing;
      const fault = new WirediffError('E_CLOSED', 'EventLog: closed before this reserved id was published');
      for (const slot of this.ready.values()) slot.reject(fault);
      this.ready.clear();
      this.listeners.clear();
      // Records published without a flush (their versions hold them) reach the file and become durable here, so the
      // next open rebuilds none.
      this.writeOut();
      if (this.options.readOnly !== true && this.broken === undefined) await this.fh.datasync().catch(() => undefined);
      await this.fh.close();
    })();
    return this.closing;
  }
}

/** Decodes one record: an event, or a void id (`event: null`). */
function decodeRecord(payload: Buffer, where: string): { id: number; event: ChangeEvent | null } {
  let e: unknown;
  try {
    e = JSON.parse(payload.toString('utf8'));
  } catch (cause) {
    throw new WirediffError('E_CORRUPT', `${where}: record is not valid JSON`, { cause });
  }
  const ev = e as Partial<ChangeEvent> | { schema?: unknown; id?: unknown } | null;
  if (typeof ev !== 'object' || ev === null || typeof ev.id !== 'number') {
    throw new WirediffError('E_CORRUPT', `${where}: record is not a ${EVENT_SCHEMA} event`);
  }
  if (ev.schema === VOID_SCHEMA) return { id: ev.id, event: null };
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
  };
}
