/**
 * A stored version of an article and its metadata, and the summary of a watched article.
 */
import type { Article } from './article.js';
import type { ChangeKind, ChangeSet } from './changeset.js';

/**
 * An article id: a slug (lower-case letters, digits, `-`, `_`, `.` not leading, 1–120 chars).
 * Checked by `isArticleId` wherever an id enters from outside; no id can name a path outside `snapshots/`.
 */
export type ArticleId = string;

export const ARTICLE_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,119}$/;

/** True when `id` is a valid article id (and so safe as a single path segment). */
export function isArticleId(id: unknown): id is ArticleId {
  return typeof id === 'string' && ARTICLE_ID_PATTERN.test(id) && !id.includes('..');
}

/** Where a version came from. */
export interface VersionOrigin {
  readonly kind: 'url' | 'feed' | 'file' | 'dir' | 'push' | 'import';
  /** The URL fetched (url/feed) or the file path (file/dir); absent for pushed versions. */
  readonly location?: string;
  /** HTTP status for fetched versions. */
  readonly status?: number;
  readonly etag?: string;
  readonly lastModified?: string;
}

export interface VersionMeta {
  readonly article: ArticleId;
  /** 1-based, consecutive per article. */
  readonly version: number;
  /** ISO 8601 time the source was read (passed in, never read from a clock in the core). */
  readonly fetchedAt: string;
  readonly origin: VersionOrigin;
  /** Content type of the raw source, e.g. `text/html; charset=utf-8` or `text/plain`. */
  readonly contentType: string;
  /** Byte length of the raw source. */
  readonly rawBytes: number;
  /** sha256 (hex) of the raw source bytes. */
  readonly rawHash: string;
  /** sha256 (hex) of the normalized article (title + normalized paragraphs): equal hashes mean the same content. */
  readonly contentHash: string;
  readonly extractor: string;
  readonly title: string;
  readonly paragraphs: number;
  /** The kind of change against the previous version (`initial` for version 1). */
  readonly kind: ChangeKind;
  readonly summary: string;
  readonly significance: number;
}

/** A version with its extracted article and the ChangeSet against the previous version (null for version 1). */
export interface StoredVersion {
  readonly meta: VersionMeta;
  readonly article: Article;
  readonly changes: ChangeSet | null;
}

/** A watched article at a glance. */
export interface ArticleSummary {
  readonly id: ArticleId;
  readonly title: string;
  readonly versions: number;
  readonly firstSeen: string;
  readonly lastChange: string;
  readonly lastKind: ChangeKind;
  readonly lastSummary: string;
  /** Significance of each version's change, oldest first (for sparklines). */
  readonly history: readonly {
    readonly version: number;
    readonly at: string;
    readonly kind: ChangeKind;
    readonly significance: number;
  }[];
  /** Times an already-known variant was seen again (A/B headlines, flip-flopping pages) without making a version. */
  readonly variantsSeen: number;
}

/**
 * The meta fields that follow from a version's extracted article and its ChangeSet (what `replaceDerived` replaces
 * after a re-extraction); every store derives them here.
 */
export function derivedMeta(
  n: number,
  parsed: Article,
  changes: ChangeSet | null,
): Pick<VersionMeta, 'extractor' | 'title' | 'paragraphs' | 'kind' | 'summary' | 'significance'> {
  const paragraphs = parsed.paragraphs.length;
  return {
    extractor: parsed.extractor,
    title: parsed.title,
    paragraphs,
    kind: n === 1 ? 'initial' : (changes?.kind ?? 'update'),
    summary: changes?.summary ?? `First version: ${paragraphs} paragraph${paragraphs === 1 ? '' : 's'}`,
    significance: changes?.significance ?? 1,
  };
}
