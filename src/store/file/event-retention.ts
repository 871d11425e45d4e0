/**
 * Which events the file event log serves (`bounds().first`): with `retainEvents`, the newest that many; with
 * `retainBytes`, the newest whose records add up to at most that many bytes (always the newest one); with both, the
 * tighter bound. The file keeps every record either way.
 */
import type { EventIndex } from './event-index.js';

export interface Retention {
  readonly retainEvents?: number | undefined;
  readonly retainBytes?: number | undefined;
}

/** The oldest id served (0 when the log is empty). */
export function firstRetained(index: EventIndex, retention: Retention): number {
  const last = index.last;
  if (last === 0) return 0;
  const keep = retention.retainEvents;
  const byCount = keep === undefined ? 1 : Math.max(1, last - keep + 1);
  const bytes = retention.retainBytes;
  return bytes === undefined ? byCount : Math.max(byCount, index.firstWithin(bytes));
}
