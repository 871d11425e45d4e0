/**
 * The interchange format, shared by export.ts, schema.ts, validate.ts and import.ts. Moving a history between machines: the `wirediff.export/2` JSON-lines format, written by `wirediff export` and read
 * by `wirediff import` (which still reads `wirediff.export/1` files: the same without variants lines).
 *
 * The file is one JSON value per line:
 * 1. a header `{ "type": "wirediff-export", "schema": "wirediff.export/2", "exportedAt", "articles": n }`;
 * 2. every version of every exported article, oldest first per article:
 *    `{ "type": "version", "meta", "article", "changes", "raw": base64, "contentType" }`, followed (for an article
 *    whose known variants were seen again) by `{ "type": "variants", "article", "seen": n }`: the article's
 *    `variantsSeen` counter (absent means 0);
 * 3. the events of those articles, oldest first: `{ "type": "event", ...ChangeEvent }`.
 *
 * Import checks the whole file before it writes anything (every line, the version numbering, the raw bytes against
 * their sha256, the events against the versions). Versions keep their numbers, times and origins; events keep their
 * times and get new ids from the receiving event log.
 *
 * Import stores each version the way the pipeline does, with its event in one step (`commitVersion`, the event at its
 * original time), in the order of the file's events (so ids follow the original order across articles): a crash
 * at any moment leaves no version without its event. A version the file has no event for (trimmed by retention) is
 * stored alone (`appendVersion`); an event beyond a version's first (an old repair's duplicate) is appended to the
 * log, rebuilt from the stored version.
 *
 * Import can be run again after it stopped part-way (a crash, a kill): an article whose stored versions are the
 * first versions of the file's (same numbers, raw and content hashes) is resumed from the next version, and an event
 * already in the log for the same article and version is not appended twice (one missing for a stored version, as
 * imports before December 2026 could leave, is added). An article whose stored history
 * differs from the file's is a conflict: refused (nothing written) unless asked to skip it. The variants counter is
 * restored with `SnapshotStore.recordVariant`, one sighting at a time, up to the file's count (see `recordVariants`).
 */
import type { Article } from '../../core/model/article.js';
import type { ChangeSet } from '../../core/model/changeset.js';
import type { ChangeEvent, NewChangeEvent } from '../../core/model/event.js';
import type { ArticleId, VersionMeta } from '../../core/model/version.js';

/** The schema `wirediff export` writes. */
export const EXPORT_SCHEMA = 'wirediff.export/2' as const;
/** The schema written before variants lines existed; still imported. */
export const EXPORT_SCHEMA_V1 = 'wirediff.export/1' as const;
/** The schemas `wirediff import` reads. */
export const READABLE_SCHEMAS: readonly string[] = [EXPORT_SCHEMA, EXPORT_SCHEMA_V1];
export const EXPORT_TYPE = 'wirediff-export' as const;

export interface ExportHeader {
  readonly type: typeof EXPORT_TYPE;
  readonly schema: typeof EXPORT_SCHEMA | typeof EXPORT_SCHEMA_V1;
  readonly exportedAt: string;
  readonly articles: number;
}

export interface ExportVersionLine {
  readonly type: 'version';
  readonly meta: VersionMeta;
  readonly article: Article;
  readonly changes: ChangeSet | null;
  /** The raw source bytes, base64. */
  readonly raw: string;
  readonly contentType: string;
}

/**
 * An article's known-variants counter (`ArticleSummary.variantsSeen`: how often a page equal to an earlier version
 * was seen again without making a version). Follows the article's last version line; written only when `seen` > 0.
 */
export interface ExportVariantsLine {
  readonly type: 'variants';
  readonly article: ArticleId;
  readonly seen: number;
}

export type ExportEventLine = { readonly type: 'event' } & ChangeEvent;

/** Progress of a long export or import: `done` of `total` versions. */
export interface HistoryProgress {
  readonly done: number;
  readonly total: number;
  readonly article: ArticleId;
}

/** One checked version line, ready to store. */
export interface ImportedVersion {
  readonly meta: VersionMeta;
  readonly article: Article;
  readonly changes: ChangeSet | null;
  readonly raw: Uint8Array;
  readonly contentType: string;
}

/** One article's history as read from an export, checked and ready to append. */
export interface ImportedArticle {
  readonly id: ArticleId;
  /** How many versions the file holds (`versions` is empty when the file was read without keeping them). */
  readonly count: number;
  /** Per version (index 0 is version 1), what tells one version from another; kept even without `versions`. */
  readonly identities: readonly VersionIdentity[];
  /** The article's variants counter from the file (0 when the file has no variants line for it). */
  readonly variantsSeen: number;
  readonly versions: readonly ImportedVersion[];
  readonly events: readonly NewChangeEvent[];
}

export interface VersionIdentity {
  readonly rawHash: string;
  readonly contentHash: string;
  /** Where the version's line is in the file: its index among the non-empty lines (0 is the header). */
  readonly line: number;
}

/** An event of the file, in file order, without its content (rebuilt from its version on import). */
export type ExportEventRef = Pick<ChangeEvent, 'article' | 'version' | 'at'>;

/** An export file as read and checked: its header, its articles with their versions, and its events in order. */
export interface ParsedExport {
  readonly header: ExportHeader;
  readonly articles: readonly ImportedArticle[];
  /** Events in file order (each names an article of `articles`); empty when read without keeping them. */
  readonly events: readonly NewChangeEvent[];
  /** Every event of the file, in file order, as article, version and time: kept even without `events`. */
  readonly eventRefs: readonly ExportEventRef[];
  readonly eventCount: number;
}
