import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { casesIn, evaluate } from './evaluate.js';

const cases = casesIn(path.join(import.meta.dirname, '..', 'fixtures', 'eval'));

describe('evaluation on the hand-written version pairs', () => {
  it('has at least 40 pairs in every style', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    for (const style of ['ap-', 'reuters-', 'afp-', 'bbg-', 'net-', 'live-', 'gov-']) {
      expect(cases.filter((c) => c.name.startsWith(style)).length, style).toBeGreaterThanOrEqual(4);
    }
  });
});

/** The floors this evaluation reaches (see docs/changes.md, "Evaluation"); a regression below them fails. */
const FLOOR = { development: 0.9, all: 0.85, kindAccuracy: 0.9 };

describe('per-facet floors', () => {
  it(`development set: precision and recall ≥ ${FLOOR.development} for every facet`, () => {
    const ev = evaluate(cases.filter((c) => c.set === 'development'));
    for (const s of ev.facets) {
      expect(s.precision, `${s.name} precision`).toBeGreaterThanOrEqual(FLOOR.development);
      expect(s.recall, `${s.name} recall`).toBeGreaterThanOrEqual(FLOOR.development);
    }
    expect(ev.kindAccuracy).toBeGreaterThanOrEqual(FLOOR.kindAccuracy);
  });

  it(`all pairs (development and held-out): precision and recall ≥ ${FLOOR.all} for every facet`, () => {
    const ev = evaluate(cases);
    for (const s of ev.facets) {
      expect(s.precision, `${s.name} precision`).toBeGreaterThanOrEqual(FLOOR.all);
      expect(s.recall, `${s.name} recall`).toBeGreaterThanOrEqual(FLOOR.all);
    }
    expect(ev.kindAccuracy).toBeGreaterThanOrEqual(FLOOR.kindAccuracy);
  });
});
