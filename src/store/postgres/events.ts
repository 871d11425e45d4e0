/**
 * The event log in PostgreSQL, and the one way an event gets its id.
 *
 * Ids are a resume cursor, so id order must be commit order: a reader that has seen id N must never later see a
 * smaller id appear. A sequence does not give that (ids are taken before commit, and commits finish in any order).
 * Here every event commit takes one transaction-level advisory lock per store (`pg_advisory_xact_lock`) as its last
 * step before COMMIT, assigns `max(id) + 1` inside the lock, and holds the lock until the transaction ends.
 * PostgreSQL makes a transaction visible before it releases its locks, so when the next commit takes the lock the
 * previous one is already visible: commits and ids go in the same order, and a reader's `id > N` never skips one.
 * The price is one event commit at a time per store (the lock is held for one INSERT and the COMMIT's WAL flush).
 * The NOTIFY (payload: the id only) is sent by the same statement and delivered at commit, in commit order.
 */
import type pg from 'pg';
import { EVENT_SCHEMA } from '../../core/model/event.js';
import type { ChangeEvent, NewChangeEvent } from '../../core/model/event.js';
import { eventFields } from '../event-fields.js';
import { packJson, unpackJson } from './codec.js';

/** The event's fields as stored in `events.body` (the id and schema are columns / constant). */
type EventBody = NewChangeEvent;

/** Takes the store's event-commit lock until the transaction ends (an expression for a SELECT list). */
export const EVENT_LOCK_SQL = `pg_advisory_xact_lock(hashtext('wirediff.events:' || current_schema()))`;

/** The NOTIFY channel of a store's schema (an identifier of at most 63 bytes). */
export function eventChannel(schema: string): string {
  return `wirediff_events_${schema}`.slice(0, 63);
}

/** What `events.body` holds for `e`. */
export function packEventBody(e: NewChangeEvent): Promise<Buffer> {
  return packJson(eventFields(e));
}

export function eventOf(id: number, body: EventBody): ChangeEvent {
  return { schema: EVENT_SCHEMA, id, ...eventFields(body) };
}

export async function decodeEventRow(row: { id: string | number; body: Buffer }): Promise<ChangeEvent> {
  const id = Number(row.id);
  return eventOf(id, await unpackJson<EventBody>(row.body, `events.id ${id}`));
}

/**
 * Inserts `e` with the next id, inside the caller's open transaction `client` (which must COMMIT right after).
 * When the version `versionOf` names is given, it is marked as committed with this event. With `ifAbsent`, an event
 * already stored for the same (article, version) is returned instead (the log keeps one event per version).
 */
export async function insertEvent(
  client: pg.ClientBase,
  channel: string,
  e: NewChangeEvent,
  opts: { readonly markVersion?: boolean; readonly ifAbsent?: boolean; readonly locked?: boolean } = {},
): Promise<ChangeEvent> {
  const body = await packJson(eventFields(e));
  // The last step before COMMIT: everything slow (the version's bytes) is already written.
  // Unless the caller's previous statement took it (`locked`): a statement that waits for the lock must not be the
  // one that reads max(id), whose snapshot would be older than the lock.
  if (opts.locked !== true) await client.query(`select ${EVENT_LOCK_SQL}`);
  // Inside the lock, so two processes appending the same version's event cannot both miss each other's.
  if (opts.ifAbsent === true) {
    const found = await client.query<{ id: string; body: Buffer }>(
      'select id, body from events where article = $1 and version = $2',
      [e.article, e.version],
    );
    if (found.rows[0]) return decodeEventRow(found.rows[0]);
  }
  const { rows } = await client.query<{ id: string }>(
    `with next as (select coalesce(max(id), 0) + 1 as id from events),
     ins as (insert into events (id, article, version, body) select id, $1, $2, $3 from next returning id),
     mark as (update versions set event_id = ins.id from ins where $4 and article = $1 and n = $2)
     select ins.id, pg_notify($5, ins.id::text) from ins`,
    [e.article, e.version, body, opts.markVersion === true, channel],
  );
  return eventOf(Number(rows[0]!.id), e);
}
