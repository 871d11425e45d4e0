/** The back-off after failed polls: the delay (exponential, jitter, Retry-After) and one source's Backoff. */
import { describe, expect, test } from 'vitest';
import { Backoff, backoffDelay, seededRandom } from '../../src/watch/backoff.js';

const D = 24 * 3_600_000;

describe('back-off', () => {
  test('doubles per failure, with jitter in [0.5, 1), capped', () => {
    const random = seededRandom(42);
    let prevMax = 0;
    for (let f = 1; f <= 12; f++) {
      const d = backoffDelay(f, { baseMs: 1000, maxMs: 60_000, random });
      const exp = Math.min(60_000, 1000 * 2 ** (f - 1));
      expect(d).toBeGreaterThanOrEqual(exp * 0.5);
      expect(d).toBeLessThan(exp);
      prevMax = Math.max(prevMax, d);
    }
    expect(prevMax).toBeLessThan(60_000);
  });

  test('Retry-After wins when longer; capped at a week', () => {
    const random = seededRandom(1);
    expect(backoffDelay(1, { baseMs: 1000, maxMs: 60_000, random, retryAfterMs: 120_000 })).toBe(120_000);
    expect(backoffDelay(1, { baseMs: 1000, maxMs: 60_000, random, retryAfterMs: 100 * D })).toBe(7 * D);
  });

  test('seeded jitter is reproducible', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });
});

describe('Backoff', () => {
  test('counts failures in a row, holds until the wait is over, and starts again after a success', () => {
    const b = new Backoff({ baseMs: 1000, maxMs: 60_000, random: () => 0 });
    const t = 5_000_000;
    expect(b.holds(t)).toBe(false);
    expect(b.fail(t)).toBe(500); // jitter 0: half of the base
    expect([b.failures, b.until, b.holds(t + 499), b.holds(t + 500)]).toEqual([1, t + 500, true, false]);
    expect(b.fail(t)).toBe(1000);
    expect(b.fail(t, 90_000)).toBe(90_000); // at least the Retry-After
    expect([b.failures, b.until]).toEqual([3, t + 90_000]);
    b.succeed();
    expect([b.failures, b.until, b.holds(t)]).toEqual([0, undefined, false]);
    expect(b.fail(t)).toBe(500);
  });
});
