/**
 * When to poll a watched web article again (pure): fresh and recently changed articles often, aging ones less,
 * as NewsDiffs does. Tiers are checked in order and the first that matches wins; the last one applies to the rest.
 * Also the back-off after a failed fetch (429, 5xx, timeouts): exponential with jitter, at least the Retry-After.
 */
import type { ScheduleTier } from '../config/config.js';

/** The default tiers in milliseconds (the config's `watch.tiers` default says the same in words). */
export const TIERS_MS = {
  /** Changed within the last hour: every 5 minutes. */
  hot: { changedWithin: 3_600_000, every: 300_000 },
  /** First day: every 15 minutes. */
  fresh: { ageUnder: 86_400_000, every: 900_000 },
  /** First week: hourly. */
  recent: { ageUnder: 7 * 86_400_000, every: 3_600_000 },
  /** First month: daily. */
  aging: { ageUnder: 30 * 86_400_000, every: 86_400_000 },
  /** Older: weekly. */
  old: { every: 7 * 86_400_000 },
} as const;

/**
 * A poll is due this much before its exact time (at most `DUE_SLACK_MAX_MS`, a tenth of the interval), so that a
 * cron tick landing a moment before `lastPoll + every` does not push the poll to the next tick.
 */
export const DUE_SLACK_MAX_MS = 30_000;

/** True when a poll planned for `at` (on a tier polling every `every` ms) is due at `now`. */
export function isDue(at: number, now: number, every: number): boolean {
  return at - Math.min(DUE_SLACK_MAX_MS, every / 10) <= now;
}

/** Retry-After values beyond this are capped (a server asking for a month is not obeyed blindly). */
export const MAX_RETRY_AFTER_MS = 7 * 86_400_000;

export interface ArticleTiming {
  /** Milliseconds since the epoch. */
  readonly now: number;
  /** When the first version was stored; undefined for an article not stored yet. */
  readonly firstSeen?: number;
  /** When the latest version was stored. */
  readonly lastChange?: number;
}

/** The tier an article is in (the last tier when none matches). */
export function pickTier(tiers: readonly ScheduleTier[], t: ArticleTiming): ScheduleTier {
  const last = tiers[tiers.length - 1];
  if (last === undefined) throw new RangeError('Expected at least one schedule tier, got none');
  if (t.firstSeen === undefined) return tiers[0] ?? last;
  const age = Math.max(0, t.now - t.firstSeen);
  const sinceChange = t.lastChange === undefined ? Infinity : Math.max(0, t.now - t.lastChange);
  for (const tier of tiers) {
    const hasCondition = tier.changedWithin !== undefined || tier.ageUnder !== undefined;
    if (!hasCondition) return tier;
    if (tier.changedWithin !== undefined && sinceChange < tier.changedWithin) return tier;
    if (tier.ageUnder !== undefined && age < tier.ageUnder) return tier;
  }
  return last;
}

/**
 * When the article is next due: `lastPoll + tier.every` (now, when it was never polled).
 */
export function nextPollAt(
  tiers: readonly ScheduleTier[],
  t: ArticleTiming & { readonly lastPoll?: number },
): { tier: string; at: number; every: number } {
  const tier = pickTier(tiers, t);
  return { tier: tier.name, at: t.lastPoll === undefined ? t.now : t.lastPoll + tier.every, every: tier.every };
}

/**
 * The wait after `failures` consecutive failures (1 = the first): `base · 2^(failures-1)` capped at `max`,
 * scaled by a jitter in [0.5, 1) from `random`, and never less than the server's Retry-After.
 */
export function backoffDelay(
  failures: number,
  opts: {
    readonly baseMs: number;
    readonly maxMs: number;
    readonly random: () => number;
    readonly retryAfterMs?: number;
  },
): number {
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
