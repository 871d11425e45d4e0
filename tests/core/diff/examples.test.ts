/** Example tests: each op, each kind, the bounds and the option checks. */
import { describe, expect, it } from 'vitest';
import { isWirediffError } from '../../../src/core/errors.js';
import { applyChangeSet, diffVersions } from '../../../src/core/diff/index.js';
import type { BlockKind } from '../../../src/core/model/article.js';
import type { ChangeSet, Op } from '../../../src/core/model/changeset.js';
import { invariantProblems, makeArticle } from './helpers.js';

const P = [
  'The Syrian regime is expanding its use of widely banned cluster bombs, a rights group said Saturday.',
  'Rebels detonated a powerful car bomb outside a high-rise building in the eastern city of Deir el-Zour.',
  'The blast came a day after Syrians marked the second anniversary of the start of their uprising.',
  'Human Rights Watch said Syrian forces have dropped at least 156 cluster bombs in 119 locations.',
  'A senior government official rejected the report, saying many amateur videos were suspect.',
  'The fighting in Syria has killed some 70,000 people and displaced 4 million, according to U.N. estimates.',
];

function diff(a: readonly string[], b: readonly string[], options?: Parameters<typeof diffVersions>[2]): ChangeSet {
  const cs = diffVersions(makeArticle(a), makeArticle(b), options);
  expect(applyChangeSet(a, cs)).toEqual(b);
  expect(invariantProblems(cs, a, b)).toEqual([]);
  return cs;
}

function only<K extends Op['op']>(cs: ChangeSet, kind: K): Extract<Op, { op: K }>[] {
  return cs.ops.filter((op): op is Extract<Op, { op: K }> => op.op === kind);
}

