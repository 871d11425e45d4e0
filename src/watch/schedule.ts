/**
 * When to poll a watched web article again (pure): fresh and recently changed articles often, aging ones less,
 * as NewsDiffs does. Tiers are checked in order and the first that matches wins; the last one applies to the rest.
 * The back-off after a failed poll is backoff.ts.
 */

/** A schedule tier (the config's `watch.tiers` entries, durations in milliseconds). */
export interface ScheduleTier {
  readonly name: string;
  /** The tier applies while the article changed within this long. */
  readonly changedWithin?: number | undefined;
  /** The tier applies while the article (its first version) is younger than this. */
  readonly ageUnder?: number | undefined;
  /** Poll at most this often while in the tier. */
  readonly every: number;
}

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
