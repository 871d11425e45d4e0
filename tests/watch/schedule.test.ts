import { describe, expect, test } from 'vitest';
import { defaultConfig } from '../../src/config/config.js';
import { isDue, nextPollAt, pickTier, TIERS_MS } from '../../src/watch/schedule.js';

const tiers = defaultConfig('/tmp').watch.tiers;
const H = 3_600_000;
const D = 24 * H;
const now = 1_000 * D;

describe('schedule tiers', () => {
  test('the config default tiers say the same as TIERS_MS', () => {
    expect(tiers.map((t) => [t.name, t.every])).toEqual(Object.entries(TIERS_MS).map(([k, v]) => [k, v.every]));
  });

  test.each([
    ['never stored → hot', undefined, undefined, 'hot'],
    ['changed 10 minutes ago → hot', now - 2 * D, now - 10 * 60_000, 'hot'],
    ['2 hours old, unchanged since → fresh', now - 2 * H, now - 2 * H, 'fresh'],
    ['3 days old → recent', now - 3 * D, now - 3 * D, 'recent'],
    ['2 weeks old → aging', now - 14 * D, now - 10 * D, 'aging'],
    ['3 months old → old', now - 90 * D, now - 80 * D, 'old'],
  ])('%s', (_what, firstSeen, lastChange, tier) => {
    expect(
      pickTier(tiers, {
        now,
        ...(firstSeen !== undefined ? { firstSeen } : {}),
        ...(lastChange !== undefined ? { lastChange } : {}),
      }).name,
    ).toBe(tier);
  });

  test('next poll is the last poll plus the tier interval; never polled means now', () => {
    expect(nextPollAt(tiers, { now, firstSeen: now - 2 * H, lastChange: now - 2 * H, lastPoll: now - 60_000 })).toEqual(
      {
        tier: 'fresh',
        at: now - 60_000 + 15 * 60_000,
        every: 15 * 60_000,
      },
    );
    expect(nextPollAt(tiers, { now, firstSeen: now - 2 * H }).at).toBe(now);
  });
});

test('a cron tick a moment early still counts as due (no drift to the next tick)', () => {
  const every = 15 * 60_000;
  expect(isDue(now + 500, now, every)).toBe(true);
  expect(isDue(now + 29_000, now, every)).toBe(true);
  expect(isDue(now + 31_000, now, every)).toBe(false);
  expect(isDue(now + 40_000, now, 5 * 60_000)).toBe(false); // a tenth of 5 minutes is 30 s
});
