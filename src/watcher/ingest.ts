/**
 * The versioning pipeline, shared by the watcher, `wirediff ingest` and the API's POST:
 * parse → hash → compare with the latest and the last N versions → guard → diff (once) → append the version
 * and publish its event in one step (`commitVersion`: optimistic, `expectedLatest`, one retry on E_CONFLICT).
 *
 * Expected misses (unchanged, a variant, a refused page) are outcomes, not errors. Faults of the store throw.
 */
import { contentHash, parseArticle } from '../core/article/index.js';
import { diffVersions } from '../core/diff/index.js';
import { isWirediffError, WirediffError } from '../core/errors.js';
import type { Article } from '../core/model/article.js';
import type { ChangeEvent } from '../core/model/event.js';
import type { ArticleId, VersionMeta, VersionOrigin } from '../core/model/version.js';
import { isReservedArticleId } from '../sources/article-id.js';
import type { SnapshotStore } from '../store/types.js';
import { bigramSimilarity, clearPending, createGuardState, judge, wordCount, type GuardState } from './guard.js';

export interface IngestDeps {
  readonly store: SnapshotStore;
}

export interface IngestInput {
  readonly article: ArticleId;
  /** The raw source bytes, stored as they are. */
  readonly raw: Uint8Array;
  readonly contentType: string;
  /** The decoded text of `raw`. */
  readonly text: string;
  readonly origin: VersionOrigin;
  /** ISO 8601 time the source was read. */
  readonly fetchedAt: string;
}

/**
 * The default smallest article worth a version, in characters of article text (paragraphs, whitespace collapsed,
 * the title not counted): a 3-byte page ("Hi.") or an error stub is not a first version. `watch.minArticleChars`.
 */
export const DEFAULT_MIN_ARTICLE_CHARS = 25;

export interface IngestOptions {
  /** Content equal to one of the last N versions is a variant, not a new version. */
  readonly variantWindow: number;
  /** Articles with fewer characters of text than this are refused (`no-article`); default DEFAULT_MIN_ARTICLE_CHARS. */
  readonly minArticleChars?: number;
  /** The false-version guard's state (the watcher's polls): held candidates are stored once a second poll agrees. */
  readonly guard?: GuardState;
  /**
   * A pushed version (`wirediff ingest`, the API's POST), which no second poll can confirm: what the guard would hold
   * (an extraction that lost most of the article, a drastic change) or refuse (a bot wall, a consent page) is refused,
   * unless `force` (the pusher confirming it). Without `guard` or `push`, only empty pages and non-articles are refused.
   */
  readonly push?: { readonly force?: boolean };
  /** The clock for the event's `at` (defaults to the system clock). */
  readonly now?: () => number;
}

export type RejectReason = 'empty' | 'no-article' | 'lost-most' | 'pending-confirmation';

export type IngestOutcome =
  | {
      readonly status: 'new-version';
      readonly meta: VersionMeta;
      readonly event: ChangeEvent;
      readonly confirmed: boolean;
    }
  | { readonly status: 'unchanged'; readonly version: number }
  | { readonly status: 'variant'; readonly of: number }
  | { readonly status: 'rejected'; readonly reason: RejectReason; readonly detail: string };

/** How a content type maps onto the extractor's input format. */
export function formatFor(contentType: string): 'text' | 'html' | 'auto' {
  const t = contentType.toLowerCase();
  if (t.includes('html') || t.includes('xml')) return 'html';
  if (t.startsWith('text/plain') || t.startsWith('text/markdown')) return 'text';
  return 'auto';
}

/** Characters of article text: the paragraphs, whitespace collapsed, without the title. */
export function articleChars(article: Article): number {
  let n = 0;
  for (const p of article.paragraphs) n += p.text.replace(/\s+/g, ' ').trim().length;
  return n;
}

/** Parses the text into an Article, or says why it is not one (`minChars`: see IngestOptions.minArticleChars). */
export function extract(
  input: Pick<IngestInput, 'text' | 'contentType' | 'origin'>,
  minChars = DEFAULT_MIN_ARTICLE_CHARS,
): { article: Article } | { reason: 'empty' | 'no-article'; detail: string } {
  if (input.text.trim() === '') return { reason: 'empty', detail: 'the body is empty' };
  try {
    const article = parseArticle({
      body: input.text,
      format: formatFor(input.contentType),
      ...(input.origin.location !== undefined && /^https?:/.test(input.origin.location)
        ? { url: input.origin.location }
        : {}),
    });
    if (article.paragraphs.length === 0) return { reason: 'no-article', detail: 'no article text was found' };
    const chars = articleChars(article);
    if (chars < minChars) {
      return {
        reason: 'no-article',
        detail: `the article text is ${chars} characters, fewer than watch.minArticleChars (${minChars})`,
      };
    }
    return { article };
  } catch (err) {
    if (isWirediffError(err, 'E_INPUT_EMPTY')) return { reason: 'empty', detail: err.message };
    if (
      isWirediffError(err, 'E_NO_ARTICLE') ||
      isWirediffError(err, 'E_INPUT_BINARY') ||
      isWirediffError(err, 'E_INPUT_TOO_LARGE')
    ) {
      return { reason: 'no-article', detail: err.message };
    }
    throw err;
  }
}

