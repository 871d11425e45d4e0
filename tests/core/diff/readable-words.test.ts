import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseArticle } from '../../../src/core/extract/index.js';
import { applyChangeSet, diffVersions } from '../../../src/core/diff/index.js';
import { cleanupSemantic, readableParts, splitSentences, wordParts } from '../../../src/core/diff/words.js';
import { REPLACE_MAX_UNCHANGED, showAsReplaced, type WordPart } from '../../../src/core/model/changeset.js';
import { renderDiffHtml, renderText } from '../../../src/core/render/index.js';

const oldOf = (ps: readonly WordPart[]): string =>
  ps
    .filter((p) => p.t !== '+')
    .map((p) => p.v)
    .join('');
const newOf = (ps: readonly WordPart[]): string =>
  ps
    .filter((p) => p.t !== '-')
    .map((p) => p.v)
    .join('');
/** How many separate changes (runs of non-equal parts) the parts show. */
const hunks = (ps: readonly WordPart[]): number =>
  ps.filter((p, k) => p.t !== '=' && (k === 0 || ps[k - 1]!.t === '=')).length;

describe('cleanupSemantic (after diff-match-patch)', () => {
  it('folds a short equality between two changes into the change', () => {
    const parts: WordPart[] = [
      { t: '=', v: 'A ' },
      { t: '-', v: 'red' },
      { t: '+', v: 'blue' },
      { t: '=', v: ' ' },
      { t: '-', v: 'car' },
      { t: '+', v: 'bike' },
      { t: '=', v: ' stopped here today.' },
    ];
    expect(cleanupSemantic(parts)).toEqual([
      { t: '=', v: 'A ' },
      { t: '-', v: 'red car' },
      { t: '+', v: 'blue bike' },
      { t: '=', v: ' stopped here today.' },
    ]);
  });

  it('keeps an equality longer than the changes around it', () => {
    const parts: WordPart[] = [
      { t: '-', v: 'a' },
      { t: '+', v: 'b' },
      { t: '=', v: ' long shared stretch of words ' },
      { t: '-', v: 'c' },
      { t: '+', v: 'd' },
    ];
    expect(cleanupSemantic(parts)).toEqual(parts);
  });

  it('keeps both texts exactly', () => {
    const a = 'A high-ranking general in the Syrian army says he has defected with the help of rebel fighters.';
    const b = 'A high-ranking Syrian general has defected with the help of rebel fighters and fled to Jordan.';
    const raw = wordParts(a, b, 10_000)!;
    const clean = cleanupSemantic(raw);
    expect(oldOf(clean)).toBe(a);
    expect(newOf(clean)).toBe(b);
    expect(hunks(clean)).toBeLessThan(hunks(raw));
  });
});

describe('sentence alignment', () => {
  it('splits sentences, not abbreviations, and rebuilds the text', () => {
    const t =
      'Maj. Gen. Mohammed Khalouf spoke in Calif. on Monday. He left at 3 p.m. Then he was gone! "Why?" he asked.';
    const s = splitSentences(t);
    expect(s.join('')).toBe(t);
    expect(s.map((x) => x.trim())).toEqual([
      'Maj. Gen. Mohammed Khalouf spoke in Calif. on Monday.',
      'He left at 3 p.m. Then he was gone!',
      '"Why?" he asked.',
    ]);
  });

  it('a sentence added to a long paragraph is one change, the rest unchanged', () => {
    const a =
      'The first sentence of a long paragraph says what happened in the city on Saturday. ' +
      'The second sentence adds the background that readers need to follow the story. ' +
      'The third sentence quotes an official who spoke to reporters at the scene.';
    const b =
      'The first sentence of a long paragraph says what happened in the city on Saturday. ' +
      'A new sentence, added by the desk, gives the latest toll from the hospital. ' +
      'The second sentence adds the background that readers need to follow the story. ' +
      'The third sentence quotes an official who spoke to reporters at the scene.';
    const parts = readableParts(a, b, 10_000)!;
    expect(oldOf(parts)).toBe(a);
    expect(newOf(parts)).toBe(b);
    expect(parts.filter((p) => p.t !== '=')).toEqual([
      { t: '+', v: 'A new sentence, added by the desk, gives the latest toll from the hospital. ' },
    ]);
  });
});

describe('full replacement threshold', () => {
  it(`an edit keeping ${REPLACE_MAX_UNCHANGED * 100} % or less is shown old struck through, then new whole`, () => {
    const v = (n: number) => parseArticle({ body: readFileSync(`tests/fixtures/ap-syria/v${n}.txt`, 'utf8') });
    const [v2, v3] = [v(2), v(3)];
    const cs = diffVersions(v2, v3);
    expect(
      applyChangeSet(
        v2.paragraphs.map((p) => p.text),
        cs,
      ),
    ).toEqual(v3.paragraphs.map((p) => p.text));
    const lede = cs.ops.find((op) => op.op === 'edit' && op.n === 0);
    expect(lede?.op).toBe('edit');
    if (lede?.op !== 'edit') return;
    expect(lede.replace).toBe(true);
    expect(showAsReplaced(lede)).toBe(true);
    const text = renderText(cs, { color: false });
    // The seed write-thru's lede no longer reads as alternating words.
    expect(text).not.toMatch(/~~in~~|\[-in-\]\{\+has\+\}/);
    expect(text).toContain(
      '+     1 │ AMMAN, Jordan (AP) — A high-ranking Syrian general has defected with the help of rebel fighters',
    );
    const html = renderDiffHtml(cs, { view: 'inline' });
    expect(html).toContain(`<del>${'(AP) – A high-ranking general in the Syrian army says he has defected'}`);
  });

  it('a small edit stays a word diff', () => {
    const a = parseArticle({ body: 'T\n\nThe fire killed four people on Monday, officials said.' });
    const b = parseArticle({ body: 'T\n\nThe fire killed seven people on Monday, officials said.' });
    const op = diffVersions(a, b).ops[0]!;
    expect(op.op).toBe('edit');
    if (op.op !== 'edit') return;
    expect(op.replace).toBe(false);
    expect(op.parts).toEqual([
      { t: '=', v: 'The fire killed ' },
      { t: '-', v: 'four' },
      { t: '+', v: 'seven' },
      { t: '=', v: ' people on Monday, officials said.' },
    ]);
  });
});
