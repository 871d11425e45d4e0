/**
 * The watcher: polls every configured source on its cron schedule and, for file and folder sources, on file changes;
 * turns each read into a version through the ingest pipeline. This module only composes the parts:
 *
 * - source-runner.ts: one poll at a time per source, back-off after failures (backoff.ts; a 429 or 5xx also holds
 *   the host for every source, host-gate.ts), the status after each poll;
 * - pollers/: one poller per source kind (page, feed, file, folder) behind one interface; web articles are fetched
 *   when their schedule tier says so (schedule.ts), under a lease on a shared store;
 * - scheduler.ts: cron tasks and file watchers; flight.ts: a bound on fetches and reads in flight across sources;
 * - id-claims.ts: one location per article id; held.ts: the guard's held changes, restored from the last status file
 *   (so `watch --once` from cron confirms a drastic change on its next run);
 * - status.ts builds the status, status-file.ts writes `<storeDir>/status.json` for `wirediff status`.
 */
import type { Logger } from 'pino';
import { WirediffError } from '../core/errors.js';
import { reconcileEvents } from '../ingest/reconcile.js';
import type { IngestCompute } from '../ingest/work.js';
import type { LeaseManager } from '../store/leases.js';
import type { EventLog, SnapshotStore } from '../store/types.js';
import { ArticleIngester } from './article-ingest.js';
import pLimit from 'p-limit';
import { HeldChanges } from './held.js';
import { HostGate } from './host-gate.js';
import { ArticleClaims } from './id-claims.js';
import { cronFor, sourceLocator, type WatcherOptions } from './options.js';
import type { PollContext } from './pollers/index.js';
import type { PollReport } from './report.js';
import { SourceRunner } from './source-runner.js';
import { watcherStatus } from './status.js';
import { pendingConfirmations, readStatusFile, StatusWriter, type WatcherStatus } from './status-file.js';

export type { WatcherStatus } from './status-file.js';
export type { ArticlePollResult, PollReport } from './report.js';

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

export function createWatcher(options: WatcherOptions, deps: WatcherDeps): Watcher {
  const now = deps.now ?? Date.now;
  const persist = deps.persistStatus ?? true;
  const { logger, store } = deps;
  const held = new HeldChanges(now);
  const aborter = new AbortController();
  const startedAt = now();
  let running = false;
  let closed = false;
  let closing: Promise<void> | undefined;
  let ready: Promise<void> | undefined;

  const ctx: PollContext = {
    watch: options.watch,
    fetch: options.fetch,
    store,
    logger,
    now,
    slots: pLimit(options.watch.concurrency),
    hosts: new HostGate(),
    signal: aborter.signal,
    claims: new ArticleClaims(store, logger),
    ingester: new ArticleIngester({ store, compute: deps.compute, held, settings: options.watch, logger, now }),
    held,
    leases: deps.leases,
    closed: () => closed,
    stopping: () => closed && aborter.signal.aborted,
  };
  const writer = new StatusWriter(options.storeDir, status, logger);
  const saveStatus = (): Promise<void> => (persist ? writer.save() : Promise.resolve());
  const runners = options.sources.map(
    (source, index) =>
      new SourceRunner(index, source, cronFor(options.watch, source), {
        ctx,
        backoff: { baseMs: options.watch.backoff, maxMs: options.watch.maxBackoff, random: deps.random ?? Math.random },
        prepare,
        saveStatus: () => void saveStatus(),
        onDue: (runner) => void runner.request(false),
      }),
  );

  /**
   * Before the first poll: restores the held candidates of the last status file, and lets every configured file,
   * folder file and url claim its id: explicit ids first, then in source order, then path order (so which of two
   * same-named files wins does not depend on which poll finishes first). Feed links claim theirs when first read.
   */
  function prepare(): Promise<void> {
    ready ??= (async () => {
      if (persist) await restoreHeld(held, options.storeDir, logger);
      await claimIds(runners);
    })();
    return ready;
  }

  async function start(): Promise<void> {
    if (closed) throw new Error('the watcher is closed');
    if (running) return;
    running = true;
    await repairEvents(store, deps.log, logger, now);
    for (const runner of runners) {
      const { index, source, cron } = runner.state;
      await runner.schedule.start();
      logger.info({ source: index, kind: source.kind, schedule: cron }, `watching ${sourceLocator(source)}`);
    }
    for (const runner of runners) void runner.request(false);
    await saveStatus();
  }

  async function pollNow(sourceIndex?: number, opts: { force?: boolean } = {}): Promise<PollReport[]> {
    if (closed) return [];
    const force = opts.force ?? true;
    let targets = runners;
    if (sourceIndex !== undefined) {
      const runner = runners[sourceIndex];
      if (runner === undefined) {
        throw new RangeError(`Expected \`sourceIndex\` to be from 0 to ${runners.length - 1}, got \`${sourceIndex}\``);
      }
      targets = [runner];
    }
    const reports = await Promise.all(targets.map((runner) => runner.request(force)));
    return reports.filter((r): r is PollReport => r !== undefined);
  }

  function status(): WatcherStatus {
    const pending = held.confirmations();
    const at = now();
    return watcherStatus({
      startedAt,
      now: at,
      running: running && !closed,
      sources: runners.map((runner) => runner.status(now())),
      pending,
    });
  }

  function close(): Promise<void> {
    closing ??= (async () => {
      closed = true;
      for (const runner of runners) await runner.schedule.close();
      aborter.abort(new Error('the watcher is closing'));
      await Promise.all(runners.map((runner) => runner.flight.close()));
      if (writer.writing) await writer.writing;
      if (running) await saveStatus();
      logger.debug('watcher closed');
    })();
    return closing;
  }

  return { start, pollNow, findSources: (selector) => findSources(runners, selector), status, close };
}