/** What the guard would hold or refuse in a pushed version, as a refusal that says how to store it anyway. */
function pushRefusal(previous: Article, candidate: Article, hash: string): IngestOutcome | undefined {
  const verdict = judge(createGuardState(), { article: 'push', previous, candidate, candidateHash: hash });
  if (verdict.action === 'accept') return undefined;
  if (verdict.action === 'reject') return { status: 'rejected', reason: verdict.reason, detail: verdict.detail };
  const was = wordCount(previous);
  const now = wordCount(candidate);
  const what =
    verdict.reason === 'lost-most'
      ? `it keeps ${now} of the latest version's ${was} words (it looks like a cut or failed extraction)`
      : `it shares almost nothing with the latest version (word-pair similarity ${bigramSimilarity(previous, candidate).toFixed(2)}): a different story?`;
  return {
    status: 'rejected',
    reason: verdict.reason,
    detail: `${what}; push it again with force (wirediff ingest --force, or ?force=1) to store it anyway`,
  };
}

/** Runs the versioning pipeline for one read of an article. */
export async function ingestVersion(
  deps: IngestDeps,
  input: IngestInput,
  options: IngestOptions,
): Promise<IngestOutcome> {
  const { store } = deps;
  const id = input.article;
  if (isReservedArticleId(id)) {
    throw new WirediffError(
      'E_BAD_ARTICLE_ID',
      `"${id}" is not an article id: it is reserved for the combined feed (feeds/${id}.xml); choose another id`,
    );
  }
  const extracted = extract(input, options.minArticleChars);
  if ('reason' in extracted) {
    if (options.guard) clearPending(options.guard, id);
    return { status: 'rejected', reason: extracted.reason, detail: extracted.detail };
  }
  const { article } = extracted;
  const hash = contentHash(article);

  for (let attempt = 0; ; attempt++) {
    // Every attempt judges the candidate against the latest version it would follow: after an E_CONFLICT another
    // version came first, and a verdict made against the one before it no longer holds.
    let confirmed = false;
    const latest = await store.getLatest(id);
    if (latest !== undefined) {
      if (latest.meta.contentHash === hash) {
        if (options.guard) clearPending(options.guard, id);
        return { status: 'unchanged', version: latest.meta.version };
      }
      const window = Math.max(1, options.variantWindow);
      const versions = await store.listVersions(id);
      const recent = versions.slice(-window).reverse();
      const known = recent.find((m) => m.contentHash === hash);
      if (known !== undefined) {
        await store.recordVariant(id, known.version, input.fetchedAt);
        if (options.guard) clearPending(options.guard, id);
        return { status: 'variant', of: known.version };
      }
    }
    const pushChecked = options.push !== undefined && options.push.force !== true && latest !== undefined;
    if (pushChecked) {
      const refusal = pushRefusal(latest.article, article, hash);
      if (refusal !== undefined) return refusal;
    }
    if (options.guard && !pushChecked) {
      const verdict = judge(options.guard, {
        article: id,
        previous: latest?.article,
        candidate: article,
        candidateHash: hash,
      });
      if (verdict.action !== 'accept') return { status: 'rejected', reason: verdict.reason, detail: verdict.detail };
      confirmed = verdict.confirmed;
    }

    const changes = latest === undefined ? null : diffVersions(latest.article, article);
    const now = options.now ?? Date.now;
    let committed;
    try {
      committed = await store.commitVersion(
        {
          article: id,
          fetchedAt: input.fetchedAt,
          origin: input.origin,
          contentType: input.contentType,
          raw: input.raw,
          parsed: article,
          contentHash: hash,
          changes,
          expectedLatest: latest?.meta.version ?? 0,
        },
        { at: new Date(now()).toISOString() },
      );
    } catch (err) {
      if (attempt === 0 && isWirediffError(err, 'E_CONFLICT')) continue;
      throw err;
    }
    const { meta, event } = committed;
    return { status: 'new-version', meta, event, confirmed };
  }
}
