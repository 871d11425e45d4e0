/**
 * Opens the file-backed store and event log under one folder (see file/layout.ts for what lives where).
 *
 * On open, recovery runs first (file/recovery.ts): temp files are removed, versions of the older two-file layout are
 * converted, a torn event-log tail is truncated, the in-memory index is rebuilt from the files, and events that were
 * committed with their versions but lost by the log in a crash are rebuilt from those versions. One process may
 * have a folder open for writing at a time (an OS lock on `<dir>/lock`, freed by the kernel when it exits); others may open it with `readOnly: true`, which takes no
 * lock, changes nothing on disk, and sees what was on disk when it opened.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { WirediffError } from '../core/errors.js';
import { fsyncDir } from './file/atomic-write.js';
import { describeIoCause } from './file/promise-helpers.js';
import { FileEventLog } from './file/event-log.js';
import type { StoreLogger } from './file/event-log.js';
import { EVENTS_FILE } from './file/layout.js';
import { newRecoveryReport, removeTempFiles } from './file/recovery.js';
import type { RecoveryReport } from './file/recovery.js';
import { FileSnapshotStore } from './file/snapshot-store.js';
import { acquireStoreLock } from './file/store-lock.js';
import type { StoreLock } from './file/store-lock.js';
import type { EventLog, SnapshotStore } from './types.js';

export type { RecoveryReport } from './file/recovery.js';
export type { StoreLogger } from './file/event-log.js';

/** The logger used when none is given: Node's process warnings, which are printed on stderr. */
const warningLogger: StoreLogger = {
  error: (_obj, msg) => process.emitWarning(msg, { code: 'WIREDIFF_STORE' }),
  info: (_obj, msg) => process.emitWarning(msg, { code: 'WIREDIFF_STORE' }),
};

export interface FileStoreOptions {
  /** The store's folder (created when absent, unless read-only). The caller picks it (`snapshots/` by default). */
  readonly dir: string;
  /**
   * When set, the event log serves only its newest `retainEvents` events: `readAfter`/`readLatest` skip older ones
   * and `bounds().first` reports the oldest still served (a WebSocket resume from before it gets a reset).
   * The file keeps every event. Integer from 1.
   */
  readonly retainEvents?: number;
  /** Open without the writer lock, change nothing on disk (no recovery writes), and refuse every write. */
  readonly readOnly?: boolean;
  /**
   * Where the store logs the faults it handles itself: a write that failed (naming its cause: a full disk, a read-only
   * file system) and the end of such a run, an event that could not be published at once, events waiting for the
   * disk. A pino logger fits. Without one, these go to Node's warnings (stderr).
   */
  readonly logger?: StoreLogger;
}

export interface FileStore {
  readonly store: SnapshotStore;
  readonly log: EventLog;
  /** What recovery found and did on open. */
  readonly recovery: RecoveryReport;
  /** Closes the store and the log (waiting for writes in flight) and releases the lock. Idempotent. */
  close(): Promise<void>;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}

function checkOptions(options: FileStoreOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new WirediffError('E_USAGE', `openFileStore: options must be an object, received ${describe(options)}`);
  }
  if (typeof options.dir !== 'string' || options.dir.length === 0) {
    throw new WirediffError(
      'E_USAGE',
      `openFileStore: option \`dir\` must be a non-empty string (a folder path), received ${describe(options.dir)}`,
    );
  }
  const keep = options.retainEvents;
  if (keep !== undefined && (typeof keep !== 'number' || !Number.isSafeInteger(keep) || keep < 1)) {
    throw new WirediffError(
      'E_USAGE',
      `openFileStore: option \`retainEvents\` must be an integer from 1 to ${Number.MAX_SAFE_INTEGER} (or left out to serve every event), received ${describe(keep)}`,
    );
  }
  if (options.readOnly !== undefined && typeof options.readOnly !== 'boolean') {
    throw new WirediffError(
      'E_USAGE',
      `openFileStore: option \`readOnly\` must be true or false, received ${describe(options.readOnly)}`,
    );
  }
}

export async function openFileStore(options: FileStoreOptions): Promise<FileStore> {
  checkOptions(options);
  const { dir } = options;
  const readOnly = options.readOnly === true;
  let lock: StoreLock | undefined;
  let log: FileEventLog | undefined;
  let store: FileSnapshotStore | undefined;
  const recovery = newRecoveryReport();
  try {
    if (!readOnly) {
      const created = await mkdir(dir, { recursive: true });
      if (created !== undefined) await fsyncDir(join(dir, '..'));
      lock = await acquireStoreLock(dir);
    }
    await removeTempFiles(dir, recovery, readOnly);
    const logger = options.logger ?? warningLogger;
    log = await FileEventLog.open(
      join(dir, EVENTS_FILE),
      { retainEvents: options.retainEvents, readOnly, logger },
      recovery,
    );
    store = await FileSnapshotStore.open(dir, { readOnly, logger }, recovery, log);
    if (!readOnly) {
      // Events committed with their versions but lost by the log (not yet written out when the machine went down).
      const lost = await store.eventsAfter(log.lastId);
      if (lost.length > 0) {
        const { rebuilt, voided } = await log.restore(lost);
        recovery.eventsRebuilt += rebuilt;
        recovery.eventsVoided += voided;
      }
    }
  } catch (err) {
    await store?.close().catch(() => undefined);
    await log?.close().catch(() => undefined);
    await lock?.release().catch(() => undefined);
    if (err instanceof WirediffError) throw err;
    throw new WirediffError('E_IO', `openFileStore: cannot open the store in ${dir}: ${describeIoCause(err)}`, {
      cause: err,
    });
  }
  const s = store;
  const l = log;
  let closing: Promise<void> | undefined;
  return {
    store: s,
    log: l,
    recovery,
    close() {
      closing ??= (async () => {
        try {
          // The store first: commits in flight publish to the log before it closes.
          await s.close().finally(() => l.close());
        } finally {
          await lock?.release();
        }
      })();
      return closing;
    },
  };
}
