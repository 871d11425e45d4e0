/**
 * The fields of a change event in `ChangeEvent`'s order, for both stores: the file log writes an event's JSON in this
 * order and PostgreSQL keeps its body in it, so that stored and re-read events serialize alike.
 */
import type { NewChangeEvent } from '../core/model/event.js';

/** The fields of `e` (and only those), in `ChangeEvent`'s order after `schema` and `id`. */
export function eventFields(e: NewChangeEvent): NewChangeEvent {
  return {
    at: e.at,
    article: e.article,
    version: e.version,
    title: e.title,
    kind: e.kind,
    summary: e.summary,
    significance: e.significance,
    changes: e.changes,
  };
}
