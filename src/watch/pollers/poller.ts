/**
 * The one small interface every source kind is polled through (page.ts, feed.ts, file.ts, folder.ts), and what
 * the watcher gives its pollers to work with.
 */
import type { Logger } from 'pino';
import type { ArticleId } from '../../core/model/version.js';
import { articleIdFor } from '../../sources/index.js';
import type { LeaseManager } from '../../store/leases.js';
import type { SnapshotStore } from '../../store/types.js';
import type { ArticleIngester } from '../article-ingest.js';
import type { LimitFunction } from 'p-limit';
import type { HeldChanges } from '../held.js';
import type { HostGate } from '../host-gate.js';
import type { ArticleClaims } from '../id-claims.js';
import type { FetchSettings, WatchSettings } from '../options.js';
import type { ArticlePollResult } from '../report.js';
import type { SourceState } from '../source-state.js';

export interface SourcePoller {
  /** The article id the source names itself (url and file sources), which `findSources` answers to. */
  readonly ownId: ArticleId | undefined;
  /**
   * Before the first poll: claims the article ids of the locations the source names (`explicitOnly`: only an id the
   * config gives, which goes before every derived one). A store or folder that cannot be read is left for the poll.
   */
  claim(explicitOnly: boolean): Promise<void>;
  /**
   * Reads the source once (`force`: every article, whatever its schedule tier or its host's back-off says), adding
   * each article's result to `results` as it comes (a poll that fails halfway keeps what it read). Throws when the
   * source itself fails (a feed fetch, a folder listing, a file source's read, a page's 429/5xx).
   */
  poll(force: boolean, results: ArticlePollResult[]): Promise<void>;
  /** When a scheduled poll at `now` must wait for the source's host (a feed's host backing off): until when. */
  heldUntil(now: number): number | undefined;
}

/** What the pollers of one watcher share. */
export interface PollContext {
  readonly watch: WatchSettings;
  readonly fetch: FetchSettings;
  readonly store: SnapshotStore;
  readonly logger: Logger;
  readonly now: () => number;
  /** Bounds the fetches and file reads in flight across sources. */
  readonly slots: LimitFunction;
  /** Hosts backing off after a 429 or 5xx. */
  readonly hosts: HostGate;
  /** Aborted by `close()`. */
  readonly signal: AbortSignal;
  readonly claims: ArticleClaims;
  readonly ingester: ArticleIngester;
  readonly held: HeldChanges;
  /** Work sharing on a shared store (absent or not `shared`: this process polls alone). */
  readonly leases?: LeaseManager | undefined;
  /** True once the watcher is closing: a poll reading many articles stops between two. */
  readonly closed: () => boolean;
  /** True once close() has aborted the fetches in flight: a failure now is the abort, not the source's fault. */
  readonly stopping: () => boolean;
}

/** A source of the one article it names itself (a url or a file source): it claims that article's id. */
export abstract class OneArticlePoller implements SourcePoller {
  readonly ownId: ArticleId;

  constructor(
    protected readonly ctx: PollContext,
    protected readonly state: SourceState,
    /** The URL or path. */
    protected readonly location: string,
    /** The id the config gives, if any (else derived from the location). */
    private readonly explicitId: ArticleId | undefined,
    /** A local file (the store's latest version may name another file that owns the id). */
    private readonly local: boolean,
  ) {
    this.ownId = explicitId ?? articleIdFor(location);
  }

  async claim(explicitOnly: boolean): Promise<void> {
    if (explicitOnly && this.explicitId === undefined) return;
    await this.ctx.claims.refusal(this.ownId, this.location, this.local);
  }

  abstract poll(force: boolean, results: ArticlePollResult[]): Promise<void>;

  heldUntil(): undefined {
    return undefined;
  }
}
