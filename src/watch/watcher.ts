/**
 * The watcher: polls every configured source on its cron schedule (node-cron) and, for dir/file sources, on file
 * changes (fs.watch, debounced); turns each read into a version through `ingestVersion`.
 *
 * - One poll at a time per source (`SingleFlight`), a bounded number of fetches/reads across sources (`p-limit`):
 *   a hanging source holds at most one slot, until its fetch timeout, and never blocks the others.
 * - Web articles are fetched when their schedule tier says they are due (fresh often, aging rarely); `pollNow`
 *   fetches regardless.
 * - 429/5xx/failed fetches back the source off exponentially with jitter, at least the server's Retry-After; a 429
 *   or 5xx also holds the host, so other sources defer their fetches from it until then (host-gate.ts).
 * - The status (per source: last poll, last change, errors, counts, next poll) is written atomically to
 *   `<storeDir>/status.json` after each poll, for `wirediff status` in another process. It also keeps the guard's
 *   held candidates, which the next watcher restores before its first poll (so `watch --once` from cron confirms
 *   a drastic change on its next run).
 * - One location per article id (id-claims.ts): a second file or URL with an id already watched (or stored from
 *   another file that still exists) is refused with an 'error' result naming the owner, logged once.
 */
import { watch as fsWatch, type FSWatcher } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { createTask, type ScheduledTask } from 'node-cron';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import { cronFor, sourceLocator, type Config, type SourceConfig } from '../config/config.js';
import { isWirediffError, WirediffError } from '../core/errors.js';
import { isArticleId, type ArticleId, type VersionOrigin } from '../core/model/version.js';
import {
  articleIdFor,
  defaultFetchOptions,
  fetchDocument,
  listArticleFiles,
  parseFeed,
  readFileSource,
  type FetchOptions,
  type FetchResult,
} from '../sources/index.js';
import type { EventLog, SnapshotStore } from '../store/types.js';
import type { LeaseManager } from '../store/leases.js';
import { SingleFlight } from './flight.js';
import { createGuardState, type GuardState, type PendingCandidate } from '../ingest/guard.js';
import type { IngestCompute } from '../ingest/work.js';
import { ingestVersion, type IngestOutcome, type RejectReason } from '../ingest/ingest.js';
import { reconcileEvents } from '../ingest/reconcile.js';
import { backoffDelay, isDue, nextPollAt } from './schedule.js';
import { HostGate } from './host-gate.js';
import { collisionDetail, IdClaims, storedElsewhere } from './id-claims.js';
import {
  pendingConfirmations,
  readStatusFile,
  STATUS_SCHEMA,
  writeStatusFile,
  type PendingConfirmation,
  type ArticleStatus,
  type PollOutcomeName,
  type SourceCounts,
  type SourceStatus,
  type WatcherStatus,
} from './status-file.js';

export type { WatcherStatus, SourceStatus, ArticleStatus } from './status-file.js';

export interface WatcherDeps {
  readonly store: SnapshotStore;
  readonly log: EventLog;
  readonly logger: Logger;
  /** The clock (ms since the epoch); defaults to Date.now. */
  readonly now?: () => number;
  /** Jitter source for back-off, in [0, 1); defaults to Math.random (tests pass `seededRandom(n)`). */
  readonly random?: () => number;
  /** Write `<storeDir>/status.json` after each poll (default true). */
  readonly persistStatus?: boolean;
  /** Where parsing, extraction and diffing run (the CLI passes a worker pool; default: this thread). */
  readonly compute?: IngestCompute;
  /**
   * Work sharing with other watchers on a shared store (store/leases.ts): a web article is polled only under its
   * lease, and its poll time, validators and held change are shared. Absent or not `shared`: this process polls alone.
   */
  readonly leases?: LeaseManager;
}

/** What watchers sharing a store record about a web article after polling it (under its lease). */
interface SharedArticleState {
  readonly lastPollAt?: number;
  readonly etag?: string;
  readonly lastModified?: string;
  readonly held?: PendingCandidate;
  readonly heldSince?: number;
}

/** What one article read gave. */
export interface ArticlePollResult {
  readonly article: ArticleId;
  readonly location: string;
  readonly outcome: PollOutcomeName;
  readonly reason?: RejectReason;
  readonly version?: number;
  readonly detail?: string;
}

/** What one poll of a source gave. */
export interface PollReport {
  readonly index: number;
  readonly startedAt: string;
  readonly results: readonly ArticlePollResult[];
  /** Set when the source itself failed (feed fetch, folder listing) or was skipped while backing off. */
  readonly error?: { readonly code: string; readonly message: string };
  readonly skipped?: 'backoff' | 'closing';
}

