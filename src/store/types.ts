/**
 * The storage interfaces. They assume nothing about living in one process: every call is async and
 * self-contained, so a Redis- or PostgreSQL-backed implementation can plug in beside the file one.
 * `app.ts` and `cli/` pick the implementation; nothing else names a concrete class.
 */
import type { Article } from '../core/model/article.js';
import type { ChangeSet } from '../core/model/changeset.js';
import type { ChangeEvent, NewChangeEvent } from '../core/model/event.js';
import type { ArticleId, ArticleSummary, StoredVersion, VersionMeta, VersionOrigin } from '../core/model/version.js';

/** What a caller hands the store to keep a new version. The store assigns the version number. */
export interface NewVersion {
  readonly article: ArticleId;
  readonly fetchedAt: string;
  readonly origin: VersionOrigin;
  readonly contentType: string;
  readonly raw: Uint8Array;
  readonly parsed: Article;
  readonly contentHash: string;
  /** Against the current latest version (null when this is the first). */
  readonly changes: ChangeSet | null;
  /**
   * The version number the caller diffed against (0 for none). When another writer appended meanwhile,
   * `appendVersion` rejects with code `E_CONFLICT` and stores nothing.
   */
  readonly expectedLatest: number;
}

/** A version kept and its change event published, by `commitVersion`. */
export interface CommittedVersion {
  readonly meta: VersionMeta;
  readonly event: ChangeEvent;
}

export interface RawSource {
  readonly contentType: string;
  readonly bytes: Uint8Array;
}

export interface SnapshotStore {
  listArticles(): Promise<ArticleSummary[]>;
  getArticle(id: ArticleId): Promise<ArticleSummary | undefined>;
  listVersions(id: ArticleId): Promise<VersionMeta[]>;
  /** `n` is 1-based; undefined when there is no such version. */
  getVersion(id: ArticleId, n: number): Promise<StoredVersion | undefined>;
  getLatest(id: ArticleId): Promise<StoredVersion | undefined>;
  getRaw(id: ArticleId, n: number): Promise<RawSource | undefined>;
  /** Atomically and durably keeps a new version; resolves only once it is on disk (acknowledged). */
  appendVersion(v: NewVersion): Promise<VersionMeta>;
  /**
   * Keeps a new version and publishes its change event (headline, kind, summary, significance and ChangeSet from the
   * version, time `event.at`) to the event log this store was opened with, as one step: once it resolves both are
   * durable, and a crash at any moment leaves both or neither. Readers and subscribers of the log see events in id
   * order: at once, or, while a commit with an earlier id is still writing, right after it. This is how the
   * versioning pipeline stores versions; `appendVersion` is for histories whose events come from elsewhere (imports).
   */
  commitVersion(v: NewVersion, event: { readonly at: string }): Promise<CommittedVersion>;
  /** Records that an already-known variant (equal to version `n`) was seen again at `at`. */
  recordVariant(id: ArticleId, n: number, at: string): Promise<void>;
  /**
   * Replaces the derived data of a version after re-extraction (article, ChangeSet, summary, and the content hash,
   * which follows the extraction so that the same page read again compares equal); never the raw source.
   */
  replaceDerived(id: ArticleId, n: number, parsed: Article, changes: ChangeSet | null): Promise<VersionMeta>;
  /** Idempotent. */
  close(): Promise<void>;
}

export interface EventLog {
  /** Appends durably and resolves with the event as stored (id assigned). */
  append(e: NewChangeEvent): Promise<ChangeEvent>;
  /** Events with id > `afterId`, oldest first, at most `limit`. */
  readAfter(afterId: number, limit?: number): Promise<ChangeEvent[]>;
  /** The newest events, oldest first, at most `limit` (for feeds). */
  readLatest(limit: number, article?: ArticleId): Promise<ChangeEvent[]>;
  /** The oldest id still retained (0 when empty) and the newest id (0 when empty). */
  bounds(): Promise<{ readonly first: number; readonly last: number }>;
  /**
   * For each article with a retained event, the version its newest event (by id) is for: what `readLatest(1, article)`
   * gives, for every article in one read. Optional: a log that answers `readLatest` from memory (the file log) need
   * not have it; a remote one (PostgreSQL) has it so that a start-up check costs one query, not one per article.
   */
  lastEventVersions?(): Promise<ReadonlyMap<ArticleId, number>>;
  /** Called after each append made through this log instance (or seen from another writer, where supported). */
  subscribe(listener: (e: ChangeEvent) => void): () => void;
  /** Idempotent. */
  close(): Promise<void>;
}
