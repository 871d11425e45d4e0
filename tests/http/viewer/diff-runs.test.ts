/**
 * The diff page's `expand=` runs: reading them (with refusals that name the parameter, the range and the value),
 * writing them, and adding one more as a fold link does (sorted, merged, bounded).
 */
import { describe, expect, it } from 'vitest';
import { formatRuns, MAX_EXPAND_RUNS, parseRuns, withRun } from '../../../src/http/viewer/pages/diff.js';

describe('expand runs', () => {
  it('reads 1-based inclusive runs into 0-based ones, and writes them back', () => {
    const parsed = parseRuns('3-5,10-10', 10);
    expect(parsed).toEqual({
      ok: true,
      runs: [
        { start: 2, count: 3 },
        { start: 9, count: 1 },
      ],
    });
    expect(formatRuns(parsed.ok ? parsed.runs : [])).toBe('3-5,10-10');
  });

  it.each([
    ['', 10],
    ['3', 10],
    ['3-', 10],
    ['-3', 10],
    ['03-5', 10],
    ['5-3', 10],
    ['1-11', 10],
    ['1-1', 0],
    ['1e2-3', 10],
  ])('refuses %j (paragraphs: %i)', (raw, paragraphs) => {
    const parsed = parseRuns(raw, paragraphs);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.message).toMatch(/^"expand" must be /);
      expect(parsed.message).toContain(`received "${raw}"`);
      if (paragraphs > 0) expect(parsed.message).toContain(`1 ≤ A ≤ B ≤ ${paragraphs}`);
    }
  });

  it('refuses more runs than allowed', () => {
    const raw = Array.from({ length: MAX_EXPAND_RUNS + 1 }, (_, i) => `${i + 1}-${i + 1}`).join(',');
    expect(parseRuns(raw, 100).ok).toBe(false);
    expect(parseRuns(raw.split(',').slice(1).join(','), 100).ok).toBe(true);
    expect(parseRuns('1-2,4-5', 100, 1)).toEqual({
      ok: false,
      message:
        '"expand" must be runs of paragraph numbers A-B with 1 ≤ A ≤ B ≤ 100 (exactly one run); received "1-2,4-5".',
    });
  });

  it('adds a run: sorted, touching runs merged, the oldest dropped past the limit', () => {
    expect(withRun([{ start: 50, count: 10 }], { start: 10, count: 5 })).toEqual([
      { start: 10, count: 5 },
      { start: 50, count: 10 },
    ]);
    expect(withRun([{ start: 10, count: 5 }], { start: 15, count: 5 })).toEqual([{ start: 10, count: 10 }]);
    expect(withRun([{ start: 10, count: 20 }], { start: 12, count: 3 })).toEqual([{ start: 10, count: 20 }]);
    const many = Array.from({ length: MAX_EXPAND_RUNS }, (_, i) => ({ start: i * 10, count: 2 }));
    const out = withRun(many, { start: 1000, count: 2 });
    expect(out).toHaveLength(MAX_EXPAND_RUNS);
    expect(out[0]).toEqual({ start: 10, count: 2 });
    expect(out.at(-1)).toEqual({ start: 1000, count: 2 });
  });
});
