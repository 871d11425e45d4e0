/**
 * What a watcher knows about one source between polls: its articles (by location), its counts, when it was last
 * polled, succeeded and changed, and its last failure. Plain state: the pollers fill it, status.ts reads it.
 */
import type { ArticleId } from '../core/model/version.js';
import type { IngestOutcome, RejectReason } from '../ingest/ingest.js';
import type { SourceError } from './failure.js';
import type { WatchSource } from './options.js';
import type { PollOutcomeName, SourceCounts } from './status-file.js';

/** One article of a source: where it is read from, and what its last read gave. */
export interface ArticleState {
  id: ArticleId;
  location: string;
  tier?: string;
  lastPollAt?: number;
  nextPollAt?: number;
  etag?: string;
  lastModified?: string;
  mtimeMs?: number;
  size?: number;
  lastOutcome?: PollOutcomeName;
  lastDetail?: string;
  /** Set while another location owns this one's article id (the message, logged and counted once). */
  collision?: string;
}

export class SourceState {
  /** By location (URL or file path). */
  readonly articles = new Map<string, ArticleState>();
  readonly counts: SourceCounts = { polls: 0, versions: 0, unchanged: 0, variants: 0, rejected: 0, errors: 0 };
  readonly rejected: Record<RejectReason, number> = {
    empty: 0,
    'no-article': 0,
    'lost-most': 0,
    'pending-confirmation': 0,
  };
  lastPollAt?: number;
  lastSuccessAt?: number;
  lastChangeAt?: number;
  lastError?: SourceError & { readonly at: number };

  constructor(
    readonly index: number,
    readonly source: WatchSource,
    /** The cron expression it is polled on. */
    readonly cron: string,
  ) {}

  /** The article read from `location` (made on first use). */
  article(id: ArticleId, location: string): ArticleState {
    let a = this.articles.get(location);
    if (a === undefined) {
      a = { id, location };
      this.articles.set(location, a);
    }
    return a;
  }

  /** Counts what an ingest gave (`at`: now, the last change when it stored a version). */
  countOutcome(outcome: IngestOutcome, at: number): void {
    switch (outcome.status) {
      case 'new-version':
        this.counts.versions++;
        this.lastChangeAt = at;
        break;
      case 'unchanged':
        this.counts.unchanged++;
        break;
      case 'variant':
        this.counts.variants++;
        break;
      case 'rejected':
        this.countRejected(outcome.reason);
        break;
    }
  }

  countRejected(reason: RejectReason): void {
    this.counts.rejected++;
    this.rejected[reason]++;
  }

  /** Forgets the articles no longer in the feed or the folder (their versions stay in the store); returns them. */
  prune(current: readonly string[]): string[] {
    const keep = new Set(current);
    const gone = [...this.articles.keys()].filter((location) => !keep.has(location));
    for (const location of gone) this.articles.delete(location);
    return gone;
  }
}
