/**
 * The file implementation of `EventLog`: one append-only file of framed records (record-framing.ts), one record per
 * id, ids 1, 2, 3… in file order. A record is a `ChangeEvent`, or a void record for an id that was handed out but
 * never used (its version was not stored); readers skip void ids, so served ids increase but may skip. Record payloads
 * are event-record.ts; what memory holds and how events are read back, event-index.ts; which events are served,
 * event-retention.ts; getting records into the file and riding out write faults, event-file-writer.ts. This module
 * hands out ids and puts records in order.
 *
 * Two ways in:
 * - `append` (imports, repairs): the record is durable when it resolves. Appends that arrive while a write is in
 *   flight are group-committed: written together with one `fdatasync`.
 * - `reserve` + `publish`/`abandon` (snapshot-store.ts, for a version and its event committed together): the store
 *   reserves the id, writes it into the version's own durable file, then publishes. The record is then only written,
 *   not flushed: if the kernel loses it in a crash, open.ts rebuilds it from the version file. Records reach the file
 *   (and listeners) strictly in id order; a later id waits for every earlier one to be published or abandoned.
 *
 * An event's record is compressed off the main thread before it is queued. A durable `append` whose write fails is
 * rejected with the cause, and its id becomes void. Events published with their versions are never lost: the version
 * files hold them.
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { WirediffError } from '../../core/errors.js';
import type { ChangeEvent, NewChangeEvent } from '../../core/model/event.js';
import type { ArticleId } from '../../core/model/version.js';
import type { EventLog } from '../types.js';
import { fsyncDir } from '../../lib/dir-sync.js';
import { describeIoCause, rejected, settle } from './promise-helpers.js';
import { checkArticleId, checkInteger, checkNewEvent } from './input-checks.js';
import { scanLog } from './recovery.js';
import type { RecoveryReport } from './recovery.js';
import { encodeEvent, encodePayload, voidRecord } from './event-record.js';
import { toRecords } from './event-batch.js';
import type { Slot } from './event-batch.js';
import { EventIndex } from './event-index.js';
import { firstRetained } from './event-retention.js';
import type { Retention } from './event-retention.js';
import { EventFileWriter } from './event-file-writer.js';
import type { StoreLogger } from './event-file-writer.js';
import { EventListeners } from './event-listeners.js';

export type { StoreLogger } from './event-file-writer.js';

export interface FileEventLogOptions extends Retention {
  readonly readOnly?: boolean | undefined;
  readonly logger?: StoreLogger | undefined;
}

export class FileEventLog implements EventLog {
  /** Ids being settled (their record is being compressed), each with a promise of its slot placed in `ready`. */
  private readonly settling = new Map<number, Promise<void>>();
  /** Reserved ids published or abandoned but not yet written (a later id waits for every earlier one). */
  private readonly ready = new Map<number, Slot>();
  /** The next id `reserve` hands out. */
  private nextId: number;
  private flushing: Promise<void> | undefined;
  private readonly listeners = new EventListeners();
  private readonly writer: EventFileWriter;
  private running = false;
  private closed = false;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly path: string,
    private readonly fh: FileHandle,
    private readonly index: EventIndex,
    private readonly options: FileEventLogOptions,
  ) {
    this.nextId = index.last + 1;
    this.writer = new EventFileWriter(path, fh, index.size, options.logger, () =>
      this.index.trimTail(this.writer.unwrittenRecords),
    );
  }

  /** Opens (creating when absent, unless read-only) and recovers the log at `path`. */
  static async open(path: string, options: FileEventLogOptions, report: RecoveryReport): Promise<FileEventLog> {
    const index = new EventIndex(path);
    const size = await scanLog(
      path,
      (payload, offset) => index.addScanned(payload, offset),
      report,
      options.readOnly === true,
    );
    index.size = size;
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
    return new FileEventLog(path, fh, index, options);
  }

  private get last(): number {
    return this.index.last;
  }

  private get first(): number {
    return firstRetained(this.index, this.options);
  }

  private checkOpen(where: string): void {
    if (this.closed) throw new WirediffError('E_CLOSED', `${where}: the event log is closed`);
  }

  /** How many events, and how many bytes of their records, the tail cache holds in memory. */
  get cached(): { readonly events: number; readonly bytes: number } {
    return this.index.cached;
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
    this.writer.checkRoom(where);
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
    return (async () => {
      let ev: ChangeEvent | null = null;
      let payload: Buffer | undefined;
      let jsonBytes = 0;
      let failure: unknown;
      if (e !== null) {
        try {
          const encoded = encodeEvent(id, e);
          ev = encoded.event;
          jsonBytes = encoded.json.length;
          payload = await encodePayload(encoded.json);
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
  private async writeBatch(slots: readonly { id: number; slot: Slot }[]): Promise<void> {
    const batch = toRecords(slots);
    if (batch.durable) {
      const cause = await this.writer.writeDurable(Buffer.concat(batch.records));
      if (cause !== undefined) {
        // Nothing of this batch is acknowledged: its callers hear the cause, its ids become void (the ids stay
        // contiguous), and what waited before it waits again.
        const fault = new WirediffError('E_IO', `EventLog: cannot write ${this.path}: ${describeIoCause(cause)}`, {
          cause,
        });
        for (let i = 0; i < slots.length; i++) {
          if (batch.failures[i] === undefined) batch.failures[i] = fault;
          batch.events[i] = null;
          batch.sizes[i] = 0;
          batch.records[i] = voidRecord(slots[i]!.id);
        }
        this.writer.queue(Buffer.concat(batch.records), batch.records.length);
      }
    } else {
      this.writer.queue(Buffer.concat(batch.records), batch.records.length);
    }
    this.index.addWritten(
      batch.events,
      batch.records.map((r) => r.length),
      batch.sizes,
    );
    this.index.trimTail(this.writer.unwrittenRecords);
    for (let i = 0; i < batch.events.length; i++) {
      const ev = batch.events[i]!;
      const { slot } = slots[i]!;
      if (batch.failures[i] !== undefined) {
        slot.reject(batch.failures[i]);
        continue;
      }
      if (ev !== null) this.listeners.notify(ev);
      slot.resolve(ev ?? undefined);
    }
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
      out.push(...(await this.index.readRange(this.fh, from, to)));
      from = to + 1;
    }
    return out;
  }

  async readLatest(limit: number, article?: ArticleId): Promise<ChangeEvent[]> {
    this.checkOpen('EventLog.readLatest');
    checkInteger('limit', limit, 0, 'EventLog.readLatest');
    if (article !== undefined) checkArticleId(article, 'EventLog.readLatest');
    if (this.last === 0 || limit === 0) return [];
    const ids = this.index.latestIds(this.first, limit, article);
    if (article === undefined) return ids.length === 0 ? [] : this.index.readRange(this.fh, ids[0]!, this.last);
    const out: ChangeEvent[] = [];
    for (const id of ids) out.push(...(await this.index.readRange(this.fh, id, id)));
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
    return this.listeners.add(listener, 'EventLog.subscribe');
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
      await this.writer.close(this.options.readOnly === true);
    })();
    return this.closing;
  }
}
