/**
 * A published change: one record of the append-only event log, and the payload every publisher
 * (RSS, WebSocket, viewer) sends on. A public, versioned format.
 */
import type { ChangeKind, ChangeSet } from './changeset.js';
import type { ArticleId, StoredVersion } from './version.js';

export const EVENT_SCHEMA = 'wirediff.event/1' as const;

export interface ChangeEvent {
  readonly schema: typeof EVENT_SCHEMA;
  /** Increasing across the whole log, from 1; an id whose version was never stored is skipped. */
  readonly id: number;
  /** ISO 8601 time the event was appended. */
  readonly at: string;
  readonly article: ArticleId;
  readonly version: number;
  readonly title: string;
  readonly kind: ChangeKind;
  readonly summary: string;
  readonly significance: number;
  /** Against the previous version; null for an article's first version. */
  readonly changes: ChangeSet | null;
}

/** What the log is asked to append: the id and schema are assigned by the log. */
export type NewChangeEvent = Omit<ChangeEvent, 'id' | 'schema'>;

/**
 * The event a stored version is published with, at `at`: its meta's headline, kind, summary and significance, and
 * its ChangeSet (the store's commits and the watcher's crash repair build it the same way).
 */
export function eventForVersion(v: StoredVersion, at: string): NewChangeEvent {
  return {
    at,
    article: v.meta.article,
    version: v.meta.version,
    title: v.meta.title,
    kind: v.meta.kind,
    summary: v.meta.summary,
    significance: v.meta.significance,
    changes: v.changes,
  };
}