export interface Watcher {
  /** Creates missing watched folders, schedules the cron tasks and file watchers, and starts a first poll of every source. */
  start(): Promise<void>;
  /**
   * Polls one source (or all) now and resolves when done. `force` (default true) fetches every article whatever its
   * tier says and ignores a back-off; `force: false` behaves as a scheduled tick.
   */
  pollNow(sourceIndex?: number, options?: { force?: boolean }): Promise<PollReport[]>;
  /**
   * The sources a person means by `selector`: a source index (`2`), a source's URL or path as in the config, or an
   * article id (a url or file source's, or an article of a folder or feed already read). Throws E_NOT_FOUND.
   */
  findSources(selector: string): number[];
  status(): WatcherStatus;
  /**
   * Idempotent: stops the schedules and watchers, aborts fetches in flight (an aborted poll is `skipped: 'closing'`,
   * not an error, and backs nothing off), waits for versions being stored, writes the status.
   */
  close(): Promise<void>;
}

interface ArticleState {
  id: ArticleId;
  location: string;
  tier?: string;
  lastPollAt?: number;
  nextPollAt?: number;
  etag?: string;
  lastModified?: string;
  mtimeMs?: number;
  size?: number;
  lastOutcome?: PollOutcomeName;
  lastDetail?: string;
  /** Set while another location owns this one's article id (the message, logged and counted once). */
  collision?: string;
}

interface SourceRuntime {
  readonly index: number;
  readonly source: SourceConfig;
  readonly cron: string;
  readonly flight: SingleFlight<PollReport>;
  readonly articles: Map<string, ArticleState>;
  task?: ScheduledTask;
  fsWatcher?: FSWatcher;
  debounce?: NodeJS.Timeout;
  lastPollAt?: number;
  lastSuccessAt?: number;
  lastChangeAt?: number;
  backoffUntil?: number;
  consecutiveFailures: number;
  lastError?: { code: string; message: string; at: number };
  counts: SourceCounts;
  rejected: Record<RejectReason, number>;
  feed?: { etag?: string; lastModified?: string; links: string[] };
}

const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());

function fetchOptionsFrom(config: Config, allowPrivateNetwork: boolean | undefined): FetchOptions {
  return {
    ...defaultFetchOptions(),
    timeoutMs: config.fetch.timeout,
    maxBytes: config.fetch.maxBytes,
    maxRedirects: config.fetch.maxRedirects,
    userAgent: config.fetch.userAgent,
    allowPrivateNetwork: allowPrivateNetwork ?? config.fetch.allowPrivateNetwork,
    ...(config.fetch.allowedAddresses !== undefined ? { allowedAddresses: config.fetch.allowedAddresses } : {}),
  };
}

/** Thrown inside a poll for a non-2xx answer, so the back-off sees the status and Retry-After. */
class StatusFailure extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterMs: number | undefined,
    readonly url: string,
  ) {
    super(`${url}: HTTP ${status}`);
  }

  /** 429 and 5xx: the host asks us to slow down (or cannot serve), so every source backs off from it. */
  get holdsHost(): boolean {
    return this.status === 429 || this.status >= 500;
  }
}

