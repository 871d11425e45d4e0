/** Example tests on the AP Syria story's version history (tests/fixtures/ap-syria/v1..v4.txt). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseArticle } from '../../../src/core/extract/index.js';
import { applyChangeSet, diffVersions, EDIT_THRESHOLD, similarity } from '../../../src/core/diff/index.js';
import type { Article } from '../../../src/core/model/article.js';
import type { Op } from '../../../src/core/model/changeset.js';
import { invariantProblems, textsOf } from './helpers.js';

function version(k: number): Article {
  const body = readFileSync(new URL(`../../fixtures/ap-syria/v${k}.txt`, import.meta.url), 'utf8');
  return parseArticle({ body, format: 'text' });
}

const v1 = version(1);
const v2 = version(2);
const v3 = version(3);
const v4 = version(4);

function diffChecked(a: Article, b: Article): ReturnType<typeof diffVersions> {
  const cs = diffVersions(a, b);
  expect(applyChangeSet(textsOf(a), cs)).toEqual(textsOf(b));
  expect(invariantProblems(cs, textsOf(a), textsOf(b))).toEqual([]);
  return cs;
}

describe('AP fixtures', () => {
  it('v1 → v2: a breaking update placed above the unchanged earlier story', () => {
    const cs = diffChecked(v1, v2);
    expect(cs.kind).toBe('breaking-update');
    expect(cs.summary).toBe(
      'Breaking update: 6 paragraphs placed above the earlier story, with the banner; the earlier story is unchanged; ' +
        'headline “Rights Group: Syria Expanding Use of Cluster Bombs” → “High-Ranking Syrian General Defects from Army”',
    );
    expect(cs.facets).toEqual(['breaking-update', 'headline']);
    expect(cs.structure).toEqual({
      updateParagraphs: 6,
      bannerAdded: true,
      bannerRemoved: false,
      earlierUnchanged: true,
      correctionAdded: false,
    });
    // Seven inserts (six update paragraphs and the banner), then the whole earlier story as one equal run.
    expect(cs.ops.map((op) => op.op)).toEqual([...Array<string>(7).fill('insert'), 'equal']);
    expect(cs.ops[7]).toEqual({ op: 'equal', o: 0, n: 7, count: v1.paragraphs.length });
    expect(cs.stats.paragraphs).toMatchObject({
      added: 7,
      removed: 0,
      edited: 0,
      moved: 0,
      unchanged: v1.paragraphs.length,
    });
    expect(cs.significance).toBeGreaterThanOrEqual(0.7);
    expect(cs.title.changed).toBe(true);
  });

  it('v2 → v3: a write-thru (banner gone, story rewritten)', () => {
    const cs = diffChecked(v2, v3);
    expect(cs.kind).toBe('write-thru');
    expect(cs.structure?.bannerRemoved).toBe(true);
    expect(cs.summary).toMatch(/^Write-thru: the banner is gone/);
    // The banner line itself is deleted.
    const banner = cs.ops.find((op) => op.op === 'delete' && op.text.startsWith('THIS IS A BREAKING NEWS UPDATE'));
    expect(banner).toBeDefined();
    // The lede was rewritten in place: an edit with word parts.
    const lede = cs.ops.find((op): op is Extract<Op, { op: 'edit' }> => op.op === 'edit' && op.n === 0);
    expect(lede?.parts).not.toBeNull();
    expect(cs.significance).toBeGreaterThanOrEqual(0.5);
  });

  it('v3 → v4: a figure corrected in place, with a correction line', () => {
    const cs = diffChecked(v3, v4);
    expect(cs.kind).toBe('correction');
    expect(cs.structure?.correctionAdded).toBe(true);
    const edit = cs.ops.find((op): op is Extract<Op, { op: 'edit' }> => op.op === 'edit');
    expect(edit?.parts?.filter((p) => p.t !== '=')).toEqual([
      { t: '-', v: '156' },
      { t: '+', v: '165' },
    ]);
    expect(cs.stats.paragraphs).toMatchObject({ added: 1, edited: 1, removed: 0 });
  });

  it('the same version twice is no change', () => {
    for (const v of [v1, v2, v3, v4]) {
      const cs = diffChecked(v, v);
      expect(cs.kind).toBe('none');
      expect(cs.summary).toBe('No change');
      expect(cs.significance).toBe(0);
      expect(cs.ops).toEqual([{ op: 'equal', o: 0, n: 0, count: v.paragraphs.length }]);
    }
  });

  it('the similarity thresholds sit above the noise of unrelated paragraphs of the story', () => {
    const texts = [...new Set(textsOf(v2))];
    const scores: number[] = [];
    for (let i = 0; i < texts.length; i++)
      for (let j = i + 1; j < texts.length; j++) scores.push(similarity(texts[i]!, texts[j]!));
    scores.sort((x, y) => x - y);
    const p99 = scores[Math.floor(scores.length * 0.99)]!;
    expect(p99).toBeLessThan(EDIT_THRESHOLD);
    // Only a handful of pairs (same facts told twice) reach the edit threshold.
    expect(scores.filter((s) => s >= EDIT_THRESHOLD).length).toBeLessThanOrEqual(5);
  });
});
