/**
 * A batch of settled ids of the file event log (event-log.ts), as the records written for them in one go: what each
 * id is (its event, or null for a void record) and why its caller is refused, if it is.
 */
import { WirediffError } from '../../core/errors.js';
import type { ChangeEvent } from '../../core/model/event.js';
import { voidRecord } from './event-record.js';
import { encodeRecord } from './record-framing.js';

/** An id waiting to be written: its event (null for a void record), and whether its caller waits for a flush. */
export interface Slot {
  /** The event as stored (null for a void record, or one that cannot be stored: see `failure`). */
  readonly ev: ChangeEvent | null;
  /** Its record payload (`encodePayload`); undefined for a void record. */
  readonly payload: Buffer | undefined;
  /** The size of the event's JSON (what it takes in memory, roughly), 0 for a void record. */
  readonly jsonBytes: number;
  /** Why the event could not be stored (it is written as a void record, and its caller hears this). */
  readonly failure: unknown;
  readonly durable: boolean;
  readonly resolve: (e: ChangeEvent | undefined) => void;
  readonly reject: (err: unknown) => void;
}

/** A batch of settled ids as records: what each id is (null for a void) and why its caller is refused, if it is. */
export interface Batch {
  readonly events: (ChangeEvent | null)[];
  readonly records: Buffer[];
  readonly failures: unknown[];
  readonly sizes: number[];
  readonly durable: boolean;
}

/**
 * The records of settled ids, in order. An event whose record cannot be framed becomes a void record (the ids stay
 * contiguous in the file) and its caller hears why.
 */
export function toRecords(slots: readonly { id: number; slot: Slot }[]): Batch {
  const batch: Batch = { events: [], records: [], failures: [], sizes: [], durable: slots.some((s) => s.slot.durable) };
  for (const { id, slot } of slots) {
    let record: Buffer;
    let failure: unknown = slot.failure;
    try {
      record = slot.payload === undefined ? voidRecord(id) : encodeRecord(slot.payload);
    } catch (cause) {
      failure = new WirediffError('E_USAGE', 'EventLog.append: the event cannot be stored as one record', { cause });
      record = voidRecord(id);
    }
    batch.events.push(failure === undefined ? slot.ev : null);
    batch.sizes.push(failure === undefined ? slot.jsonBytes : 0);
    batch.records.push(record);
    batch.failures.push(failure);
  }
  return batch;
}
