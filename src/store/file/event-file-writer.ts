/**
 * How the file event log (event-log.ts) gets its records into the file, and what it does when it cannot.
 *
 * Records published without a flush are copied to the file in batches (`queue`): after `WRITE_DELAY_MS`, or sooner
 * once `WRITE_AT_RECORDS` records or `WRITE_AT_BYTES` bytes wait. Durable records (`writeDurable`) go at once, after
 * whatever waits, with one `fdatasync` for all.
 *
 * A failed write (a full disk, a read-only remount) does not stop the log. The file is cut back to its last whole
 * record, the records not written stay in memory, the fault is logged once with its cause, and writing is tried again
 * on the next write and on a timer (`RETRY_FIRST_MS`, doubling up to `RETRY_MAX_MS`), so the log catches up by itself
 * once the disk has room again.
 */
import { ftruncateSync, writeSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { WirediffError } from '../../core/errors.js';
import { describeIoCause } from './promise-helpers.js';

/** Where the store reports faults it handles itself (a write that failed and is retried, a write that recovered). */
export interface StoreLogger {
  error(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

/**
 * While writes fail, the records waiting in memory may grow to this many bytes; past it, new ids are refused with the
 * cause (the versions that would need them are refused too), so a log that cannot write does not eat the memory.
 */
const STALLED_MAX_BYTES = 64 << 20;
/** After a failed write, the next try comes after this delay, doubling up to `RETRY_MAX_MS` while it keeps failing. */
const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 30_000;

/**
 * Records published without a flush are copied to the file in batches: after this delay, or sooner once this many
 * records or bytes wait (fewer records than the tail cache holds, so an unwritten record is always served from it).
 * Each write to the file makes the next journal commit heavier (the file's size changes), and the versions' own
 * commits are what ingest waits for.
 */
const WRITE_DELAY_MS = 100;
const WRITE_AT_RECORDS = 64;
const WRITE_AT_BYTES = 1 << 20;

export class EventFileWriter {
  /** Records published but not yet copied to the file (they are served from the tail cache). */
  private unwritten: Buffer[] = [];
  private unwrittenCount = 0;
  private unwrittenBytes = 0;
  private writeTimer: NodeJS.Timeout | undefined;
  /** The file handle is closed: nothing more is written. */
  private closedFile = false;
  /** Set while writes fail (the last failure): records wait in `unwritten` and a retry is scheduled. */
  private stalled: unknown;
  /** The file may end in part of a record from a failed write: cut it back to `fileSize` before writing again. */
  private needsTruncate = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelay = RETRY_FIRST_MS;

  /**
   * Writes to `fh` (the log at `path`, `fileSize` bytes of whole records long). `recovered` is called after each
   * write that ends a run of failures.
   */
  constructor(
    private readonly path: string,
    private readonly fh: FileHandle,
    private fileSize: number,
    private readonly logger: StoreLogger | undefined,
    private readonly recovered: () => void,
  ) {}

  /** How many records wait in memory to be written. */
  get unwrittenRecords(): number {
    return this.unwrittenCount;
  }

  /** Throws `E_IO` with the cause while writes fail and the records waiting in memory fill their bound. */
  checkRoom(where: string): void {
    if (this.stalled !== undefined && this.unwrittenBytes >= STALLED_MAX_BYTES) {
      throw new WirediffError(
        'E_IO',
        `${where}: cannot write ${this.path}: ${describeIoCause(this.stalled)}; ${this.unwrittenCount} events wait in memory and no more are taken until the log can be written again (free space or make the store writable: it resumes by itself)`,
        { cause: this.stalled },
      );
    }
  }

  /** Queues records to be copied to the file (soon, or now once enough wait). */
  queue(data: Buffer, records: number): void {
    this.unwritten.push(data);
    this.unwrittenCount += records;
    this.unwrittenBytes += data.length;
    if (this.stalled !== undefined) {
      // A new write tries the file again at once: the disk may have room by now.
      this.writeOut();
    } else if (this.unwrittenCount >= WRITE_AT_RECORDS || this.unwrittenBytes >= WRITE_AT_BYTES) {
      this.writeOut();
    } else {
      this.writeTimer ??= setTimeout(() => this.writeOut(), WRITE_DELAY_MS).unref();
    }
  }

  /**
   * Writes what waits, then `data`, and one fdatasync covers them all. On failure nothing of `data` is in the file,
   * what waited waits again, and the cause is returned (undefined on success).
   */
  async writeDurable(data: Buffer): Promise<unknown> {
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
      this.endStall();
      return undefined;
    } catch (cause) {
      this.unwritten = waiting.data;
      this.unwrittenCount = waiting.records;
      this.unwrittenBytes = waiting.bytes;
      this.stall(cause);
      return cause;
    }
  }

  private takeUnwritten(): { data: Buffer[]; records: number; bytes: number } {
    const out = { data: this.unwritten, records: this.unwrittenCount, bytes: this.unwrittenBytes };
    this.unwritten = [];
    this.unwrittenCount = 0;
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
      this.endStall();
    } catch (cause) {
      // Kept in memory (and served from the tail cache) until a later try writes them.
      this.unwritten = [data, ...this.unwritten];
      this.unwrittenCount += waiting.records;
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
      this.logger?.error(
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
  private endStall(): void {
    if (this.stalled === undefined) return;
    this.stalled = undefined;
    this.retryDelay = RETRY_FIRST_MS;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.logger?.info({}, `event log: writing ${this.path} works again; the events that waited are written`);
    this.recovered();
  }

  /**
   * Writes what waits (so the next open rebuilds none of it), stops retrying, makes the file durable (unless
   * `readOnly`, or writes still fail: then says how many events are left to rebuild) and closes it.
   */
  async close(readOnly: boolean): Promise<void> {
    this.writeOut();
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (this.stalled !== undefined) {
      this.logger?.error(
        { err: this.stalled },
        `event log: closing with ${this.unwrittenCount} events not written to ${this.path} (${describeIoCause(this.stalled)}); the next open rebuilds them from their versions`,
      );
    } else if (!readOnly) {
      await this.fh.datasync().catch(() => undefined);
    }
    this.closedFile = true;
    await this.fh.close();
  }
}