export function createWatcher(config: Config, deps: WatcherDeps): Watcher {
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const persist = deps.persistStatus ?? true;
  const logger = deps.logger;
  const guard: GuardState = createGuardState();
  /** When each held candidate (guard.pending) was first seen, for the status file. */
  const heldSince = new Map<ArticleId, { hash: string; at: number }>();
  const claims = new IdClaims();
  let ready: Promise<void> | undefined;
  /** At most `watch.concurrency` fetches and file reads at once across all sources (FIFO; a throw frees its slot). */
  const slots = pLimit(config.watch.concurrency);
  /** Hosts backing off after a 429 or 5xx: every source defers its fetches from them (host-gate.ts). */
  const hosts = new HostGate();
  const aborter = new AbortController();
  const startedAt = now();
  let running = false;
  let closed = false;
  let closing: Promise<void> | undefined;

  const runtimes: SourceRuntime[] = config.sources.map((source, index) => {
    const rt: SourceRuntime = {
      index,
      source,
      cron: cronFor(config, source),
      flight: new SingleFlight<PollReport>((force) => pollSource(rt, force)),
      articles: new Map(),
      consecutiveFailures: 0,
      counts: { polls: 0, versions: 0, unchanged: 0, variants: 0, rejected: 0, errors: 0 },
      rejected: { empty: 0, 'no-article': 0, 'lost-most': 0, 'pending-confirmation': 0 },
    };
    return rt;
  });

  // ----- status persistence (coalesced: at most one write in flight, one more queued) -----
  let writing: Promise<void> | undefined;
  let dirty = false;
  function saveStatus(): Promise<void> {
    if (!persist) return Promise.resolve();
    dirty = true;
    writing ??= (async () => {
      try {
        while (dirty) {
          dirty = false;
          await mkdir(config.storeDir, { recursive: true });
          await writeStatusFile(config.storeDir, status());
        }
      } catch (err) {
        logger.warn({ err }, 'could not write the status file');
      } finally {
        writing = undefined;
      }
    })();
    return writing;
  }

  // ----- one article -----
  function articleState(rt: SourceRuntime, id: ArticleId, location: string): ArticleState {
    let a = rt.articles.get(location);
    if (a === undefined) {
      a = { id, location };
      rt.articles.set(location, a);
    }
    return a;
  }

  function count(rt: SourceRuntime, outcome: IngestOutcome): void {
    switch (outcome.status) {
      case 'new-version':
        rt.counts.versions++;
        rt.lastChangeAt = now();
        break;
      case 'unchanged':
        rt.counts.unchanged++;
        break;
      case 'variant':
        rt.counts.variants++;
        break;
      case 'rejected':
        rt.counts.rejected++;
        rt.rejected[outcome.reason]++;
        break;
    }
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

  async function ingest(
    rt: SourceRuntime,
    a: ArticleState,
    read: { raw: Uint8Array; contentType: string; text?: string; origin: VersionOrigin; fetchedAt: number },
  ): Promise<ArticlePollResult> {
    const outcome = await ingestVersion(
      { store: deps.store, ...(deps.compute !== undefined ? { compute: deps.compute } : {}) },
      {
        article: a.id,
        raw: read.raw,
        contentType: read.contentType,
        ...(read.text !== undefined ? { text: read.text } : {}),
        origin: read.origin,
        fetchedAt: new Date(read.fetchedAt).toISOString(),
      },
      { variantWindow: config.watch.variantWindow, minArticleChars: config.watch.minArticleChars, guard, now },
    );
    count(rt, outcome);
    const held = guard.pending.get(a.id);
    if (held === undefined) heldSince.delete(a.id);
    else if (heldSince.get(a.id)?.hash !== held.hash) heldSince.set(a.id, { hash: held.hash, at: read.fetchedAt });
    const result = resultOf(a, outcome);
    a.lastOutcome = result.outcome;
    a.lastDetail = result.detail;
    const log = logger.child({ source: rt.index, article: a.id });
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
    return result;
  }

  // ----- one location per article id -----
  /** Why `location` may not feed `id` (another location owns it), or undefined once it owns it. */
  async function refusal(id: ArticleId, location: string, local: boolean): Promise<string | undefined> {
    const owner = claims.ownerOf(id);
    if (owner !== undefined) return claims.claim(id, location) ? undefined : collisionDetail(id, owner);
    if (local) {
      const other = await storedElsewhere(deps.store, id, location);
      if (other !== undefined) return collisionDetail(id, other, true);
    }
    return claims.claim(id, location) ? undefined : collisionDetail(id, claims.ownerOf(id)!);
  }

  /** An 'error' result for a location whose id another location owns; logged and counted once per location. */
  function collided(rt: SourceRuntime, a: ArticleState, detail: string): ArticlePollResult {
    if (a.collision !== detail) {
      a.collision = detail;
      rt.counts.errors++;
      logger.warn({ source: rt.index, article: a.id, location: a.location }, `not read: ${detail}`);
    }
    a.lastOutcome = 'error';
    a.lastDetail = detail;
    return { article: a.id, location: a.location, outcome: 'error', detail };
  }

  /** Checks the claim of `a`'s location on its id: a refusal result, or undefined when it may be read. */
  async function checkClaim(
    rt: SourceRuntime,
    a: ArticleState,
    local: boolean,
  ): Promise<ArticlePollResult | undefined> {
    const detail = await refusal(a.id, a.location, local);
    if (detail !== undefined) return collided(rt, a, detail);
    delete a.collision;
    return undefined;
  }

  /**
   * Before the first poll: restores the held candidates of the last status file, and lets every configured file,
   * folder file and url claim its id: explicit ids first, then in source order, then path order (so which of two
   * same-named files wins does not depend on which poll finishes first). Feed links claim theirs when first read.
   */
  function prepare(): Promise<void> {
    ready ??= (async () => {
      if (persist) {
        try {
          const restored = pendingConfirmations(await readStatusFile(config.storeDir));
          for (const [id, p] of restored) {
            if (!isArticleId(id)) continue;
            guard.pending.set(id, { hash: p.hash, reason: p.reason, seen: p.seen });
            heldSince.set(id, { hash: p.hash, at: Date.parse(p.firstSeenAt) });
          }
          if (restored.size > 0) logger.debug({ held: restored.size }, 'restored held changes from the status file');
        } catch (err) {
          logger.warn({ err }, 'could not read the held changes of the last status file');
        }
      }
      // Ids given in the config first: a same-named file in a folder does not take a source's explicit id.
      for (const rt of runtimes) {
        const s = rt.source;
        try {
          if (s.kind === 'url' && s.id !== undefined) await refusal(s.id, s.url, false);
          else if (s.kind === 'file' && s.id !== undefined) await refusal(s.id, s.path, true);
        } catch {
          // The store could not be read: the poll meets the same fault and reports it; the claim is made then.
        }
      }
      for (const rt of runtimes) {
        const s = rt.source;
        try {
          if (s.kind === 'url') await refusal(s.id ?? articleIdFor(s.url), s.url, false);
          else if (s.kind === 'file') await refusal(s.id ?? articleIdFor(s.path), s.path, true);
          else if (s.kind === 'dir') {
            for (const file of await listArticleFiles(s.path)) {
              const id = articleIdFor(file);
              articleState(rt, id, file); // so that the claim is released if the file goes before it is read
              await refusal(id, file, true);
            }
          }
        } catch {
          // A folder that cannot be listed now: its poll reports that; its files claim their ids when read.
        }
      }
    })();
    return ready;
  }

  /**
   * With a shared store: polls the web article only under its lease (another watcher holding it means it is being
   * polled: 'deferred'), starting from what the last poller recorded and recording what this poll did. A lease runs
   * for the fetch timeout plus a minute, so the article of a watcher that died is polled again after that at most.
   */
  async function pollWebArticle(
    rt: SourceRuntime,
    url: string,
    id: ArticleId,
    kind: 'url' | 'feed',
    force: boolean,
  ): Promise<ArticlePollResult> {
    const leases = deps.leases;
    if (leases === undefined || !leases.shared) return pollWebArticleHere(rt, url, id, kind, force);
    const key = `article:${id}`;
    if (!(await leases.acquire(key, config.fetch.timeout + 60_000))) {
      return { article: id, location: url, outcome: 'deferred', detail: 'another watcher is polling it' };
    }
    try {
      const a = articleState(rt, id, url);
      const shared = await leases.readState<SharedArticleState>(key);
      if (shared?.lastPollAt !== undefined && shared.lastPollAt > (a.lastPollAt ?? 0)) {
        a.lastPollAt = shared.lastPollAt;
        if (shared.etag !== undefined) a.etag = shared.etag;
        else delete a.etag;
        if (shared.lastModified !== undefined) a.lastModified = shared.lastModified;
        else delete a.lastModified;
      }
      if (shared?.held !== undefined) {
        guard.pending.set(id, shared.held);
        heldSince.set(id, { hash: shared.held.hash, at: shared.heldSince ?? now() });
      } else if (shared !== undefined) {
        guard.pending.delete(id);
      }
      const before = a.lastPollAt;
      try {
        return await pollWebArticleHere(rt, url, id, kind, force);
      } finally {
        // Also after a failed fetch: the others then wait for the next due time instead of retrying at once.
        if (a.lastPollAt !== before) {
          const held = guard.pending.get(id);
          const state: SharedArticleState = {
            ...(a.lastPollAt !== undefined ? { lastPollAt: a.lastPollAt } : {}),
            ...(a.etag !== undefined ? { etag: a.etag } : {}),
            ...(a.lastModified !== undefined ? { lastModified: a.lastModified } : {}),
            ...(held !== undefined ? { held, heldSince: heldSince.get(id)?.at ?? now() } : {}),
          };
          await leases.writeState(key, state).catch((err: unknown) => {
            logger.warn({ err, article: id }, 'could not share the poll state with the other watchers');
          });
        }
      }
    } finally {
      await leases.release(key).catch(() => undefined);
    }
  }

  /** Fetches one web article (when due, or forced) and ingests it. Throws StatusFailure / fetch errors. */
  async function pollWebArticleHere(
    rt: SourceRuntime,
    url: string,
    id: ArticleId,
    kind: 'url' | 'feed',
    force: boolean,
  ): Promise<ArticlePollResult> {
    const a = articleState(rt, id, url);
    const refused = await checkClaim(rt, a, false);
    if (refused !== undefined) return refused;
    const summary = await deps.store.getArticle(id);
    const timing = {
      now: now(),
      firstSeen: summary ? Date.parse(summary.firstSeen) : undefined,
      lastChange: summary ? Date.parse(summary.lastChange) : undefined,
      lastPoll: a.lastPollAt,
    };
    const due = nextPollAt(config.watch.tiers, timing);
    a.tier = due.tier;
    if (!force && !isDue(due.at, timing.now, due.every)) {
      a.nextPollAt = due.at;
      return { article: id, location: url, outcome: 'not-due' };
    }
    const held = force ? undefined : hosts.heldUntil(url, timing.now);
    if (held !== undefined) {
      a.nextPollAt = Math.max(due.at, held.until);
      a.lastOutcome = 'deferred';
      a.lastDetail = `${held.host} is backing off until ${iso(held.until)}`;
      return { article: id, location: url, outcome: 'deferred', detail: a.lastDetail };
    }
    const allowPrivate =
      rt.source.kind === 'url' || rt.source.kind === 'feed' ? rt.source.allowPrivateNetwork : undefined;
    const options: FetchOptions = {
      ...fetchOptionsFrom(config, allowPrivate),
      signal: aborter.signal,
      now,
      ...(a.etag !== undefined ? { etag: a.etag } : {}),
      ...(a.lastModified !== undefined ? { lastModified: a.lastModified } : {}),
    };
    const fetchedAt = now();
    a.lastPollAt = fetchedAt;
    const res: FetchResult = await slots(() => fetchDocument(url, options));
    a.nextPollAt = nextPollAt(config.watch.tiers, { ...timing, now: fetchedAt, lastPoll: fetchedAt }).at;
    if (res.notModified) {
      a.lastOutcome = 'not-modified';
      rt.counts.unchanged++;
      return { article: id, location: url, outcome: 'not-modified' };
    }
    if (res.status < 200 || res.status > 299) {
      a.lastOutcome = 'error';
      throw new StatusFailure(res.status, res.retryAfterMs, res.url);
    }
    const result = await ingest(rt, a, {
      raw: res.bytes,
      contentType: res.contentType || 'text/html',
      text: res.text,
      origin: {
        kind,
        location: res.url,
        status: res.status,
        ...(res.etag !== undefined ? { etag: res.etag } : {}),
        ...(res.lastModified !== undefined ? { lastModified: res.lastModified } : {}),
      },
      fetchedAt,
    });
    // Conditional GET only against content we know: a held or refused page must be fetched in full next time.
    if (result.outcome === 'rejected') {
      delete a.etag;
      delete a.lastModified;
    } else {
      if (res.etag !== undefined) a.etag = res.etag;
      else delete a.etag;
      if (res.lastModified !== undefined) a.lastModified = res.lastModified;
      else delete a.lastModified;
    }
    if (result.outcome === 'new-version') {
      a.tier = nextPollAt(config.watch.tiers, {
        now: fetchedAt,
        firstSeen: timing.firstSeen ?? fetchedAt,
        lastChange: fetchedAt,
      }).tier;
    }
    return result;
  }

  async function pollLocalFile(
    rt: SourceRuntime,
    file: string,
    id: ArticleId,
    kind: 'file' | 'dir',
    force: boolean,
  ): Promise<ArticlePollResult | undefined> {
    const a = articleState(rt, id, file);
    let st;
    try {
      st = await stat(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        claims.release(file); // deleted meanwhile
        return undefined;
      }
      throw err;
    }
    const refused = await checkClaim(rt, a, true);
    if (refused !== undefined) return refused;
    if (!force && a.mtimeMs === st.mtimeMs && a.size === st.size) {
      return { article: id, location: file, outcome: 'not-modified' };
    }
    const fetchedAt = now();
    a.lastPollAt = fetchedAt;
    let result: ArticlePollResult;
    try {
      const read = await slots(() => readFileSource(file, { maxBytes: config.fetch.maxBytes }));
      result = await ingest(rt, a, {
        raw: read.bytes,
        contentType: read.contentType, // decoded with the rest of the work (deps.compute)
        origin: { kind, location: file },
        fetchedAt,
      });
    } catch (err) {
      if (isWirediffError(err, 'E_NOT_FOUND')) {
        claims.release(file); // deleted meanwhile
        return undefined;
      }
      if (isWirediffError(err, 'E_INPUT_EMPTY') || isWirediffError(err, 'E_INPUT_BINARY')) {
        const reason = isWirediffError(err, 'E_INPUT_EMPTY') ? 'empty' : 'no-article';
        rt.counts.rejected++;
        rt.rejected[reason]++;
        a.lastOutcome = 'rejected';
        a.lastDetail = err.message;
        a.mtimeMs = st.mtimeMs;
        a.size = st.size;
        logger.warn({ source: rt.index, article: id, reason }, `no version: ${err.message}`);
        return { article: id, location: file, outcome: 'rejected', reason, detail: err.message };
      }
      if (kind === 'file') throw err;
      // One bad file in a folder (too large, unreadable) does not fail the folder.
      rt.counts.errors++;
      const e = describe(err);
      a.lastOutcome = 'error';
      a.lastDetail = e.message;
      logger.warn({ source: rt.index, article: id, code: e.code }, `cannot read ${file}: ${e.message}`);
      return { article: id, location: file, outcome: 'error', detail: e.message };
    }
    if (result.outcome === 'rejected') {
      // Read it again next time even if the file is not touched: a held version needs a second sighting.
      delete a.mtimeMs;
      delete a.size;
    } else {
      a.mtimeMs = st.mtimeMs;
      a.size = st.size;
    }
    return result;
  }

  /** Forgets articles no longer in the feed or the folder (their versions stay in the store). */
  function prune(rt: SourceRuntime, current: readonly string[]): void {
    const keep = new Set(current);
    for (const location of rt.articles.keys()) {
      if (keep.has(location)) continue;
      rt.articles.delete(location);
      claims.release(location);
    }
  }

  // ----- one source -----
  async function pollSource(rt: SourceRuntime, force: boolean): Promise<PollReport> {
    await prepare();
    const startedAt = now();
    const s = rt.source;
    if (!force && rt.backoffUntil !== undefined && rt.backoffUntil > startedAt) {
      return { index: rt.index, startedAt: iso(startedAt)!, results: [], skipped: 'backoff' };
    }
    if (!force && s.kind === 'feed' && hosts.heldUntil(s.url, startedAt) !== undefined) {
      return { index: rt.index, startedAt: iso(startedAt)!, results: [], skipped: 'backoff' };
    }
    rt.lastPollAt = startedAt;
    rt.counts.polls++;
    const results: ArticlePollResult[] = [];
    const slog = logger.child({ source: rt.index, kind: s.kind });
    let failure: unknown;
    try {
      if (s.kind === 'url') {
        results.push(await pollWebArticle(rt, s.url, s.id ?? articleIdFor(s.url), 'url', force));
      } else if (s.kind === 'feed') {
        const links = await readFeed(rt, s.url, s.maxItems ?? config.watch.feedItems, force);
        prune(rt, links);
        for (const link of links) {
          if (closed) break;
          try {
            results.push(await pollWebArticle(rt, link, articleIdFor(link), 'feed', force));
          } catch (err) {
            if (err instanceof StatusFailure && (err.status === 429 || err.status >= 500)) throw err;
            if (stopping()) break;
            rt.counts.errors++;
            const e = describe(err);
            results.push({ article: articleIdFor(link), location: link, outcome: 'error', detail: e.message });
            slog.warn({ url: link, code: e.code }, `article fetch failed: ${e.message}`);
          }
        }
      } else if (s.kind === 'file') {
        const r = await pollLocalFile(rt, s.path, s.id ?? articleIdFor(s.path), 'file', force);
        if (r) results.push(r);
      } else {
        const files = await listArticleFiles(s.path);
        prune(rt, files);
        for (const file of files) {
          if (closed) break;
          const r = await pollLocalFile(rt, file, articleIdFor(file), 'dir', force);
          if (r) results.push(r);
        }
      }
    } catch (err) {
      failure = err;
    }

    let error: PollReport['error'];
    if (failure !== undefined && stopping()) {
      // close() aborted the fetch: the watcher is stopping, the source did not fail (no error, no back-off).
      slog.debug('poll stopped: the watcher is closing');
      void saveStatus();
      return { index: rt.index, startedAt: iso(startedAt)!, results, skipped: 'closing' };
    }
    if (failure !== undefined) {
      const e = describe(failure);
      error = e;
      rt.counts.errors++;
      rt.consecutiveFailures++;
      rt.lastError = { ...e, at: now() };
      const retryAfterMs = failure instanceof StatusFailure ? failure.retryAfterMs : undefined;
      const wait = backoffDelay(rt.consecutiveFailures, {
        baseMs: config.watch.backoff,
        maxMs: config.watch.maxBackoff,
        random,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      });
      rt.backoffUntil = now() + wait;
      if (failure instanceof StatusFailure && failure.holdsHost) hosts.hold(failure.url, rt.backoffUntil, now());
      slog.warn(
        { code: e.code, failures: rt.consecutiveFailures, retryInMs: wait },
        `poll failed: ${e.message}; backing off`,
      );
    } else {
      rt.consecutiveFailures = 0;
      delete rt.backoffUntil;
      rt.lastSuccessAt = now();
    }
    void saveStatus();
    return { index: rt.index, startedAt: iso(startedAt)!, results, ...(error ? { error } : {}) };
  }

  async function readFeed(rt: SourceRuntime, url: string, maxItems: number, force: boolean): Promise<string[]> {
    const allowPrivate = rt.source.kind === 'feed' ? rt.source.allowPrivateNetwork : undefined;
    const cached = rt.feed;
    const res = await slots(() =>
      fetchDocument(url, {
        ...fetchOptionsFrom(config, allowPrivate),
        signal: aborter.signal,
        now,
        ...(!force && cached?.etag !== undefined ? { etag: cached.etag } : {}),
        ...(!force && cached?.lastModified !== undefined ? { lastModified: cached.lastModified } : {}),
      }),
    );
    if (res.notModified && cached) return cached.links;
    if (res.status < 200 || res.status > 299) throw new StatusFailure(res.status, res.retryAfterMs, res.url);
    const feed = parseFeed(res.text, res.url);
    const links = [...new Set(feed.items.map((i) => i.link))].slice(0, maxItems);
    rt.feed = {
      links,
      ...(res.etag !== undefined ? { etag: res.etag } : {}),
      ...(res.lastModified !== undefined ? { lastModified: res.lastModified } : {}),
    };
    return links;
  }

  /** True once close() has aborted the fetches in flight: a failure now is the abort, not the source's fault. */
  function stopping(): boolean {
    return closed && aborter.signal.aborted;
  }

  function describe(err: unknown): { code: string; message: string } {
    if (err instanceof StatusFailure) return { code: `HTTP_${err.status}`, message: err.message };
    if (isWirediffError(err)) return { code: err.code, message: err.message };
    if (err instanceof Error) return { code: (err as NodeJS.ErrnoException).code ?? 'E_IO', message: err.message };
    return { code: 'E_IO', message: String(err) };
  }

  // ----- schedules and file watchers -----
  /**
   * Asks for a poll of `rt`. A poll that throws (a fault outside what pollSource reports itself, such as a failing
   * log destination) becomes an error report, counted and logged, so that `watch --once` prints it and fails.
   */
  function request(rt: SourceRuntime, force: boolean): Promise<PollReport | undefined> {
    return rt.flight.request(force).catch((err: unknown): PollReport => {
      const e = describe(err);
      rt.counts.errors++;
      rt.lastError = { ...e, at: now() };
      try {
        logger.error({ source: rt.index, err }, `poll failed: ${e.message}`);
      } catch {
        // The logger itself may be what failed; the report still carries the error.
      }
      return { index: rt.index, startedAt: iso(now())!, results: [], error: e };
    });
  }

  function watchFiles(rt: SourceRuntime): void {
    const s = rt.source;
    if (s.kind !== 'dir' && s.kind !== 'file') return;
    const dir = s.kind === 'dir' ? s.path : path.dirname(s.path);
    const only = s.kind === 'file' ? path.basename(s.path) : undefined;
    try {
      rt.fsWatcher = fsWatch(dir, { persistent: true }, (_event, name) => {
        if (closed) return;
        if (only !== undefined && name !== null && name !== only) return;
        if (rt.debounce) clearTimeout(rt.debounce);
        rt.debounce = setTimeout(() => {
          rt.debounce = undefined;
          void request(rt, false);
        }, config.watch.debounce);
      });
      rt.fsWatcher.on('error', (err) => logger.warn({ source: rt.index, err }, 'file watcher failed'));
    } catch (err) {
      logger.warn({ source: rt.index, err }, `cannot watch ${dir}; relying on the schedule`);
    }
  }

  async function start(): Promise<void> {
    if (closed) throw new Error('the watcher is closed');
    if (running) return;
    running = true;
    const repaired = await reconcileEvents({ store: deps.store, log: deps.log }, now);
    for (const e of repaired) {
      logger.warn(
        { article: e.article, version: e.version, event: e.id },
        'published the event of a version stored just before a crash',
      );
    }
    for (const rt of runtimes) {
      if (rt.source.kind === 'dir') await mkdir(rt.source.path, { recursive: true });
      rt.task = createTask(rt.cron, () => void request(rt, false), { name: `wirediff-source-${rt.index}` });
      await rt.task.start();
      watchFiles(rt);
      logger.info(
        { source: rt.index, kind: rt.source.kind, schedule: rt.cron },
        `watching ${sourceLocator(rt.source)}`,
      );
    }
    for (const rt of runtimes) void request(rt, false);
    await saveStatus();
  }

  async function pollNow(sourceIndex?: number, options: { force?: boolean } = {}): Promise<PollReport[]> {
    if (closed) return [];
    const force = options.force ?? true;
    let targets = runtimes;
    if (sourceIndex !== undefined) {
      const rt = runtimes[sourceIndex];
      if (rt === undefined) {
        throw new RangeError(`Expected \`sourceIndex\` to be from 0 to ${runtimes.length - 1}, got \`${sourceIndex}\``);
      }
      targets = [rt];
    }
    const reports = await Promise.all(targets.map((rt) => request(rt, force)));
    return reports.filter((r): r is PollReport => r !== undefined);
  }

  function sourceStatus(rt: SourceRuntime): SourceStatus {
    const cronNext = rt.task?.getNextRun()?.getTime();
    // A url source fetches its one article only when the article's tier says so (at a cron tick from then on).
    const articleNext = rt.source.kind === 'url' ? [...rt.articles.values()][0]?.nextPollAt : undefined;
    const candidates = [cronNext, rt.backoffUntil, articleNext].filter((x): x is number => x !== undefined);
    const next = candidates.length > 0 ? Math.max(...candidates) : undefined;
    const articles: ArticleStatus[] = [...rt.articles.values()].map((a) => ({
      id: a.id,
      location: a.location,
      ...(a.tier !== undefined ? { tier: a.tier } : {}),
      ...(a.lastPollAt !== undefined ? { lastPollAt: iso(a.lastPollAt) } : {}),
      ...(a.nextPollAt !== undefined ? { nextPollAt: iso(Math.max(a.nextPollAt, next ?? 0)) } : {}),
      ...(a.lastOutcome !== undefined ? { lastOutcome: a.lastOutcome } : {}),
      ...(a.lastDetail !== undefined ? { lastDetail: a.lastDetail } : {}),
    }));
    const backingOff = rt.backoffUntil !== undefined && rt.backoffUntil > now();
    return {
      index: rt.index,
      kind: rt.source.kind,
      locator: sourceLocator(rt.source),
      schedule: rt.cron,
      state: rt.flight.busy ? 'polling' : backingOff ? 'backoff' : 'idle',
      ...(rt.lastPollAt !== undefined ? { lastPollAt: iso(rt.lastPollAt) } : {}),
      ...(rt.lastSuccessAt !== undefined ? { lastSuccessAt: iso(rt.lastSuccessAt) } : {}),
      ...(rt.lastChangeAt !== undefined ? { lastChangeAt: iso(rt.lastChangeAt) } : {}),
      ...(next !== undefined ? { nextPollAt: iso(next) } : {}),
      ...(rt.backoffUntil !== undefined ? { backoffUntil: iso(rt.backoffUntil) } : {}),
      consecutiveFailures: rt.consecutiveFailures,
      ...(rt.lastError
        ? { lastError: { code: rt.lastError.code, message: rt.lastError.message, at: iso(rt.lastError.at)! } }
        : {}),
      counts: { ...rt.counts },
      rejected: { ...rt.rejected },
      articles,
    };
  }

  function heldCandidates(): Record<string, PendingConfirmation> | undefined {
    if (guard.pending.size === 0) return undefined;
    const out: Record<string, PendingConfirmation> = {};
    for (const [id, p] of guard.pending) {
      const since = heldSince.get(id);
      out[id] = {
        hash: p.hash,
        reason: p.reason,
        seen: p.seen,
        firstSeenAt: iso(since !== undefined && since.hash === p.hash ? since.at : now())!,
      };
    }
    return out;
  }

  function status(): WatcherStatus {
    const pending = heldCandidates();
    return {
      schema: STATUS_SCHEMA,
      pid: process.pid,
      startedAt: iso(startedAt)!,
      updatedAt: iso(now())!,
      running: running && !closed,
      sources: runtimes.map(sourceStatus),
      ...(pending !== undefined ? { pending } : {}),
    };
  }

  function close(): Promise<void> {
    closing ??= (async () => {
      closed = true;
      for (const rt of runtimes) {
        if (rt.debounce) clearTimeout(rt.debounce);
        rt.fsWatcher?.close();
        if (rt.task) await rt.task.destroy();
      }
      aborter.abort(new Error('the watcher is closing'));
      await Promise.all(runtimes.map((rt) => rt.flight.close()));
      if (writing) await writing;
      if (running) await saveStatus();
      logger.debug('watcher closed');
    })();
    return closing;
  }

  function findSources(selector: string): number[] {
    const wanted = selector.trim();
    if (/^\d+$/.test(wanted) && runtimes[Number(wanted)] !== undefined) return [Number(wanted)];
    const found = new Set<number>();
    for (const rt of runtimes) {
      const s = rt.source;
      if (sourceLocator(s) === wanted) found.add(rt.index);
      if (s.kind === 'url' && (s.id ?? articleIdFor(s.url)) === wanted) found.add(rt.index);
      if (s.kind === 'file' && (s.id ?? articleIdFor(s.path)) === wanted) found.add(rt.index);
      for (const a of rt.articles.values()) if (a.id === wanted || a.location === wanted) found.add(rt.index);
    }
    if (found.size === 0 && runtimes.length === 0) {
      throw new WirediffError('E_NOT_FOUND', `no source ${JSON.stringify(wanted)}: the config has no sources`);
    }
    if (found.size === 0) {
      throw new WirediffError(
        'E_NOT_FOUND',
        `no source ${JSON.stringify(wanted)}: give a source number (0 to ${runtimes.length - 1}), a URL or path from ` +
          'the config, or an article id (wirediff status lists them)',
      );
    }
    return [...found].sort((a, b) => a - b);
  }

  return { start, pollNow, findSources, status, close };
}
