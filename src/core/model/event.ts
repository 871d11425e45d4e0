/**
 * A published change: one record of the append-only event log, and the payload every publisher
 * (RSS, WebSocket, viewer) sends on. A public, versioned format.
 */
import type { ChangeKind, ChangeSet } from './changeset.js';
import type { ArticleId } from './version.js';

export const EVENT_SCHEMA = 'wirediff.event/1' as const;

export interface ChangeEvent {
  readonly schema: typeof EVENT_SCHEMA;
  /** Monotonically increasing across the whole log, starting at 1. */
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
