/**
 * One source's poll cycle: one poll at a time (SingleFlight), skipped while the source backs off; a poll that fails
 * backs the source off (and its host, after a 429 or 5xx), one that succeeds clears the back-off. Composes the
 * source's state, poller, back-off and schedule.
 */
import { Backoff, type BackoffSettings } from './backoff.js';
import { describeFailure, HttpStatusError } from './failure.js';
import { SingleFlight } from './flight.js';
import type { WatchSource } from './options.js';
import { createPoller, type PollContext, type SourcePoller } from './pollers/index.js';
import { iso, type ArticlePollResult, type PollReport } from './report.js';
import { SourceSchedule } from './scheduler.js';
import { SourceState } from './source-state.js';
import { sourceStatus } from './status.js';
import type { SourceStatus } from './status-file.js';

export interface SourceRunnerDeps {
  readonly ctx: PollContext;
  readonly backoff: BackoffSettings;
  /** Resolves once the watcher is ready for its first poll (held changes restored, ids claimed). */
  readonly prepare: () => Promise<void>;
  /** Asks for the status file to be written. */
  readonly saveStatus: () => void;
  /** A scheduled poll is due (a cron tick, a file change). */
  readonly onDue: (runner: SourceRunner) => void;
}

export class SourceRunner {
  readonly state: SourceState;
  readonly poller: SourcePoller;
  readonly backoff: Backoff;
  readonly flight: SingleFlight<PollReport>;
  readonly schedule: SourceSchedule;

  constructor(
    index: number,
    source: WatchSource,
    cron: string,
    private readonly deps: SourceRunnerDeps,
  ) {
    this.state = new SourceState(index, source, cron);
    this.poller = createPoller(deps.ctx, this.state);
    this.backoff = new Backoff(deps.backoff);
    this.flight = new SingleFlight<PollReport>((force) => this.#poll(force));
    this.schedule = new SourceSchedule({
      index,
      source,
      cron,
      debounceMs: deps.ctx.watch.debounce,
      onDue: () => deps.onDue(this),
      logger: deps.ctx.logger,
    });
  }

  get index(): number {
    return this.state.index;
  }

  /**
   * Asks for a poll. A poll that throws (a fault outside what the poll reports itself, such as a failing log
   * destination) becomes an error report, counted and logged, so that `watch --once` prints it and fails.
   */
  request(force: boolean): Promise<PollReport | undefined> {
    const { state, deps } = this;
    return this.flight.request(force).catch((err: unknown): PollReport => {
      const e = describeFailure(err);
      state.counts.errors++;
      state.lastError = { ...e, at: deps.ctx.now() };
      try {
        deps.ctx.logger.error({ source: state.index, err }, `poll failed: ${e.message}`);
      } catch {
        // The logger itself may be what failed; the report still carries the error.
      }
      return { index: state.index, startedAt: iso(deps.ctx.now())!, results: [], error: e };
    });
  }

  status(now: number): SourceStatus {
    return sourceStatus(this.state, {
      busy: this.flight.busy,
      backoff: this.backoff,
      nextRun: this.schedule.nextRun(),
      now,
    });
  }

  async #poll(force: boolean): Promise<PollReport> {
    const { state, deps } = this;
    const { ctx } = deps;
    await deps.prepare();
    const startedAt = ctx.now();
    const report = { index: state.index, startedAt: iso(startedAt)! };
    if (!force && (this.backoff.holds(startedAt) || this.poller.heldUntil(startedAt) !== undefined)) {
      return { ...report, results: [], skipped: 'backoff' };
    }
    state.lastPollAt = startedAt;
    state.counts.polls++;
    const results: ArticlePollResult[] = [];
    let failure: unknown;
    try {
      await this.poller.poll(force, results);
    } catch (err) {
      failure = err;
    }
    if (failure !== undefined && ctx.stopping()) {
      // close() aborted the fetch: the watcher is stopping, the source did not fail (no error, no back-off).
      ctx.logger.child({ source: state.index, kind: state.source.kind }).debug('poll stopped: the watcher is closing');
      deps.saveStatus();
      return { ...report, results, skipped: 'closing' };
    }
    if (failure === undefined) {
      this.backoff.succeed();
      state.lastSuccessAt = ctx.now();
      deps.saveStatus();
      return { ...report, results };
    }
    const error = this.#failed(failure);
    deps.saveStatus();
    return { ...report, results, error };
  }

  /** Counts and logs a failed poll, and backs the source off (and its host, after a 429 or 5xx). */
  #failed(failure: unknown): PollReport['error'] {
    const { state, deps } = this;
    const { ctx } = deps;
    const e = describeFailure(failure);
    state.counts.errors++;
    state.lastError = { ...e, at: ctx.now() };
    const retryAfterMs = failure instanceof HttpStatusError ? failure.retryAfterMs : undefined;
    const wait = this.backoff.fail(ctx.now(), retryAfterMs);
    if (failure instanceof HttpStatusError && failure.holdsHost) {
      ctx.hosts.hold(failure.url, this.backoff.until!, ctx.now());
    }
    ctx.logger
      .child({ source: state.index, kind: state.source.kind })
      .warn(
        { code: e.code, failures: this.backoff.failures, retryInMs: wait },
        `poll failed: ${e.message}; backing off`,
      );
    return e;
  }
}
