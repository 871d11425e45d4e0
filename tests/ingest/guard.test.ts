import { describe, expect, test } from 'vitest';
import { contentHash, parseArticle } from '../../src/core/extract/index.js';
import {
  bigramSimilarity,
  createGuardState,
  findWallPhrase,
  judge,
  LOST_MOST_RATIO,
  wordCount,
} from '../../src/ingest/guard.js';
import { story, storyText } from '../watch/helpers.js';

const art = (s: { title: string; paragraphs: string[] }) => parseArticle({ body: storyText(s), format: 'text' });

describe('the false-version guard', () => {
  const full = art(story('Quake hits the coast', 1, 12));

  test('a small edit is accepted at once', () => {
    const s = story('Quake hits the coast', 1, 12);
    s.paragraphs[3] += ' More details emerged later.';
    const next = art(s);
    const state = createGuardState();
    expect(judge(state, { article: 'a', previous: full, candidate: next, candidateHash: contentHash(next) })).toEqual({
      action: 'accept',
      confirmed: false,
    });
    expect(state.pending.size).toBe(0);
  });

  test('a first version is accepted', () => {
    const state = createGuardState();
    expect(judge(state, { article: 'a', previous: undefined, candidate: full, candidateHash: 'h' }).action).toBe(
      'accept',
    );
  });

  test('a truncated extraction is held, then published when seen on two consecutive polls', () => {
    const truncated = art(story('Quake hits the coast', 1, 3));
    expect(wordCount(truncated) / wordCount(full)).toBeLessThan(LOST_MOST_RATIO);
    const state = createGuardState();
    const input = { article: 'a', previous: full, candidate: truncated, candidateHash: contentHash(truncated) };
    const first = judge(state, input);
    expect(first).toMatchObject({ action: 'hold', reason: 'lost-most' });
    expect(judge(state, input)).toEqual({ action: 'accept', confirmed: true });
    expect(state.pending.size).toBe(0);
  });

  test('a held candidate is forgotten when a different one comes between', () => {
    const t1 = art(story('Quake hits the coast', 1, 3));
    const t2 = art(story('Quake hits the coast', 1, 2));
    const state = createGuardState();
    expect(judge(state, { article: 'a', previous: full, candidate: t1, candidateHash: contentHash(t1) }).action).toBe(
      'hold',
    );
    expect(judge(state, { article: 'a', previous: full, candidate: t2, candidateHash: contentHash(t2) }).action).toBe(
      'hold',
    );
    expect(judge(state, { article: 'a', previous: full, candidate: t1, candidateHash: contentHash(t1) }).action).toBe(
      'hold',
    );
  });

  test('a drastic change (nothing shared) waits for confirmation', () => {
    const other = art(story('Quake hits the coast', 500, 12, true));
    expect(bigramSimilarity(full, other)).toBeLessThan(0.2);
    const state = createGuardState();
    const input = { article: 'a', previous: full, candidate: other, candidateHash: contentHash(other) };
    expect(judge(state, input)).toMatchObject({ action: 'hold', reason: 'pending-confirmation' });
    expect(judge(state, input)).toEqual({ action: 'accept', confirmed: true });
  });

  test('a bot wall is refused, even when seen again and again', () => {
    const wall = art({
      title: 'Just a moment...',
      paragraphs: ['Checking your browser before accessing the site.', 'Please verify you are human to continue.'],
    });
    expect(findWallPhrase('Please VERIFY  you are human')).toBe('verify you are human');
    const state = createGuardState();
    for (let i = 0; i < 3; i++) {
      expect(
        judge(state, { article: 'a', previous: full, candidate: wall, candidateHash: contentHash(wall) }),
      ).toMatchObject({
        action: 'reject',
        reason: 'no-article',
      });
    }
    // with no previous version too
    expect(judge(state, { article: 'b', previous: undefined, candidate: wall, candidateHash: 'w' }).action).toBe(
      'reject',
    );
  });

  test('a long real article that mentions a wall phrase is not a wall', () => {
    const s = story('Cookie consent rules tighten', 1, 12);
    s.paragraphs[2] = 'Regulators said a banner that says accept all cookies must offer a reject button too.';
    const a = art(s);
    const state = createGuardState();
    expect(judge(state, { article: 'a', previous: full, candidate: a, candidateHash: contentHash(a) }).action).toBe(
      'accept',
    );
  });
});
