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
import { checkBoolean, checkObject, checkString, expectationError } from '../core/expect.js';
import { fsyncDir } from '../lib/dir-sync.js';
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
import { redactUrl } from './postgres/redact.js';
import type { PostgresStoreOptions } from './postgres/connection.js';
import { LOCAL_LEASES } from './leases.js';
import type { LeaseManager } from './leases.js';

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
  /**
   * When set, the event log serves only its newest events whose records add up to at most this many bytes (at least
   * the newest one), like `retainEvents` and together with it (the tighter bound wins). Integer from 1.
   */
  readonly retainBytes?: number;
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

function checkOptions(options: FileStoreOptions): void {
  const ctx = { where: 'openFileStore' } as const;
  checkObject('options', options, ctx);
  checkString('dir', options.dir, { ...ctx, minLength: 1, what: 'a non-empty string (a folder path)' });
  for (const name of ['retainEvents', 'retainBytes'] as const) {
    const keep = options[name];
    if (keep !== undefined && (typeof keep !== 'number' || !Number.isSafeInteger(keep) || keep < 1)) {
      throw expectationError(
        name,
        `an integer from 1 to ${Number.MAX_SAFE_INTEGER} (or left out to serve every event)`,
        keep,
        ctx,
      );
    }
  }
  if (options.readOnly !== undefined) checkBoolean('readOnly', options.readOnly, ctx);
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
      { retainEvents: options.retainEvents, retainBytes: options.retainBytes, readOnly, logger },
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

// ---------------------------------------------------------------------------------------------------------------
// Picking the store: the file store under `storeDir` (default) or PostgreSQL (config `store`, or WIREDIFF_STORE_URL).

/** Where a command's store is. */
export type StoreTarget =
  | {
      readonly kind: 'file';
      readonly dir: string;
      readonly retainEvents?: number | undefined;
      readonly retainBytes?: number | undefined;
    }
  | ({ readonly kind: 'postgres' } & PostgresStoreOptions);

/** The environment variable that points every command at a PostgreSQL store (it wins over the config). */
export const STORE_URL_ENV = 'WIREDIFF_STORE_URL';

/** The store a config names, with `WIREDIFF_STORE_URL` (when set and not empty) taking precedence. */
export function storeTargetFor(
  config: {
    readonly storeDir: string;
    readonly store?: Partial<Omit<PostgresStoreOptions, 'url'>> & {
      readonly kind?: string;
      readonly url?: string | undefined;
      readonly retainEvents?: number | undefined;
      readonly retainBytes?: number | undefined;
    };
  },
  env: Readonly<Record<string, string | undefined>> = {},
): StoreTarget {
  const fromEnv = env[STORE_URL_ENV];
  const s = config.store;
  const extra = {
    ...(s?.schema !== undefined ? { schema: s.schema } : {}),
    ...(s?.poolSize !== undefined ? { poolSize: s.poolSize } : {}),
  };
  if (fromEnv !== undefined && fromEnv !== '') return { kind: 'postgres', url: fromEnv, ...extra };
  if (s?.kind === 'postgres' && s.url !== undefined) return { kind: 'postgres', url: s.url, ...extra };
  return {
    kind: 'file',
    dir: config.storeDir,
    ...(s?.retainEvents !== undefined ? { retainEvents: s.retainEvents } : {}),
    ...(s?.retainBytes !== undefined ? { retainBytes: s.retainBytes } : {}),
  };
}

/** Says where a store is, for messages (a URL without its password). */
export function describeStoreTarget(t: StoreTarget): string {
  return t.kind === 'file' ? t.dir : `${redactUrl(t.url)}${t.schema !== undefined ? ` (schema ${t.schema})` : ''}`;
}

export interface OpenedStore {
  readonly kind: StoreTarget['kind'];
  readonly store: SnapshotStore;
  readonly log: EventLog;
  /** Work sharing between watcher processes (a no-op for the file store, which has one writer). */
  readonly leases: LeaseManager;
  /** What recovery did on open (file store only). */
  readonly recovery?: RecoveryReport;
  close(): Promise<void>;
}

/**
 * Opens the store `target` names. `readOnly`: the file store takes no writer lock; PostgreSQL (which has no single
 * writer) creates and migrates nothing, and refuses a schema that is missing or behind (E_STORE_OUTDATED).
 */
export async function openStore(
  target: StoreTarget,
  options: { readonly readOnly?: boolean; readonly logger?: StoreLogger } = {},
): Promise<OpenedStore> {
  if (target.kind === 'file') {
    const f = await openFileStore({
      dir: target.dir,
      ...(target.retainEvents !== undefined ? { retainEvents: target.retainEvents } : {}),
      ...(target.retainBytes !== undefined ? { retainBytes: target.retainBytes } : {}),
      ...(options.readOnly === true ? { readOnly: true } : {}),
      ...(options.logger !== undefined ? { logger: options.logger } : {}),
    });
    return {
      kind: 'file',
      store: f.store,
      log: f.log,
      leases: LOCAL_LEASES,
      recovery: f.recovery,
      close: () => f.close(),
    };
  }
  const { kind: _kind, ...pgOptions } = target;
  // Loaded only when asked for: the file store's users (and its crash test's child) never load the driver.
  const { openPostgresStore } = await import('./postgres/open.js');
  const { PgLeaseManager } = await import('./postgres/leases.js');
  const p = await openPostgresStore(pgOptions, { readOnly: options.readOnly === true });
  const leases = new PgLeaseManager(p.db);
  return {
    kind: 'postgres',
    store: p.store,
    log: p.log,
    leases,
    close: async () => {
      await leases.close();
      await p.close();
    },
  };
}