describe('ops', () => {
  it('an inserted and a deleted paragraph', () => {
    const cs = diff(P, [P[0]!, 'A brand new paragraph about one two three.', P[1]!, P[2]!, P[3]!, P[5]!]);
    expect(only(cs, 'insert')).toEqual([{ op: 'insert', n: 1, text: 'A brand new paragraph about one two three.' }]);
    expect(only(cs, 'delete')).toEqual([{ op: 'delete', o: 4, text: P[4] }]);
    expect(cs.stats.words.added).toBe(8);
    expect(cs.kind).toBe('update');
  });

  it('an unrelated paragraph in the same place is a delete plus an insert, not an edit', () => {
    const cs = diff(P, [
      P[0]!,
      P[1]!,
      'Jordan hosts more than 300,000 refugees and rarely confirms defectors.',
      P[3]!,
      P[4]!,
      P[5]!,
    ]);
    expect(only(cs, 'edit')).toEqual([]);
    expect(only(cs, 'delete').map((op) => op.o)).toEqual([2]);
    expect(only(cs, 'insert').map((op) => op.n)).toEqual([2]);
  });

  it('an edited paragraph carries its word parts', () => {
    const next = P.slice();
    next[1] = 'Rebels detonated a huge car bomb outside a high-rise building in the eastern city of Deir el-Zour.';
    const cs = diff(P, next);
    const [edit] = only(cs, 'edit');
    expect(edit).toMatchObject({ o: 1, n: 1, cosmetic: false });
    expect(edit!.parts!.filter((p) => p.t !== '=')).toEqual([
      { t: '-', v: 'powerful' },
      { t: '+', v: 'huge' },
    ]);
    expect(cs.ops.map((op) => op.op)).toEqual(['equal', 'edit', 'equal']);
  });

  it('a paragraph moved unchanged: move (parts null) and moved-out', () => {
    const next = [P[0]!, P[2]!, P[3]!, P[4]!, P[1]!, P[5]!];
    const cs = diff(P, next);
    const moves = [...only(cs, 'move'), ...only(cs, 'moved-out')];
    expect(moves).toHaveLength(2);
    const move = only(cs, 'move')[0]!;
    expect(move.parts).toBeNull();
    expect(move.similarity).toBe(1);
    expect(cs.stats.paragraphs).toMatchObject({ moved: 1, unchanged: 5, added: 0, removed: 0 });
  });

  it('a paragraph moved and edited: move with word parts', () => {
    const moved = P[1]!.replace('powerful', 'huge');
    const cs = diff(P, [P[0]!, P[2]!, P[3]!, P[4]!, P[5]!, moved]);
    const [move] = only(cs, 'move');
    expect(move).toMatchObject({ o: 1, n: 5, text: moved });
    expect(move!.parts).not.toBeNull();
    expect(only(cs, 'moved-out')).toEqual([{ op: 'moved-out', o: 1, n: 5, text: P[1] }]);
  });

  it('one paragraph split into two', () => {
    const long = `${P[0]!} ${P[1]!}`;
    const cs = diff([long, P[2]!, P[3]!], [P[0]!, P[1]!, P[2]!, P[3]!]);
    expect(only(cs, 'split')).toEqual([{ op: 'split', o: 0, n: 0, old: long, texts: [P[0], P[1]], similarity: 1 }]);
    expect(cs.stats.paragraphs.split).toBe(1);
  });

  it('two paragraphs merged into one', () => {
    const long = `${P[3]!} ${P[4]!}`;
    const cs = diff(P, [P[0]!, P[1]!, P[2]!, long, P[5]!]);
    expect(only(cs, 'merge')).toEqual([{ op: 'merge', o: 3, n: 3, olds: [P[3], P[4]], text: long, similarity: 1 }]);
  });

  it('a word diff past its bound is shown as replaced (parts null)', () => {
    const next = P.slice();
    next[0] =
      'The Syrian government is expanding its use of widely forbidden cluster munitions, a rights group said Sunday.';
    const bounded = diff(P, next, { maxWordEdit: 2 });
    expect(only(bounded, 'edit')[0]!.parts).toBeNull();
    const free = diff(P, next);
    expect(only(free, 'edit')[0]!.parts).not.toBeNull();
  });

  it('a large rewrite takes the bounded path and still finds the paragraph edited in place', () => {
    const old: string[] = [];
    const next: string[] = [];
    for (let k = 0; k < 3000; k++) {
      old.push(`Old item ${k} reports on event alpha${k} with details beta${k} and gamma${k} at the site delta${k}.`);
      next.push(`New entry ${k} covers story omega${k} with notes psi${k} and chi${k} near place phi${k}.`);
    }
    next[1500] = old[1500]!.replace('details', 'fresh details');
    const cs = diff(old, next);
    expect(only(cs, 'edit').map((op) => [op.o, op.n])).toEqual([[1500, 1500]]);
    expect(diffVersions(makeArticle(old), makeArticle(next))).toEqual(cs);
  });
});

