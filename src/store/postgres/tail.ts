/**
 * Following the shared event log: what makes `EventLog.subscribe` deliver events committed by other processes.
 *
 * One extra connection LISTENs on the store's channel. A notification (payload: an id) only wakes the tail; the
 * events themselves are read by id (`id > cursor`, in order) through the pool, so a lost or coalesced notification
 * costs nothing but latency, and listeners always get events in id order, each once, with no gap (ids are commit
 * order, events.ts). The tail also reads on every (re)connect of the LISTEN connection and every few seconds, so a
 * notification lost while the connection was down is made up for. The LISTEN connection reconnects by itself, with
 * back-off, when PostgreSQL goes away; listeners simply hear nothing meanwhile.
 */
import pg from 'pg';
import type { ChangeEvent } from '../../core/model/event.js';
import { clientConfig } from './connection.js';
import type { PgDb } from './db.js';
import { decodeEventRow } from './events.js';

const BATCH = 500;
const SAFETY_POLL_MS = 5000;
const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5000;

export class EventTail {
  private readonly listeners = new Set<(e: ChangeEvent) => void>();
  private client: pg.Client | undefined;
  private connecting = false;
  private reconnectMs = RECONNECT_MIN_MS;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private reading: Promise<void> | undefined;
  private again = false;
  private closed = false;
  private readonly waiters: { id: number; resolve: () => void }[] = [];

  /** `cursor`: the newest id when the log was opened; listeners hear of events after it. */
  constructor(
    private readonly db: PgDb,
    private cursor: number,
  ) {}

  get delivered(): number {
    return this.cursor;
  }

  subscribe(listener: (e: ChangeEvent) => void): () => void {
    const wrapped = (e: ChangeEvent): void => listener(e);
    this.listeners.add(wrapped);
    if (this.listeners.size === 1) this.startFollowing();
    return () => {
      this.listeners.delete(wrapped);
      if (this.listeners.size === 0) this.stopFollowing();
    };
  }

  /**
   * Resolves once events up to `id` have been handed to the listeners (a commit made through this process waits
   * for it, as the file log's listeners are called before its append resolves), or at once when that read fails.
   */
  reach(id: number): Promise<void> {
    if (this.listeners.size === 0) this.cursor = Math.max(this.cursor, id);
    if (this.cursor >= id || this.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.waiters.push({ id, resolve });
      this.wake();
    });
  }

  /** Reads what is new (again after the current read, when one is running). */
  wake(): void {
    if (this.closed) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = this.readLoop().finally(() => {
      this.reading = undefined;
      if (this.again && !this.closed) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async readLoop(): Promise<void> {
    try {
      for (;;) {
        if (this.listeners.size === 0) {
          const rows = await this.db.query<{ last: string | null }>(
            'EventLog.subscribe',
            'select max(id) as last from events',
          );
          this.cursor = Math.max(this.cursor, Number(rows[0]?.last ?? 0));
          break;
        }
        const rows = await this.db.query<{ id: string; body: Buffer }>(
          'EventLog.subscribe',
          'select id, body from events where id > $1 order by id limit $2',
          [this.cursor, BATCH],
        );
        for (const row of rows) {
          const e = await decodeEventRow(row);
          if (e.id <= this.cursor) continue;
          this.cursor = e.id;
          for (const l of [...this.listeners]) {
            try {
              l(e);
            } catch {
              // A listener's fault is its own.
            }
          }
        }
        this.release();
        if (rows.length < BATCH) break;
      }
    } catch {
      // PostgreSQL unreachable: the next notification, reconnect or safety poll reads again.
    } finally {
      this.release(true);
    }
  }

  /** Resolves the waiters whose id is delivered (all of them when `all`: a failed read does not hold commits). */
  private release(all = false): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const w = this.waiters[i]!;
      if (all || w.id <= this.cursor) {
        this.waiters.splice(i, 1);
        w.resolve();
      }
    }
  }

  private startFollowing(): void {
    this.pollTimer ??= setInterval(() => this.wake(), SAFETY_POLL_MS).unref();
    void this.connect();
  }

  private stopFollowing(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const c = this.client;
    this.client = undefined;
    if (c) void c.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.connecting || this.client || this.closed || this.listeners.size === 0) return;
    this.connecting = true;
    const client = new pg.Client(clientConfig(this.db.options));
    const lost = (): void => {
      if (this.client !== client) return;
      this.client = undefined;
      void client.end().catch(() => undefined);
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', () => this.wake());
    try {
      await client.connect();
      await client.query(`listen "${this.db.channel}"`);
      if (this.closed || this.listeners.size === 0) {
        await client.end().catch(() => undefined);
        return;
      }
      this.client = client;
      this.reconnectMs = RECONNECT_MIN_MS;
      // Whatever was committed before LISTEN took effect (or while the connection was down).
      this.wake();
    } catch {
      await client.end().catch(() => undefined);
      this.scheduleReconnect();
    } finally {
      this.connecting = false;
    }
  }

  private scheduleReconnect(): void {
    if (this.closed || this.listeners.size === 0 || this.reconnectTimer) return;
    const wait = this.reconnectMs;
    this.reconnectMs = Math.min(RECONNECT_MAX_MS, this.reconnectMs * 2);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect();
    }, wait).unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    this.stopFollowing();
    await this.reading;
    this.release(true);
  }
}
