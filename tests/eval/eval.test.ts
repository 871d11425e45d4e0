import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { casesIn, evaluate, formatEvaluation } from './evaluate.js';

const ev = evaluate(casesIn(path.join(import.meta.dirname, '..', 'fixtures', 'eval')));

describe('evaluation on the hand-written version pairs', () => {
  it('has at least 40 pairs in every style', () => {
    expect(ev.cases.length).toBeGreaterThanOrEqual(40);
    for (const style of ['ap-', 'reuters-', 'afp-', 'bbg-', 'net-', 'live-', 'gov-']) {
      expect(ev.cases.filter((c) => c.name.startsWith(style)).length, style).toBeGreaterThanOrEqual(4);
    }
  });

  it('prints', () => {
    console.log(formatEvaluation(ev, true));
  });
});