describe('kinds', () => {
  it('headline only', () => {
    const cs = diffVersions(
      makeArticle(P, 'Rights group: Syria expanding use of cluster bombs'),
      makeArticle(P, 'Syrian general defects'),
    );
    expect(cs.kind).toBe('headline');
    expect(cs.title).toEqual({
      old: 'Rights group: Syria expanding use of cluster bombs',
      new: 'Syrian general defects',
      changed: true,
    });
    expect(cs.summary).toBe(
      'Headline changed: “Rights group: Syria expanding use of cluster bombs” → “Syrian general defects”',
    );
    expect(cs.ops).toEqual([{ op: 'equal', o: 0, n: 0, count: P.length }]);
  });

  it('whitespace and quotes only: minor, cosmetic edits', () => {
    const old = ['He said it “has taken a long time.”', 'Many don’t explode immediately.'];
    const next = ['He said  it "has taken a long time."', "Many don't explode\u00a0immediately."];
    const cs = diff(old, next);
    expect(cs.kind).toBe('minor');
    expect(only(cs, 'edit').every((op) => op.cosmetic)).toBe(true);
    expect(cs.stats.words).toEqual({ added: 0, removed: 0 });
    expect(cs.significance).toBeGreaterThan(0);
    expect(cs.significance).toBeLessThanOrEqual(0.1);
  });

  it('a typo: minor', () => {
    const next = P.slice();
    next[4] = next[4]!.replace('government', 'goverment');
    const cs = diff(P, next);
    expect(cs.kind).toBe('minor');
    expect(cs.summary).toBe('Minor edit: a word or punctuation fixed in 1 paragraph');
  });

  it('a word or two reworded: minor, not called a typo', () => {
    const next = P.slice();
    next[4] = next[4]!.replace(/\bgovernment\b/, 'state authorities');
    const cs = diff(P, next);
    expect(cs.kind).toBe('minor');
    expect(cs.summary).toBe('Minor edit: a word or punctuation fixed in 1 paragraph');
  });

  it('a figure changed in place without a notice: figures, never a correction', () => {
    const next = P.slice();
    next[3] = next[3]!.replace('156', '165');
    const cs = diff(P, next);
    expect(cs.kind).toBe('figures');
    expect(cs.facets).toEqual(['figures']);
    expect(cs.facts).toEqual([
      { type: 'figure', label: 'cluster bombs', old: '156', new: '165', inLede: false, at: { o: 3, n: 3 } },
    ]);
  });

  it('a correction notice added: correction', () => {
    const a = makeArticle(P);
    const b = makeArticle(
      [...P, 'Correction: An earlier version of this story misstated the number of bombs.'],
      'Title',
      [...P.map((): BlockKind => 'body'), 'correction'],
    );
    const cs = diffVersions(a, b);
    expect(cs.kind).toBe('correction');
    expect(cs.structure?.correctionAdded).toBe(true);
  });

  it('a second update above an existing banner: breaking-update', () => {
    const banner = 'THIS IS A BREAKING NEWS UPDATE. Check back soon for further information.';
    const kinds = (u: number): BlockKind[] => [
      ...Array<BlockKind>(u).fill('update'),
      'banner',
      ...P.map((): BlockKind => 'earlier'),
    ];
    const a = makeArticle(['First update.', banner, ...P], 'T', kinds(1));
    const b = makeArticle(['Second, newer update.', 'First update.', banner, ...P], 'T', kinds(2));
    const cs = diffVersions(a, b);
    expect(cs.kind).toBe('breaking-update');
    expect(cs.summary).toBe(
      'Breaking update: 1 paragraph added to the update above the banner; the earlier story is unchanged',
    );
  });
});

describe('options and faults', () => {
  it('rejects invalid options with a message naming the option, the range and the value', () => {
    const a = makeArticle(P);
    const bad: [object, RegExp][] = [
      [{ maxWordEdit: 0 }, /^Expected `maxWordEdit` to be an integer from 1 to 100000, got `0` \(number\)$/],
      [{ maxAlignEdit: 1.5 }, /^Expected `maxAlignEdit` to be an integer from 0 to 100000, got `1\.5` \(number\)$/],
      [
        { fullCompareLimit: '10' },
        /^Expected `fullCompareLimit` to be an integer from 0 to 10000000, got `10` \(string\)$/,
      ],
    ];
    for (const [options, message] of bad) {
      let caught: unknown;
      try {
        diffVersions(a, a, options);
      } catch (err) {
        caught = err;
      }
      expect(isWirediffError(caught, 'E_USAGE')).toBe(true);
      expect((caught as Error).message).toMatch(message);
    }
  });

  it('applyChangeSet refuses an equal op outside the old paragraphs', () => {
    let caught: unknown;
    try {
      applyChangeSet(['a'], { ops: [{ op: 'equal', o: 0, n: 0, count: 2 }] });
    } catch (err) {
      caught = err;
    }
    expect(isWirediffError(caught, 'E_CORRUPT')).toBe(true);
  });
});