/** Publishes the events of versions stored just before a crash (ingest/reconcile.ts). */
async function repairEvents(store: SnapshotStore, log: EventLog, logger: Logger, now: () => number): Promise<void> {
  for (const e of await reconcileEvents({ store, log }, now)) {
    logger.warn(
      { article: e.article, version: e.version, event: e.id },
      'published the event of a version stored just before a crash',
    );
  }
}

/** Takes over the held changes of the last status file (a file that cannot be read is logged and skipped). */
async function restoreHeld(held: HeldChanges, storeDir: string, logger: Logger): Promise<void> {
  try {
    const restored = pendingConfirmations(await readStatusFile(storeDir));
    held.restore(restored);
    if (restored.size > 0) logger.debug({ held: restored.size }, 'restored held changes from the status file');
  } catch (err) {
    logger.warn({ err }, 'could not read the held changes of the last status file');
  }
}

/** Every source claims its ids: the ids the config gives first, then the rest in source order. */
async function claimIds(runners: readonly SourceRunner[]): Promise<void> {
  for (const explicitOnly of [true, false]) {
    for (const runner of runners) {
      try {
        await runner.poller.claim(explicitOnly);
      } catch {
        // The store or the folder cannot be read now: the poll meets the same fault and reports it.
      }
    }
  }
}

function findSources(runners: readonly SourceRunner[], selector: string): number[] {
  const wanted = selector.trim();
  if (/^\d+$/.test(wanted) && runners[Number(wanted)] !== undefined) return [Number(wanted)];
  const found = new Set<number>();
  for (const { state, poller } of runners) {
    if (sourceLocator(state.source) === wanted || poller.ownId === wanted) found.add(state.index);
    for (const a of state.articles.values()) if (a.id === wanted || a.location === wanted) found.add(state.index);
  }
  if (found.size === 0 && runners.length === 0) {
    throw new WirediffError('E_NOT_FOUND', `no source ${JSON.stringify(wanted)}: the config has no sources`);
  }
  if (found.size === 0) {
    throw new WirediffError(
      'E_NOT_FOUND',
      `no source ${JSON.stringify(wanted)}: give a source number (0 to ${runners.length - 1}), a URL or path from ` +
        'the config, or an article id (wirediff status lists them)',
    );
  }
  return [...found].sort((a, b) => a - b);
}
