/**
 * The versioning pipeline, shared by the watcher, `wirediff ingest` and the API's POST:
 * parse → hash → compare with the latest and the last N versions → guard → diff (once) → append the version
 * and publish its event in one step (`commitVersion`: optimistic, `expectedLatest`, one retry on E_CONFLICT).
 *
 * The CPU-heavy steps (decode, parse, hash, diff, the guard's measures) run through `deps.compute` (a worker pool,
 * src/ingest/pool.ts, in the server and the watcher; the calling thread by default); the store lookups, the guard's
 * verdict and the commit stay here.
 *
 * Expected misses (unchanged, a variant, a refused page) are outcomes, not errors. Faults of the store throw.
 */
import { isWirediffError, WirediffError } from '../core/errors.js';
import type { Article } from '../core/model/article.js';
import type { ChangeEvent } from '../core/model/event.js';
import type { ArticleId, VersionMeta, VersionOrigin } from '../core/model/version.js';
import { DEFAULT_MIN_ARTICLE_CHARS as DEFAULT_MIN_CHARS } from './defaults.js';
import { inThreadCompute, type IngestCompute } from './work.js';
import { isReservedArticleId } from '../sources/article-id.js';
import type { SnapshotStore } from '../store/types.js';
import { clearPending, createGuardState, judge, type GuardMetrics, type GuardState } from './guard.js';

export { formatFor } from './work.js';

export interface IngestDeps {
  readonly store: SnapshotStore;
  /** Where parsing, extraction and diffing run (default: the calling thread). */
  readonly compute?: IngestCompute;
}

export interface IngestInput {
  readonly article: ArticleId;
  /** The raw source bytes, stored as they are. */
  readonly raw: Uint8Array;
  readonly contentType: string;
  /** The decoded text of `raw`; when absent, `raw` is decoded (charset sniffing) with the rest of the work. */
  readonly text?: string;
  readonly origin: VersionOrigin;
  /** ISO 8601 time the source was read. */
  readonly fetchedAt: string;
}

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

/** What the guard would hold or refuse in a pushed version, as a refusal that says how to store it anyway. */
function pushRefusal(
  previous: Article,
  candidate: Article,
  hash: string,
  metrics: GuardMetrics,
): IngestOutcome | undefined {
  const verdict = judge(createGuardState(), { article: 'push', previous, candidate, candidateHash: hash, metrics });
  if (verdict.action === 'accept') return undefined;
  if (verdict.action === 'reject') return { status: 'rejected', reason: verdict.reason, detail: verdict.detail };
  const what =
    verdict.reason === 'lost-most'
      ? `it keeps ${metrics.candidateWords} of the latest version's ${metrics.previousWords} words (it looks like a cut or failed extraction)`
      : `it shares almost nothing with the latest version (word-pair similarity ${metrics.similarity.toFixed(2)}): a different story?`;
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
  const compute = deps.compute ?? inThreadCompute;

  for (let attempt = 0; ; attempt++) {
    // Every attempt works against the latest version it would follow: after an E_CONFLICT another version came
    // first, and a diff or guard verdict made against the one before it no longer holds.
    const latest = await store.getLatest(id);
    const work = await compute.run({
      raw: input.raw,
      contentType: input.contentType,
      ...(input.text !== undefined ? { text: input.text } : {}),
      ...(input.origin.location !== undefined ? { location: input.origin.location } : {}),
      minChars: options.minArticleChars ?? DEFAULT_MIN_CHARS,
      ...(latest !== undefined ? { previous: latest.article, previousHash: latest.meta.contentHash } : {}),
    });
    if (!work.ok) {
      if (options.guard) clearPending(options.guard, id);
      return { status: 'rejected', reason: work.reason, detail: work.detail };
    }
    const { article, hash, metrics } = work;
    let confirmed = false;
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
      const refusal = pushRefusal(latest.article, article, hash, metrics);
      if (refusal !== undefined) return refusal;
    }
    if (options.guard && !pushChecked) {
      const verdict = judge(options.guard, {
        article: id,
        previous: latest?.article,
        candidate: article,
        candidateHash: hash,
        metrics,
      });
      if (verdict.action !== 'accept') return { status: 'rejected', reason: verdict.reason, detail: verdict.detail };
      confirmed = verdict.confirmed;
    }

    const changes = work.changes;
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
