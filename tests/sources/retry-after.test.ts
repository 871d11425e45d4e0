import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../src/sources/index.js';

const NOW = Date.parse('2026-11-25T03:00:00Z');

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('0', NOW)).toBe(0);
    expect(parseRetryAfter(' 120 ', NOW)).toBe(120_000);
  });

  it('reads HTTP dates (IMF-fixdate, RFC 850, asctime) against the given clock', () => {
    expect(parseRetryAfter('Wed, 25 Nov 2026 03:01:00 GMT', NOW)).toBe(60_000);
    expect(parseRetryAfter('Wednesday, 25-Nov-26 03:00:10 GMT', NOW)).toBe(10_000);
    expect(parseRetryAfter('Wed Nov 25 03:00:05 2026', NOW)).toBe(5_000);
  });

  it('never returns a negative delay for a past date', () => {
    expect(parseRetryAfter('Wed, 25 Nov 2026 02:00:00 GMT', NOW)).toBe(0);
  });

  it('returns undefined for absent or unparseable values', () => {
    for (const v of [undefined, '', '-5', '1.5', 'soon', '2026-11-25', 'Wed, 99 Foo 2026 03:00:00 GMT']) {
      expect(parseRetryAfter(v, NOW), String(v)).toBeUndefined();
    }
  });
});
