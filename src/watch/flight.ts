/**
 * The watcher's single-flight runner: one poll at a time per source; requests made meanwhile coalesce into one more
 * run. node-cron's own overlap protection is not relied on. (The bound on fetches and reads across sources is a
 * `p-limit` in watcher.ts.)
 */

interface Waiter<T> {
  readonly ticket: number;
  readonly resolve: (v: T | undefined) => void;
  readonly reject: (err: unknown) => void;
}

type RunResult<T> =
  { readonly ok: true; readonly value: T | undefined } | { readonly ok: false; readonly error: unknown };

/**
 * Runs `task` at most once at a time. A request made while a run is in flight is served by one more run
 * started after it (all such requests share that run); `force` flags are OR-ed together.
 * Each request resolves with the result of the run that started at or after it, or rejects with that run's error
 * (a throw is the caller's to report, never swallowed; the runner goes on with the next run either way).
 */
export class SingleFlight<T> {
  #requested = 0;
  #done = 0;
  #force = false;
  #driving: Promise<void> | undefined;
  #waiters: Waiter<T>[] = [];
  #last: RunResult<T> = { ok: true, value: undefined };
  #closed = false;
  /** Runs started so far, and the most runs ever in flight at once (1 by construction; tests check it). */
  runs = 0;
  inFlight = 0;
  maxInFlight = 0;

  constructor(private readonly task: (force: boolean) => Promise<T>) {}

  get busy(): boolean {
    return this.#driving !== undefined;
  }

  request(force: boolean): Promise<T | undefined> {
    if (this.#closed) return Promise.resolve(undefined);
    const ticket = ++this.#requested;
    this.#force ||= force;
    const p = new Promise<T | undefined>((resolve, reject) => this.#waiters.push({ ticket, resolve, reject }));
    this.#driving ??= this.#drive();
    return p;
  }

  async #drive(): Promise<void> {
    try {
      while (this.#done < this.#requested && !this.#closed) {
        const covered = this.#requested;
        const force = this.#force;
        this.#force = false;
        this.runs++;
        this.inFlight++;
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
        try {
          this.#last = { ok: true, value: await this.task(force) };
        } catch (error) {
          // A throw must not stop the runner, and must reach the requests this run serves.
          this.#last = { ok: false, error };
        } finally {
          this.inFlight--;
        }
        this.#done = covered;
        this.#settle((w) => w.ticket <= covered);
      }
    } finally {
      this.#driving = undefined;
      if (this.#closed) this.#settleClosed();
    }
  }

  #settle(which: (w: { ticket: number }) => boolean): void {
    const keep: Waiter<T>[] = [];
    const last = this.#last;
    for (const w of this.#waiters) {
      if (!which(w)) keep.push(w);
      else if (last.ok) w.resolve(last.value);
      else w.reject(last.error);
    }
    this.#waiters = keep;
  }

  /** After close: requests no run will serve resolve with undefined. */
  #settleClosed(): void {
    for (const w of this.#waiters.splice(0)) w.resolve(undefined);
  }

  /** Stops further runs and waits for the one in flight. Pending requests resolve with undefined. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#driving) await this.#driving;
    this.#settleClosed();
  }
}
