/**
 * Connecting to PostgreSQL: the pool every query goes through, the address in messages (never the password), and
 * the one place that turns driver and network faults into `WirediffError`s.
 *
 * Each store lives in one PostgreSQL schema (`public` unless configured): the pool sets `search_path` to it, and the
 * advisory-lock keys and the NOTIFY channel are derived from its name, so stores in different schemas of one database
 * never block or wake each other (the tests give every case its own schema).
 */
import pg from 'pg';
import { WirediffError } from '../../core/errors.js';
import { redactUrl } from './redact.js';

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database` (the password never appears in messages). */
  readonly url: string;
  /** The schema holding the tables (created when absent). Default `public`. */
  readonly schema?: string;
  /** Connections in the pool (default 8); one more is kept for LISTEN while anything subscribes. */
  readonly poolSize?: number;
  /** How long to wait for a connection before calling PostgreSQL unreachable (default 5 s). */
  readonly connectTimeoutMs?: number;
}

const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

export { redactUrl };

export function checkPostgresOptions(options: PostgresStoreOptions): void {
  let proto: string | undefined;
  try {
    proto = new URL(options.url).protocol;
  } catch {
    proto = undefined;
  }
  if (proto !== 'postgres:' && proto !== 'postgresql:') {
    throw new WirediffError(
      'E_CONFIG',
      `store.url: expected a postgres://user@host:port/database URL, got ${typeof options.url === 'string' ? JSON.stringify(redactUrl(options.url)) : typeof options.url}`,
    );
  }
  if (options.schema !== undefined && (!SCHEMA_PATTERN.test(options.schema) || options.schema.startsWith('pg_'))) {
    throw new WirediffError(
      'E_CONFIG',
      `store.schema: expected a lower-case name of 1 to 63 characters [a-z0-9_] not starting with a digit or pg_, got ${JSON.stringify(options.schema)}`,
    );
  }
  const size = options.poolSize;
  if (size !== undefined && (!Number.isSafeInteger(size) || size < 1 || size > 1000)) {
    throw new WirediffError('E_CONFIG', `store.poolSize: expected an integer from 1 to 1000, got ${String(size)}`);
  }
}

/** What a pool or client needs to connect to `options.url` with `search_path` set to the store's schema. */
export function clientConfig(options: PostgresStoreOptions): pg.ClientConfig {
  const schema = options.schema ?? 'public';
  return {
    connectionString: options.url,
    options: `-c search_path=${schema}`,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    keepAlive: true,
    application_name: 'wirediff',
  };
}

export function createPool(options: PostgresStoreOptions): pg.Pool {
  const pool = new pg.Pool({ ...clientConfig(options), max: options.poolSize ?? 8, idleTimeoutMillis: 30_000 });
  // An idle connection that breaks (server restart, network cut) is dropped by the pool; the next query opens another.
  pool.on('error', () => undefined);
  return pool;
}

/** SQLSTATE classes and socket errors that mean "PostgreSQL is not reachable now", not "the request is wrong". */
export function isConnectionFault(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  if (e === null || typeof e !== 'object') return false;
  const code = e.code ?? '';
  if (/^(08|57P0[1-3]|53300)/.test(code)) return true;
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN'].includes(code)) {
    return true;
  }
  const m = e.message ?? '';
  return /Connection terminated|connection timeout|Client has encountered a connection error|not queryable/i.test(m);
}

/** A fault from the driver as a `WirediffError` naming what failed and where (the URL without its password). */
export function storeFault(err: unknown, where: string, url: string): WirediffError {
  if (err instanceof WirediffError) return err;
  const e = err as { code?: string; message?: string };
  // Raised by wirediff_commit (migrations.ts) for a stale expectedLatest.
  if (e?.code === 'WD409') return new WirediffError('E_CONFLICT', `${where}: ${e.message}`, { cause: err });
  if (e?.code === 'WD400') return new WirediffError('E_USAGE', `${where}: ${e.message}`, { cause: err });
  const detail = `${e?.message ?? String(err)}${e?.code !== undefined && !String(e.message).includes(e.code) ? ` (${e.code})` : ''}`;
  if (isConnectionFault(err)) {
    return new WirediffError('E_IO', `${where}: cannot reach PostgreSQL at ${redactUrl(url)}: ${detail}`, {
      cause: err,
      unavailable: true,
    });
  }
  return new WirediffError('E_IO', `${where}: PostgreSQL at ${redactUrl(url)} failed: ${detail}`, { cause: err });
}
