/**
 * Opens the PostgreSQL store and event log: connects (a clear `E_IO` naming the URL without its password when
 * PostgreSQL cannot be reached), applies missing migrations under their lock, and builds the store and the log on
 * one pool.
 */
import type pg from 'pg';
import { WirediffError } from '../../core/errors.js';
import type { EventLog, SnapshotStore } from '../types.js';
import { checkPostgresOptions, redactUrl, storeFault } from './connection.js';
import type { PostgresStoreOptions } from './connection.js';
import { PgDb } from './db.js';
import { PgEventLog } from './event-log.js';
import { checkMigrated, migrate } from './migrations.js';
import { PgSnapshotStore } from './snapshot-store.js';

export type { PostgresStoreOptions } from './connection.js';

export interface PostgresStore {
  readonly store: SnapshotStore;
  readonly log: EventLog;
  readonly db: PgDb;
  /** Migrations applied by this open. */
  readonly migrated: readonly number[];
  /** Closes the store and the log (waiting for queries in flight) and the pool. Idempotent. */
  close(): Promise<void>;
}

/** Applies missing migrations to the store at `options` and returns the versions applied now. */
export async function migratePostgres(options: PostgresStoreOptions): Promise<number[]> {
  checkPostgresOptions(options);
  const db = new PgDb(options);
  try {
    return await withClient(db, (client) => migrate(client, db.schema));
  } finally {
    await db.close();
  }
}

async function withClient<T>(db: PgDb, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  let client;
  try {
    client = await db.pool.connect();
  } catch (err) {
    throw storeFault(err, 'opening the store', db.url);
  }
  try {
    return await fn(client);
  } catch (err) {
    throw storeFault(err, `migrating the store in schema "${db.schema}"`, db.url);
  } finally {
    client.release();
  }
}

/**
 * Opens the store in `options.schema`, applying missing migrations first (under their lock). With `readOnly` (the
 * commands that only read: history, status…) nothing is created or migrated: a schema that is missing or behind is
 * E_STORE_OUTDATED.
 */
export async function openPostgresStore(
  options: PostgresStoreOptions,
  mode: { readonly readOnly?: boolean } = {},
): Promise<PostgresStore> {
  checkPostgresOptions(options);
  const db = new PgDb(options);
  let log: PgEventLog | undefined;
  let migrated: number[];
  try {
    if (mode.readOnly === true) {
      await withClient(db, (client) => checkMigrated(client, db.schema));
      migrated = [];
    } else {
      migrated = await withClient(db, (client) => migrate(client, db.schema));
    }
    log = await PgEventLog.open(db);
  } catch (err) {
    await db.close().catch(() => undefined);
    if (err instanceof WirediffError) throw err;
    throw new WirediffError('E_IO', `cannot open the store at ${redactUrl(options.url)}`, { cause: err });
  }
  const store = new PgSnapshotStore(db, log.tail);
  const l = log;
  let closing: Promise<void> | undefined;
  return {
    store,
    log: l,
    db,
    migrated,
    close() {
      closing ??= (async () => {
        try {
          await store.close();
          await l.close();
        } finally {
          await db.close();
        }
      })();
      return closing;
    },
  };
}
