/** What a poll gives: one result per article read, and the source's own failure or skip. */
import type { ArticleId } from '../core/model/version.js';
import type { RejectReason } from '../ingest/ingest.js';
import type { SourceError } from './failure.js';
import type { PollOutcomeName } from './status-file.js';

/** What one article read gave. */
export interface ArticlePollResult {
  readonly article: ArticleId;
  readonly location: string;
  readonly outcome: PollOutcomeName;
  readonly reason?: RejectReason;
  readonly version?: number;
  readonly detail?: string;
}

/** What one poll of a source gave. */
export interface PollReport {
  readonly index: number;
  readonly startedAt: string;
  readonly results: readonly ArticlePollResult[];
  /** Set when the source itself failed (feed fetch, folder listing) or was skipped while backing off. */
  readonly error?: SourceError;
  readonly skipped?: 'backoff' | 'closing';
}

/** An ISO 8601 time, or undefined. */
export const iso = (ms: number | undefined): string | undefined =>
  ms === undefined ? undefined : new Date(ms).toISOString();
