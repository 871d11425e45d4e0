/**
 * One article read becomes a version (or not): runs the ingest pipeline (ingest/ingest.ts) with the watcher's guard,
 * counts the outcome on the source, notes held changes, and logs what happened. Shared by every poller.
 */
import type { Logger } from 'pino';
import type { VersionOrigin } from '../core/model/version.js';
import { ingestVersion, type IngestOutcome } from '../ingest/ingest.js';
import type { IngestCompute } from '../ingest/work.js';
import type { SnapshotStore } from '../store/types.js';
import type { HeldChanges } from './held.js';
import type { WatchSettings } from './options.js';
import type { ArticlePollResult } from './report.js';
import type { ArticleState, SourceState } from './source-state.js';

/** What a poller read. */
export interface ArticleRead {
  readonly raw: Uint8Array;
  readonly contentType: string;
  /** The text when the poller decoded it already (web pages); else it is decoded with the rest of the work. */
  readonly text?: string;
  readonly origin: VersionOrigin;
  readonly fetchedAt: number;
}

export interface ArticleIngesterDeps {
  readonly store: SnapshotStore;
  /** Where parsing, extraction and diffing run (default: this thread). */
  readonly compute?: IngestCompute | undefined;
  readonly held: HeldChanges;
  readonly settings: Pick<WatchSettings, 'variantWindow' | 'minArticleChars'>;
  readonly logger: Logger;
  readonly now: () => number;
}

function resultOf(a: ArticleState, outcome: IngestOutcome): ArticlePollResult {
  const base = { article: a.id, location: a.location };
  switch (outcome.status) {
    case 'new-version':
      return { ...base, outcome: 'new-version', version: outcome.meta.version, detail: outcome.meta.summary };
    case 'unchanged':
      return { ...base, outcome: 'unchanged', version: outcome.version };
    case 'variant':
      return { ...base, outcome: 'variant', version: outcome.of };
    case 'rejected':
      return { ...base, outcome: 'rejected', reason: outcome.reason, detail: outcome.detail };
  }
}

export class ArticleIngester {
  constructor(private readonly deps: ArticleIngesterDeps) {}

  async ingest(source: SourceState, a: ArticleState, read: ArticleRead): Promise<ArticlePollResult> {
    const { store, compute, held, settings, now } = this.deps;
    const outcome = await ingestVersion(
      { store, ...(compute !== undefined ? { compute } : {}) },
      {
        article: a.id,
        raw: read.raw,
        contentType: read.contentType,
        ...(read.text !== undefined ? { text: read.text } : {}),
        origin: read.origin,
        fetchedAt: new Date(read.fetchedAt).toISOString(),
      },
      {
        variantWindow: settings.variantWindow,
        minArticleChars: settings.minArticleChars,
        guard: held.guard,
        now,
      },
    );
    source.countOutcome(outcome, now());
    held.noteRead(a.id, read.fetchedAt);
    const result = resultOf(a, outcome);
    a.lastOutcome = result.outcome;
    a.lastDetail = result.detail;
    this.log(source, a, outcome);
    return result;
  }

  private log(source: SourceState, a: ArticleState, outcome: IngestOutcome): void {
    const log = this.deps.logger.child({ source: source.index, article: a.id });
    if (outcome.status === 'new-version') {
      log.info(
        { version: outcome.meta.version, kind: outcome.meta.kind, event: outcome.event.id },
        outcome.meta.summary,
      );
    } else if (outcome.status === 'rejected') {
      log.warn({ reason: outcome.reason }, `no version: ${outcome.detail}`);
    } else {
      log.debug({ outcome: outcome.status }, 'no change');
    }
  }
}
