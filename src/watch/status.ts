/** Builds the status document (status-file.ts says its format) from what the watcher's sources know. */
import type { Backoff } from './backoff.js';
import { sourceLocator } from './options.js';
import { iso } from './report.js';
import type { SourceState } from './source-state.js';
import {
  STATUS_SCHEMA,
  type ArticleStatus,
  type PendingConfirmation,
  type SourceStatus,
  type WatcherStatus,
} from './status-file.js';

/** What a source's state alone does not say: whether it polls now, its back-off, its next cron tick. */
export interface SourceLiveState {
  readonly busy: boolean;
  readonly backoff: Backoff;
  readonly nextRun: number | undefined;
  readonly now: number;
}

export function sourceStatus(state: SourceState, live: SourceLiveState): SourceStatus {
  const backoffUntil = live.backoff.until;
  // A url source fetches its one article only when the article's tier says so (at a cron tick from then on).
  const articleNext = state.source.kind === 'url' ? [...state.articles.values()][0]?.nextPollAt : undefined;
  const candidates = [live.nextRun, backoffUntil, articleNext].filter((x): x is number => x !== undefined);
  const next = candidates.length > 0 ? Math.max(...candidates) : undefined;
  const articles: ArticleStatus[] = [...state.articles.values()].map((a) => ({
    id: a.id,
    location: a.location,
    ...(a.tier !== undefined ? { tier: a.tier } : {}),
    ...(a.lastPollAt !== undefined ? { lastPollAt: iso(a.lastPollAt) } : {}),
    ...(a.nextPollAt !== undefined ? { nextPollAt: iso(Math.max(a.nextPollAt, next ?? 0)) } : {}),
    ...(a.lastOutcome !== undefined ? { lastOutcome: a.lastOutcome } : {}),
    ...(a.lastDetail !== undefined ? { lastDetail: a.lastDetail } : {}),
  }));
  const lastError = state.lastError;
  return {
    index: state.index,
    kind: state.source.kind,
    locator: sourceLocator(state.source),
    schedule: state.cron,
    state: live.busy ? 'polling' : live.backoff.holds(live.now) ? 'backoff' : 'idle',
    ...(state.lastPollAt !== undefined ? { lastPollAt: iso(state.lastPollAt) } : {}),
    ...(state.lastSuccessAt !== undefined ? { lastSuccessAt: iso(state.lastSuccessAt) } : {}),
    ...(state.lastChangeAt !== undefined ? { lastChangeAt: iso(state.lastChangeAt) } : {}),
    ...(next !== undefined ? { nextPollAt: iso(next) } : {}),
    ...(backoffUntil !== undefined ? { backoffUntil: iso(backoffUntil) } : {}),
    consecutiveFailures: live.backoff.failures,
    ...(lastError ? { lastError: { ...lastError, at: iso(lastError.at)! } } : {}),
    counts: { ...state.counts },
    rejected: { ...state.rejected },
    articles,
  };
}

export function watcherStatus(parts: {
  readonly startedAt: number;
  readonly now: number;
  readonly running: boolean;
  readonly sources: readonly SourceStatus[];
  readonly pending: Record<string, PendingConfirmation> | undefined;
}): WatcherStatus {
  return {
    schema: STATUS_SCHEMA,
    pid: process.pid,
    startedAt: iso(parts.startedAt)!,
    updatedAt: iso(parts.now)!,
    running: parts.running,
    sources: parts.sources,
    ...(parts.pending !== undefined ? { pending: parts.pending } : {}),
  };
}
