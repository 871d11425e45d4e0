/**
 * The back-off after a failed poll (429, 5xx, timeouts, unreadable folders): exponential with jitter, at least the
 * server's Retry-After. `Backoff` keeps one source's count of consecutive failures and until when it waits.
 */

/** Retry-After values beyond this are capped (a server asking for a month is not obeyed blindly). */
export const MAX_RETRY_AFTER_MS = 7 * 86_400_000;

export interface BackoffSettings {
  readonly baseMs: number;
  readonly maxMs: number;
  /** Jitter source in [0, 1) (tests pass `seededRandom(n)`). */
  readonly random: () => number;
}

/**
 * The wait after `failures` consecutive failures (1 = the first): `base · 2^(failures-1)` capped at `max`,
 * scaled by a jitter in [0.5, 1) from `random`, and never less than the server's Retry-After.
 */
export function backoffDelay(failures: number, opts: BackoffSettings & { readonly retryAfterMs?: number }): number {
  const exp = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, Math.min(failures - 1, 30)));
  const jittered = Math.round(exp * (0.5 + 0.5 * Math.min(Math.max(opts.random(), 0), 0.999999)));
  const retryAfter = opts.retryAfterMs === undefined ? 0 : Math.min(Math.max(0, opts.retryAfterMs), MAX_RETRY_AFTER_MS);
  return Math.max(jittered, retryAfter);
}

/** A small seeded PRNG (mulberry32) for reproducible jitter in tests. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One source's back-off: consecutive failures, and until when a scheduled poll waits. */
export class Backoff {
  #failures = 0;
  #until: number | undefined;

  constructor(private readonly settings: BackoffSettings) {}

  get failures(): number {
    return this.#failures;
  }

  /** Until when scheduled polls wait (kept after it passes, for the status, until a poll succeeds). */
  get until(): number | undefined {
    return this.#until;
  }

  /** True while a scheduled poll at `now` must wait. */
  holds(now: number): boolean {
    return this.#until !== undefined && this.#until > now;
  }

  /** Counts a failure at `now`; returns the wait (at least `retryAfterMs`). */
  fail(now: number, retryAfterMs?: number): number {
    this.#failures++;
    const wait = backoffDelay(this.#failures, {
      ...this.settings,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
    this.#until = now + wait;
    return wait;
  }

  /** A poll succeeded: the count starts again. */
  succeed(): void {
    this.#failures = 0;
    this.#until = undefined;
  }
}
