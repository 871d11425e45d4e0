/**
 * One web article (a url source's page, a feed's link): fetched when its schedule tier says it is due (or forced),
 * with a conditional GET against what was stored, deferred while its host backs off, then ingested. With a shared
 * store it is polled only under its lease, starting from what the last poller recorded.
 */
import type { ArticleId } from '../../core/model/version.js';
import { fetchDocument, type FetchOptions, type FetchResult } from '../../sources/index.js';
import type { PendingCandidate } from '../../ingest/guard.js';
import { HttpStatusError } from '../failure.js';
import { fetchOptionsFor } from '../options.js';
import { iso, type ArticlePollResult } from '../report.js';
import { isDue, nextPollAt } from '../schedule.js';
import type { ArticleState, SourceState } from '../source-state.js';
import type { PollContext } from './poller.js';

/** What watchers sharing a store record about a web article after polling it (under its lease). */
interface SharedArticleState {
  readonly lastPollAt?: number;
  readonly etag?: string;
  readonly lastModified?: string;
  readonly held?: PendingCandidate;
  readonly heldSince?: number;
}

/**
 * Polls the web article `id` at `url` for `source` (a url or feed source). Throws HttpStatusError for a non-2xx
 * answer, and the fetch's errors. With a shared store, another watcher holding the article's lease means it is being
 * polled ('deferred'); a lease runs for the fetch timeout plus a minute, so the article of a watcher that died is
 * polled again after that at most.
 */
export async function pollWebArticle(
  ctx: PollContext,
  source: SourceState,
  url: string,
  id: ArticleId,
  force: boolean,
): Promise<ArticlePollResult> {
  const leases = ctx.leases;
  const a = source.article(id, url);
  if (leases === undefined || !leases.shared) return fetchArticle(ctx, source, a, force);
  const key = `article:${id}`;
  if (!(await leases.acquire(key, ctx.fetch.timeout + 60_000))) {
    return { article: id, location: url, outcome: 'deferred', detail: 'another watcher is polling it' };
  }
  try {
    const shared = await leases.readState<SharedArticleState>(key);
    if (shared?.lastPollAt !== undefined && shared.lastPollAt > (a.lastPollAt ?? 0)) {
      a.lastPollAt = shared.lastPollAt;
      if (shared.etag !== undefined) a.etag = shared.etag;
      else delete a.etag;
      if (shared.lastModified !== undefined) a.lastModified = shared.lastModified;
      else delete a.lastModified;
    }
    if (shared !== undefined) ctx.held.adopt(id, shared.held, shared.heldSince);
    const before = a.lastPollAt;
    try {
      return await fetchArticle(ctx, source, a, force);
    } finally {
      // Also after a failed fetch: the others then wait for the next due time instead of retrying at once.
      if (a.lastPollAt !== before) {
        const state: SharedArticleState = {
          ...(a.lastPollAt !== undefined ? { lastPollAt: a.lastPollAt } : {}),
          ...(a.etag !== undefined ? { etag: a.etag } : {}),
          ...(a.lastModified !== undefined ? { lastModified: a.lastModified } : {}),
          ...ctx.held.shareable(id),
        };
        await leases.writeState(key, state).catch((err: unknown) => {
          ctx.logger.warn({ err, article: id }, 'could not share the poll state with the other watchers');
        });
      }
    }
  } finally {
    await leases.release(key).catch(() => undefined);
  }
}

/** Fetches the web article `a` (when due, or forced) and ingests it, in this process. */
async function fetchArticle(
  ctx: PollContext,
  source: SourceState,
  a: ArticleState,
  force: boolean,
): Promise<ArticlePollResult> {
  const { id, location: url } = a;
  const refused = await ctx.claims.check(source, a, false);
  if (refused !== undefined) return refused;
  const summary = await ctx.store.getArticle(id);
  const timing = {
    now: ctx.now(),
    firstSeen: summary ? Date.parse(summary.firstSeen) : undefined,
    lastChange: summary ? Date.parse(summary.lastChange) : undefined,
    lastPoll: a.lastPollAt,
  };
  const tiers = ctx.watch.tiers;
  const due = nextPollAt(tiers, timing);
  a.tier = due.tier;
  if (!force && !isDue(due.at, timing.now, due.every)) {
    a.nextPollAt = due.at;
    return { article: id, location: url, outcome: 'not-due' };
  }
  const held = force ? undefined : ctx.hosts.heldUntil(url, timing.now);
  if (held !== undefined) {
    a.nextPollAt = Math.max(due.at, held.until);
    a.lastOutcome = 'deferred';
    a.lastDetail = `${held.host} is backing off until ${iso(held.until)}`;
    return { article: id, location: url, outcome: 'deferred', detail: a.lastDetail };
  }
  const s = source.source;
  const options: FetchOptions = {
    ...fetchOptionsFor(ctx.fetch, s.kind === 'url' || s.kind === 'feed' ? s.allowPrivateNetwork : undefined),
    signal: ctx.signal,
    now: ctx.now,
    ...(a.etag !== undefined ? { etag: a.etag } : {}),
    ...(a.lastModified !== undefined ? { lastModified: a.lastModified } : {}),
  };
  const fetchedAt = ctx.now();
  a.lastPollAt = fetchedAt;
  const res: FetchResult = await ctx.slots(() => fetchDocument(url, options));
  a.nextPollAt = nextPollAt(tiers, { ...timing, now: fetchedAt, lastPoll: fetchedAt }).at;
  if (res.notModified) {
    a.lastOutcome = 'not-modified';
    source.counts.unchanged++;
    return { article: id, location: url, outcome: 'not-modified' };
  }
  if (res.status < 200 || res.status > 299) {
    a.lastOutcome = 'error';
    throw new HttpStatusError(res.status, res.retryAfterMs, res.url);
  }
  const result = await ctx.ingester.ingest(source, a, {
    raw: res.bytes,
    contentType: res.contentType || 'text/html',
    text: res.text,
    origin: {
      kind: s.kind === 'feed' ? 'feed' : 'url',
      location: res.url,
      status: res.status,
      ...(res.etag !== undefined ? { etag: res.etag } : {}),
      ...(res.lastModified !== undefined ? { lastModified: res.lastModified } : {}),
    },
    fetchedAt,
  });
  keepValidators(a, res, result);
  if (result.outcome === 'new-version') {
    a.tier = nextPollAt(tiers, {
      now: fetchedAt,
      firstSeen: timing.firstSeen ?? fetchedAt,
      lastChange: fetchedAt,
    }).tier;
  }
  return result;
}

/** Conditional GET only against content we know: a held or refused page must be fetched in full next time. */
function keepValidators(a: ArticleState, res: FetchResult, result: ArticlePollResult): void {
  if (result.outcome === 'rejected') {
    delete a.etag;
    delete a.lastModified;
    return;
  }
  if (res.etag !== undefined) a.etag = res.etag;
  else delete a.etag;
  if (res.lastModified !== undefined) a.lastModified = res.lastModified;
  else delete a.lastModified;
}
