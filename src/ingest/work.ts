/**
 * The CPU-heavy half of ingesting one read of an article: decode the bytes (when no text is given), extract the
 * article, hash it, and, against the latest stored version, diff it and measure it for the false-version guard.
 * Plain data in, plain data out (structured-clonable), no I/O: it runs on a worker thread (pool.ts) or, where no
 * worker is available, in the calling thread (`inThreadCompute`). The store lookups and the commit stay with the
 * caller (ingest/ingest.ts), which hands this the latest version's article.
 */
import { contentHash, parseArticle } from '../core/extract/index.js';
import { diffVersions } from '../core/diff/index.js';
import { isWirediffError } from '../core/errors.js';
import type { Article } from '../core/model/article.js';
import type { ChangeSet } from '../core/model/changeset.js';
import { decodeBody } from '../sources/charset.js';
import { decodeStoredArticle } from '../lib/encoded-json.js';
import { guardMetrics, type GuardMetrics } from './guard.js';
import { DEFAULT_MIN_ARTICLE_CHARS } from './defaults.js';

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

/** Parses the text into an Article, or says why it is not one (`minChars`: see defaults.ts). */
export function extract(
  input: { readonly text: string; readonly contentType: string; readonly origin: { readonly location?: string } },
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

export interface IngestWorkTask {
  readonly raw: Uint8Array;
  readonly contentType: string;
  /** The decoded text of `raw`; decoded here (charset sniffing) when absent. */
  readonly text?: string;
  /** The source's location (a URL resolves relative links). */
  readonly location?: string;
  readonly minChars: number;
  /** The latest stored version's article: the candidate is diffed and measured against it. */
  readonly previous?: Article;
  /**
   * The same article as the store's documents encode it (`encodeStoredArticle`), sent instead of `previous` when the
   * caller has it: bytes cost next to nothing to hand to a worker, where the objects of a 2 MB article cost the event
   * loop 10 ms and more to serialise. Decoded here, off the event loop.
   */
  readonly previousJson?: Uint8Array;
  /** The latest stored version's content hash: no diff is made for content equal to it. */
  readonly previousHash?: string;
}

export type IngestWorkResult =
  | { readonly ok: false; readonly reason: 'empty' | 'no-article'; readonly detail: string }
  | {
      readonly ok: true;
      readonly article: Article;
      readonly hash: string;
      /** Against `previous`; null without one, or when the content equals it. */
      readonly changes: ChangeSet | null;
      readonly metrics: GuardMetrics;
    };

/** What the pool's worker answers: the result, and when it is a new article, its JSON and its ChangeSet's, encoded. */
export type IngestWorkerResult =
  | IngestWorkResult
  | (Extract<IngestWorkResult, { ok: true }> & {
      readonly encoded: { readonly article: Uint8Array; readonly changes: Uint8Array | null };
    });

/** The work itself (what a pool worker runs). Throws only for faults of the extractor, never for bad input. */
export function runIngestWork(task: IngestWorkTask): IngestWorkResult {
  const text = task.text ?? decodeBody(task.raw, task.contentType).text;
  const extracted = extract(
    { text, contentType: task.contentType, origin: task.location !== undefined ? { location: task.location } : {} },
    task.minChars,
  );
  if ('reason' in extracted) return { ok: false, reason: extracted.reason, detail: extracted.detail };
  const { article } = extracted;
  const hash = contentHash(article);
  const same = task.previousHash === hash;
  const previous =
    task.previous ?? (task.previousJson !== undefined ? decodeStoredArticle(task.previousJson) : undefined);
  return {
    ok: true,
    article,
    hash,
    changes: previous === undefined || same ? null : diffVersions(previous, article),
    metrics: guardMetrics(same ? undefined : previous, article),
  };
}

/** Where the ingest work runs: a worker pool (pool.ts) or the calling thread. */
export interface IngestCompute {
  run(task: IngestWorkTask): Promise<IngestWorkResult>;
}

/** The work in the calling thread (tests, one-shot commands, no worker file). */
export const inThreadCompute: IngestCompute = {
  run: (task) => Promise.resolve().then(() => runIngestWork(task)),
};
