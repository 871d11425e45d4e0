import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseArticle } from '../../../src/core/extract/index.js';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8');
const source = fixture('ap-syria-breaking-update.txt');

describe('the AP Syria fixtures', () => {
  it('v2 is the shared fixture, byte for byte', () => {
    expect(fixture('ap-syria/v2.txt')).toBe(source);
  });

  it('v2: the repeated headline is the title, not body text', () => {
    const a = parseArticle({ body: source });
    expect(a.title).toBe('High-Ranking Syrian General Defects from Army');
    expect(a.format).toBe('text');
    expect(a.paragraphs[0]!.text).toBe(
      '(AP) – A high-ranking general in the Syrian army says he has defected with the help of rebel fighters.',
    );
    expect(a.paragraphs.some((p) => p.norm === 'High-Ranking Syrian General Defects from Army')).toBe(false);
    expect(a.paragraphs).toHaveLength(38);
  });

  it('v2: update (6) / banner / earlier / byline', () => {
    const a = parseArticle({ body: source });
    expect(a.blocks).toEqual([
      { kind: 'update', start: 0, end: 6 },
      { kind: 'banner', start: 6, end: 7 },
      { kind: 'earlier', start: 7, end: 37 },
      { kind: 'byline', start: 37, end: 38 },
    ]);
    expect(a.paragraphs[6]!.text).toMatch(/^THIS IS A BREAKING NEWS UPDATE/);
    expect(a.paragraphs[37]!.text).toBe(
      'Associated Press writer Albert Aji in Damascus, Syria, contributed to this report.',
    );
    expect(a.dateline).toBe('(AP) –');
    expect(a.byline).toBe('Associated Press writer Albert Aji in Damascus, Syria, contributed to this report.');
    a.blocks.forEach((b) => {
      for (let i = b.start; i < b.end; i++) expect(a.paragraphs[i]!.block).toBe(b.kind);
    });
  });

  it('v1 is the earlier story alone: the same paragraphs as below the banner in v2', () => {
    const v1 = parseArticle({ body: fixture('ap-syria/v1.txt') });
    const v2 = parseArticle({ body: source });
    expect(v1.title).toBe('Rights Group: Syria Expanding Use of Cluster Bombs');
    expect(v1.blocks.map((b) => b.kind)).toEqual(['body', 'byline']);
    expect(v1.paragraphs.map((p) => p.text)).toEqual(v2.paragraphs.slice(7).map((p) => p.text));
  });

  it('v3 is a write-thru: no banner, a dateline, the defection in the lede', () => {
    const v3 = parseArticle({ body: fixture('ap-syria/v3.txt') });
    expect(v3.title).toBe('Senior Syrian General Defects, Says Army Morale Is Bad');
    expect(v3.blocks.map((b) => b.kind)).toEqual(['body', 'byline']);
    expect(v3.dateline).toBe('AMMAN, Jordan (AP) —');
    expect(v3.paragraphs[0]!.norm).toMatch(/general has defected/);
  });

  it('v4 corrects a figure and says so', () => {
    const v3 = parseArticle({ body: fixture('ap-syria/v3.txt') });
    const v4 = parseArticle({ body: fixture('ap-syria/v4.txt') });
    expect(v4.blocks.map((b) => b.kind)).toEqual(['body', 'byline', 'correction']);
    expect(v4.paragraphs).toHaveLength(v3.paragraphs.length + 1);
    const changed = v4.paragraphs.slice(0, -1).filter((p, i) => p.text !== v3.paragraphs[i]!.text);
    expect(changed.map((p) => p.text)).toEqual([expect.stringContaining('at least 165 cluster bombs')]);
  });
});
