import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Article } from '../../../src/core/model/article.js';
import { articleToText, contentHash, parseArticle } from '../../../src/core/extract/index.js';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8');
const versions = ['v1', 'v2', 'v3', 'v4'].map((v) => parseArticle({ body: fixture(`ap-syria/${v}.txt`) }));

describe('articleToText', () => {
  it('prints the title, a blank line and the paragraphs separated by blank lines', () => {
    const a = parseArticle({ body: 'Headline Here\n\nOne.\n\nTwo,\nstill two.' });
    expect(articleToText(a)).toBe('Headline Here\n\nOne.\n\nTwo,\nstill two.\n');
    expect(articleToText({ ...a, title: '' })).toBe('One.\n\nTwo,\nstill two.\n');
    expect(articleToText({ ...a, title: '', paragraphs: [], blocks: [] })).toBe('');
  });

  it('parses back to the same title and paragraphs for every fixture version', () => {
    for (const a of versions) {
      const again = parseArticle({ body: articleToText(a) });
      expect(again.title).toBe(a.title);
      expect(again.paragraphs).toEqual(a.paragraphs);
      expect(again.blocks).toEqual(a.blocks);
    }
  });

  it('prints an HTML article as text that parses to the same paragraphs', () => {
    const page = parseArticle({ body: fixture('html/news-page.html') });
    const again = parseArticle({ body: articleToText(page), format: 'text' });
    expect(again.paragraphs.map((p) => p.text)).toEqual(page.paragraphs.map((p) => p.text));
  });
});

describe('contentHash', () => {
  it('is sha256 hex, stable, and differs between the fixture versions', () => {
    const hashes = versions.map(contentHash);
    for (const h of hashes) expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(hashes).size).toBe(4);
    expect(contentHash(parseArticle({ body: fixture('ap-syria/v2.txt') }))).toBe(hashes[1]);
  });

  it('is the same for the text and the HTML page of v2 (same title, same normalized paragraphs)', () => {
    expect(contentHash(parseArticle({ body: fixture('html/news-page.html') }))).toBe(contentHash(versions[1]!));
  });

  it('ignores cosmetic differences and blocks, but not a changed figure, word or title', () => {
    const base = parseArticle({ body: 'Headline\n\nThe U.N. says “70,000” were killed.\n\nSecond.' });
    const cosmetic = parseArticle({
      body: 'Headline\r\n\r\nThe U.N.  says\u00A0"70,000" were\nkilled.\r\n\r\nSe\u00ADcond.\r\n',
    });
    expect(contentHash(cosmetic)).toBe(contentHash(base));
    const reblocked: Article = { ...base, blocks: [{ kind: 'earlier', start: 0, end: 2 }] };
    expect(contentHash(reblocked)).toBe(contentHash(base));
    expect(contentHash(parseArticle({ body: 'Headline\n\nThe U.N. says “71,000” were killed.\n\nSecond.' }))).not.toBe(
      contentHash(base),
    );
    expect(contentHash({ ...base, title: 'Other headline' })).not.toBe(contentHash(base));
  });

  it('frames paragraphs unambiguously (moving text across a paragraph boundary changes the hash)', () => {
    const a = parseArticle({ body: 'T\n\nab\n\nc' });
    const b = parseArticle({ body: 'T\n\na\n\nbc' });
    const c = parseArticle({ body: 'T\n\nab c' });
    expect(new Set([a, b, c].map(contentHash)).size).toBe(3);
  });
});
