/**
 * The file implementation of `EventLog`: one append-only file of framed records (record-framing.ts), one JSON
 * `ChangeEvent` per record, ids 1, 2, 3… in file order.
 *
 * Appends are group-committed: appends that arrive while a write is in flight are written together with one
 * `fdatasync`, and each resolves only once its record is durable. Memory holds an index of three numbers-or-strings
 * per event (payload offset, length, article) and a small cache of the newest events; events themselves are read
 * back from the file.
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { WirediffError } from '../../core/errors.js';
import { EVENT_SCHEMA } from '../../core/model/event.js';
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

export interface FileEventLogOptions {
  /** When set, only the newest `retainEvents` events are served (`bounds().first` moves up); the file keeps all. */
  readonly retainEvents?: number | undefined;
  readonly readOnly?: boolean | undefined;
}

interface Pending {
  readonly e: NewChangeEvent;
  readonly resolve: (e: ChangeEvent) => void;
  readonly reject: (err: unknown) => void;
}

export class FileEventLog implements EventLog {
  private readonly offsets: number[] = [];
  private readonly lengths: number[] = [];
  private readonly articles: ArticleId[] = [];
  /** The newest events, oldest first: ids `last - tail.length + 1 .. last`. */
  private tail: ChangeEvent[] = [];
  private pending: Pending[] = [];
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
  ) {}

  /** Opens (creating when absent, unless read-only) and recovers the log at `path`. */
  static async open(path: string, options: FileEventLogOptions, report: RecoveryReport): Promise<FileEventLog> {
    const index: { offsets: number[]; lengths: number[]; articles: ArticleId[]; tail: ChangeEvent[] } = {
      offsets: [],
      lengths: [],
      articles: [],
      tail: [],
    };
    const size = await scanLog(
      path,
      (payload, offset) => {
        const e = decodeEvent(payload, `${path} at byte ${offset}`);
        const want = index.offsets.length + 1;
        if (e.id !== want) {
          throw new WirediffError(
            'E_CORRUPT',
            `${path} at byte ${offset}: event id ${e.id} where ${want} was expected`,
          );
        }
        index.offsets.push(offset);
        index.lengths.push(payload.length);
        index.articles.push(e.article);
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

  append(e: NewChangeEvent): Promise<ChangeEvent> {
    try {
      this.checkOpen('EventLog.append');
      if (this.options.readOnly === true) {
        throw new WirediffError('E_CONFLICT', 'EventLog.append: the store was opened read-only');
      }
      checkNewEvent(e, 'EventLog.append');
      if (this.broken !== undefined) {
        throw new WirediffError('E_IO', `EventLog.append: ${this.path} failed earlier and is refusing writes`, {
          cause: this.broken,
        });
      }
    } catch (err) {
      return rejected(err);
    }
    return new Promise<ChangeEvent>((resolve, reject) => {
      this.pending.push({ e, resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.running) return;
    this.running = true;
    this.flushing = this.flushLoop();
  }

  /**
   * Writes queued appends in batches until the queue is empty. `running` is cleared in the same synchronous step that
   * sees the queue empty (no await between), so an append arriving afterwards always starts a new run.
   */
  private async flushLoop(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      await this.writeBatch(batch);
    }
    this.running = false;
  }

  /** Writes one batch with one write and one fdatasync; settles every append of the batch; never throws. */
  private async writeBatch(batch: Pending[]): Promise<void> {
    const events: ChangeEvent[] = [];
    const records: Buffer[] = [];
    const accepted: Pending[] = [];
    for (const p of batch) {
      if (this.broken !== undefined) {
        p.reject(new WirediffError('E_IO', `EventLog.append: ${this.path} is refusing writes`, { cause: this.broken }));
        continue;
      }
      const ev: ChangeEvent = {
        schema: EVENT_SCHEMA,
        id: this.last + events.length + 1,
        at: p.e.at,
        article: p.e.article,
        version: p.e.version,
        title: p.e.title,
        kind: p.e.kind,
        summary: p.e.summary,
        significance: p.e.significance,
        changes: p.e.changes,
      };
      try {
        records.push(encodeRecord(Buffer.from(JSON.stringify(ev), 'utf8')));
      } catch (cause) {
        p.reject(new WirediffError('E_USAGE', 'EventLog.append: the event cannot be stored as one record', { cause }));
        continue;
      }
      events.push(ev);
      accepted.push(p);
    }
    if (events.length === 0) return;
    const data = Buffer.concat(records);
    try {
      let done = 0;
      while (done < data.length) {
        const { bytesWritten } = await this.fh.write(data, done, data.length - done);
        done += bytesWritten;
      }
      await this.fh.datasync();
    } catch (cause) {
      // Undo a partial write so the next record starts at a record boundary; if that fails too, stop writing.
      try {
        await this.fh.truncate(this.size);
        await this.fh.datasync();
      } catch (err) {
        this.broken = err;
      }
      const fault = new WirediffError('E_IO', `EventLog.append: writing ${this.path} failed`, { cause });
      for (const p of accepted) p.reject(fault);
      return;
    }
    let offset = this.size;
    for (let i = 0; i < events.length; i++) {
      this.offsets.push(offset + RECORD_HEADER_BYTES);
      this.lengths.push(records[i]!.length - RECORD_HEADER_BYTES);
      this.articles.push(events[i]!.article);
      offset += records[i]!.length;
    }
    this.size = offset;
    this.tail.push(...events);
    if (this.tail.length > TAIL_CACHE) this.tail.splice(0, this.tail.length - TAIL_CACHE);
    for (let i = 0; i < events.length; i++) {
      const ev = events[i]!;
      for (const listener of [...this.listeners]) {
        try {
          listener(ev);
        } catch {
          // A listener's fault is its own; it must not undo an acknowledged append or starve other listeners.
        }
      }
      accepted[i]!.resolve(ev);
    }
  }

  async readAfter(afterId: number, limit?: number): Promise<ChangeEvent[]> {
    this.checkOpen('EventLog.readAfter');
    checkInteger('afterId', afterId, 0, 'EventLog.readAfter');
    if (limit !== undefined) checkInteger('limit', limit, 0, 'EventLog.readAfter');
    const from = Math.max(afterId + 1, this.first);
    const to = limit === undefined ? this.last : Math.min(this.last, from + limit - 1);
    if (this.last === 0 || from > to) return [];
    return this.readRange(from, to);
  }

  async readLatest(limit: number, article?: ArticleId): Promise<ChangeEvent[]> {
    this.checkOpen('EventLog.readLatest');
    checkInteger('limit', limit, 0, 'EventLog.readLatest');
    if (article !== undefined) checkArticleId(article, 'EventLog.readLatest');
    if (this.last === 0 || limit === 0) return [];
    const first = this.first;
    if (article === undefined) return this.readRange(Math.max(first, this.last - limit + 1), this.last);
    const ids: number[] = [];
    for (let id = this.last; id >= first && ids.length < limit; id--) {
      if (this.articles[id - 1] === article) ids.push(id);
    }
    ids.reverse();
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

  /** Reads events `from..to` (ids, inclusive, all present) from the tail cache or the file. */
  private async readRange(from: number, to: number): Promise<ChangeEvent[]> {
    const tailFirst = this.last - this.tail.length + 1;
    if (from >= tailFirst) return this.tail.slice(from - tailFirst, to - tailFirst + 1);
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
        out.push(decodeEvent(buf.subarray(check.payloadStart, check.end), `${this.path} event ${k}`));
      }
      id = stop + 1;
    }
    return out;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closed = true;
      // No append is accepted after `closed`, so the last run started is the last one.
      await this.flushing;
      this.listeners.clear();
      await this.fh.close();
    })();
    return this.closing;
  }
}

function decodeEvent(payload: Buffer, where: string): ChangeEvent {
  let e: unknown;
  try {
    e = JSON.parse(payload.toString('utf8'));
  } catch (cause) {
    throw new WirediffError('E_CORRUPT', `${where}: record is not valid JSON`, { cause });
  }
  const ev = e as Partial<ChangeEvent> | null;
  if (typeof ev !== 'object' || ev === null || ev.schema !== EVENT_SCHEMA || typeof ev.id !== 'number') {
    throw new WirediffError('E_CORRUPT', `${where}: record is not a ${EVENT_SCHEMA} event`);
  }
  return ev as ChangeEvent;
}
