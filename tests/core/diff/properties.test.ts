/**
 * Property tests over seeded random edit scripts: insert, delete, edit words, move, split, merge, prepend a block,
 * whitespace-only change. Seeded: the run is the same every time; on failure fast-check prints the seed and the
 * path of the counterexample (re-run one with WIREDIFF_FC_SEED=<seed>).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyChangeSet, diffVersions, type DiffOptions } from '../../../src/core/diff/index.js';
import { invariantProblems, makeArticle } from './helpers.js';

const SEED = Number(process.env['WIREDIFF_FC_SEED'] ?? 20261125);

const VOCAB = [
  'the',
  'of',
  'and',
  'a',
  'to',
  'in',
  'said',
  'rebels',
  'army',
  'general',
  'Syria',
  'Assad',
  'bomb',
  'city',
  'Saturday',
  'killed',
  '70,000',
  'people',
  'U.N.',
  'defected',
  'report',
  'videos',
  'authentic',
  'Jordan',
  'cluster',
  'regime',
  'forces',
  'state',
  'TV',
  'activists',
  '“freedom”',
  'don’t',
  'al-Khatib',
  '—',
  'civilians',
];

const word = fc.constantFrom(...VOCAB);
const paragraph = fc.array(word, { minLength: 1, maxLength: 18 }).map((ws) => {
  const s = ws.join(' ');
  return s.charAt(0).toUpperCase() + s.slice(1) + '.';
});

type Step =
  | { t: 'insert'; at: number; text: string }
  | { t: 'delete'; at: number }
  | { t: 'edit'; at: number; wordAt: number; word: string; how: 0 | 1 | 2 }
  | { t: 'move'; from: number; to: number }
  | { t: 'split'; at: number; cut: number }
  | { t: 'merge'; at: number }
  | { t: 'prepend'; texts: string[] }
  | { t: 'ws'; at: number; how: 0 | 1 | 2 }
  | { t: 'dup'; at: number; to: number };

const nat = fc.nat({ max: 1000 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ t: fc.constant('insert' as const), at: nat, text: paragraph }),
  fc.record({ t: fc.constant('delete' as const), at: nat }),
  fc.record({
    t: fc.constant('edit' as const),
    at: nat,
    wordAt: nat,
    word,
    how: fc.constantFrom(0 as const, 1 as const, 2 as const),
  }),
  fc.record({ t: fc.constant('move' as const), from: nat, to: nat }),
  fc.record({ t: fc.constant('split' as const), at: nat, cut: nat }),
  fc.record({ t: fc.constant('merge' as const), at: nat }),
  fc.record({ t: fc.constant('prepend' as const), texts: fc.array(paragraph, { minLength: 1, maxLength: 4 }) }),
  fc.record({ t: fc.constant('ws' as const), at: nat, how: fc.constantFrom(0 as const, 1 as const, 2 as const) }),
  fc.record({ t: fc.constant('dup' as const), at: nat, to: nat }),
);

function applyStep(ps: string[], s: Step): string[] {
  const out = ps.slice();
  const n = out.length;
  switch (s.t) {
    case 'insert':
      out.splice(s.at % (n + 1), 0, s.text);
      return out;
    case 'prepend':
      return [...s.texts, ...out];
    default:
      break;
  }
  if (n === 0) return out;
  switch (s.t) {
    case 'delete':
      out.splice(s.at % n, 1);
      return out;
    case 'edit': {
      const k = s.at % n;
      const ws = out[k]!.split(' ');
      const at = s.wordAt % ws.length;
      if (s.how === 0) ws[at] = s.word;
      else if (s.how === 1) ws.splice(at, 0, s.word);
      else if (ws.length > 1) ws.splice(at, 1);
      out[k] = ws.join(' ');
      return out;
    }
    case 'move': {
      const [p] = out.splice(s.from % n, 1);
      out.splice(s.to % n, 0, p!);
      return out;
    }
    case 'split': {
      const k = s.at % n;
      const ws = out[k]!.split(' ');
      if (ws.length < 2) return out;
      const cut = 1 + (s.cut % (ws.length - 1));
      out.splice(k, 1, ws.slice(0, cut).join(' '), ws.slice(cut).join(' '));
      return out;
    }
    case 'merge': {
      if (n < 2) return out;
      const k = s.at % (n - 1);
      out.splice(k, 2, `${out[k]!} ${out[k + 1]!}`);
      return out;
    }
    case 'ws': {
      const k = s.at % n;
      const p = out[k]!;
      out[k] = s.how === 0 ? p.replace(' ', '  ') : s.how === 1 ? p.replace(' ', '\u00a0') : p.replace('’', "'");
      return out;
    }
    case 'dup':
      out.splice(s.to % (n + 1), 0, out[s.at % n]!);
      return out;
  }
}

const scenario = fc
  .record({
    base: fc.array(paragraph, { minLength: 0, maxLength: 25 }),
    steps: fc.array(step, { minLength: 0, maxLength: 8 }),
  })
  .map(({ base, steps }) => ({ base, next: steps.reduce(applyStep, base), steps }));

function checkPair(oldTexts: string[], newTexts: string[], options?: DiffOptions): void {
  const a = makeArticle(oldTexts, 'Title');
  const b = makeArticle(newTexts, 'Title');
  const cs = diffVersions(a, b, options);
  expect(applyChangeSet(oldTexts, cs)).toEqual(newTexts);
  expect(invariantProblems(cs, oldTexts, newTexts)).toEqual([]);
  // Same input, same ChangeSet.
  expect(diffVersions(a, b, options)).toEqual(cs);
  const same = oldTexts.every((t, k) => t === newTexts[k]) && oldTexts.length === newTexts.length;
  expect(cs.kind === 'none').toBe(same);
}

describe('diffVersions properties (seeded)', () => {
  it('rebuilds the new version, covers every paragraph once, is deterministic (3,000 scripts)', () => {
    fc.assert(
      fc.property(scenario, ({ base, next }) => checkPair(base, next)),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('diffing a version with itself is no change (1,000 versions)', () => {
    fc.assert(
      fc.property(fc.array(paragraph, { maxLength: 30 }), fc.string({ maxLength: 20 }), (texts, title) => {
        const a = makeArticle(texts, title);
        const cs = diffVersions(a, makeArticle(texts.slice(), title));
        expect(cs.kind).toBe('none');
        expect(cs.significance).toBe(0);
        expect(cs.ops.every((op) => op.op === 'equal')).toBe(true);
        expect(cs.stats.paragraphs.unchanged).toBe(texts.length);
        expect(applyChangeSet(texts, cs)).toEqual(texts);
      }),
      { seed: SEED + 1, numRuns: 1000 },
    );
  });

  it('holds on the bounded paths too: no exhaustive search, tiny Myers and word-diff bounds (1,500 scripts)', () => {
    const options = fc.record({
      fullCompareLimit: fc.constantFrom(0, 1, 4),
      maxAlignEdit: fc.constantFrom(0, 1, 3),
      maxWordEdit: fc.constantFrom(1, 2, 8),
    });
    fc.assert(
      fc.property(scenario, options, ({ base, next }, opts) => checkPair(base, next, opts)),
      { seed: SEED + 2, numRuns: 1500 },
    );
  });

  it('holds on long versions with many repeated paragraphs (200 scripts of up to 150 paragraphs)', () => {
    const long = fc
      .record({
        base: fc.array(paragraph, { minLength: 60, maxLength: 150 }),
        steps: fc.array(step, { minLength: 1, maxLength: 30 }),
      })
      .map(({ base, steps }) => ({ base, next: steps.reduce(applyStep, base) }));
    fc.assert(
      fc.property(long, ({ base, next }) => checkPair(base, next)),
      { seed: SEED + 3, numRuns: 200 },
    );
  });
});

describe('the random edit scripts exercise every op', () => {
  it('produces every op kind, cosmetic edits and past-the-bound edits over the seeded sample', () => {
    const seen = new Map<string, number>();
    const count = (k: string): void => void seen.set(k, (seen.get(k) ?? 0) + 1);
    for (const { base, next } of fc.sample(scenario, { seed: SEED, numRuns: 1500 })) {
      const cs = diffVersions(makeArticle(base), makeArticle(next), { maxWordEdit: 4 });
      for (const op of cs.ops) {
        count(op.op);
        if (op.op === 'edit' && op.cosmetic) count('cosmetic');
        if (op.op === 'edit' && op.parts === null) count('edit-replaced');
        if (op.op === 'move' && op.parts !== null) count('move-edited');
      }
      count(cs.kind);
    }
    for (const k of [
      'equal',
      'insert',
      'delete',
      'edit',
      'move',
      'moved-out',
      'split',
      'merge',
      'cosmetic',
      'edit-replaced',
      'move-edited',
    ]) {
      expect(seen.get(k) ?? 0, k).toBeGreaterThan(0);
    }
    for (const k of ['none', 'minor', 'update']) expect(seen.get(k) ?? 0, k).toBeGreaterThan(0);
  });
});
