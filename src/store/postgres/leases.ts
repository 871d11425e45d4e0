/**
 * Leases and shared watch state in PostgreSQL (see ../leases.ts). A lease is a row with a holder and an expiry,
 * taken with one atomic upsert that succeeds only when the row is free, expired, or already this holder's; the
 * expiry is the database's clock, so the processes' clocks do not matter.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { LeaseManager } from '../leases.js';
import type { PgDb } from './db.js';

export class PgLeaseManager implements LeaseManager {
  readonly holder = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  readonly shared = true;
  private closing: Promise<void> | undefined;

  constructor(private readonly db: PgDb) {}

  async acquire(key: string, ttlMs: number): Promise<boolean> {
    const rows = await this.db.query<{ holder: string }>(
      'leases.acquire',
      `insert into leases (key, holder, expires_at) values ($1, $2, clock_timestamp() + $3 * interval '1 millisecond')
       on conflict (key) do update set holder = excluded.holder, expires_at = excluded.expires_at
         where leases.expires_at < clock_timestamp() or leases.holder = excluded.holder
       returning holder`,
      [key, this.holder, Math.max(1, Math.round(ttlMs))],
    );
    return rows.length === 1;
  }

  async release(key: string): Promise<void> {
    await this.db.query('leases.release', 'delete from leases where key = $1 and holder = $2', [key, this.holder]);
  }

  async readState<T>(key: string): Promise<T | undefined> {
    const rows = await this.db.query<{ state: T }>('watch_state.read', 'select state from watch_state where key = $1', [
      key,
    ]);
    return rows[0]?.state;
  }

  async writeState(key: string, state: unknown): Promise<void> {
    await this.db.query(
      'watch_state.write',
      `insert into watch_state (key, state) values ($1, $2)
       on conflict (key) do update set state = excluded.state, updated_at = clock_timestamp()`,
      [key, JSON.stringify(state)],
    );
  }

  close(): Promise<void> {
    this.closing ??= this.db.query('leases.close', 'delete from leases where holder = $1', [this.holder]).then(
      () => undefined,
      () => undefined,
    );
    return this.closing;
  }
}
