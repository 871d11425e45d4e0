/** The pool of one open PostgreSQL store, with queries and transactions that report faults as `WirediffError`s. */
import type pg from 'pg';
import { WirediffError } from '../../core/errors.js';
import { createPool, storeFault } from './connection.js';
import type { PostgresStoreOptions } from './connection.js';
import { eventChannel } from './events.js';

export class PgDb {
  readonly pool: pg.Pool;
  readonly schema: string;
  readonly channel: string;
  private closed = false;
  private readonly inflight = new Set<Promise<unknown>>();

  constructor(readonly options: PostgresStoreOptions) {
    this.pool = createPool(options);
    this.schema = options.schema ?? 'public';
    this.channel = eventChannel(this.schema);
  }

  get url(): string {
    return this.options.url;
  }

  checkOpen(where: string): void {
    if (this.closed) throw new WirediffError('E_CLOSED', `${where}: the store is closed`);
  }

  /**
   * Runs a call accepted while open (checked now) to its end, even if `close` starts meanwhile: `close` waits for
   * it, and its queries go through `queryAccepted`.
   */
  accept<T>(where: string, fn: () => Promise<T>): Promise<T> {
    try {
      this.checkOpen(where);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    return this.track(fn());
  }

  /** A query of a call `accept`ed before `close`. */
  queryAccepted<R extends pg.QueryResultRow>(where: string, sql: string, params: unknown[] = []): Promise<R[]> {
    return this.track(this.runQuery<R>(where, sql, params));
  }

  /** Counts `p` as in flight until it settles: `close` waits for it. */
  private track<T>(p: Promise<T>): Promise<T> {
    this.inflight.add(p);
    const done = (): void => void this.inflight.delete(p);
    p.then(done, done);
    return p;
  }

  query<R extends pg.QueryResultRow>(where: string, sql: string, params: unknown[] = []): Promise<R[]> {
    try {
      this.checkOpen(where);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    return this.track(this.runQuery<R>(where, sql, params));
  }

  private async runQuery<R extends pg.QueryResultRow>(where: string, sql: string, params: unknown[]): Promise<R[]> {
    try {
      return (await this.pool.query<R>(sql, params)).rows;
    } catch (err) {
      throw storeFault(err, where, this.url);
    }
  }

  /** Runs `fn` in one transaction: COMMIT when it resolves, ROLLBACK when it throws. */
  tx<T>(where: string, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    try {
      this.checkOpen(where);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    return this.track(this.runTx(where, fn));
  }

  private async runTx<T>(where: string, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw storeFault(err, where, this.url);
    }
    let broken = false;
    try {
      await client.query('begin');
      const out = await fn(client);
      await client.query('commit');
      return out;
    } catch (err) {
      try {
        await client.query('rollback');
      } catch {
        broken = true;
      }
      throw storeFault(err, where, this.url);
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
    await this.pool.end();
  }
}
