import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isArticleId } from '../../src/core/model/version.js';
import { articleIdFor } from '../../src/sources/index.js';

describe('articleIdFor', () => {
  it('slugs a URL from host and path', () => {
    expect(articleIdFor('https://apnews.com/article/syria-assad-damascus-rebels-1a2b3c')).toBe(
      'apnews-com-article-syria-assad-damascus-rebels-1a2b3c',
    );
    expect(articleIdFor('https://www.BBC.co.uk/news/World-Middle-East-123/')).toBe(
      'bbc-co-uk-news-world-middle-east-123',
    );
    expect(articleIdFor('http://localhost:8080/story.html')).toBe('localhost-8080-story-html');
  });

  it('ignores the fragment and hashes the query string into a suffix', () => {
    expect(articleIdFor('https://news.example/a#top')).toBe(articleIdFor('https://news.example/a'));
    const one = articleIdFor('https://news.example/story?id=1');
    const two = articleIdFor('https://news.example/story?id=2');
    expect(one).toMatch(/^news-example-story-[0-9a-f]{8}$/);
    expect(one).not.toBe(two);
    expect(articleIdFor('https://news.example/story?id=1')).toBe(one);
  });

  it('uses the base name without extension for files', () => {
    expect(articleIdFor('/srv/news/Syria Update.txt')).toBe('syria-update');
    expect(articleIdFor('articles/ap-syria-breaking-update.html')).toBe('ap-syria-breaking-update');
    expect(articleIdFor('C:\\news\\Story_One.md')).toBe('story-one');
    expect(articleIdFor('file:///srv/news/caf%C3%A9.txt')).toBe('cafe');
    expect(articleIdFor('README')).toBe('readme');
  });

  it('folds accents and never returns an empty id', () => {
    expect(articleIdFor('Zürich–Łódź.txt')).toBe('zurich-lodz');
    expect(articleIdFor('速報.txt')).toMatch(/^article-[0-9a-f]{8}$/);
    expect(articleIdFor('')).toMatch(/^article-[0-9a-f]{8}$/);
    expect(articleIdFor('../../..')).toMatch(/^article-[0-9a-f]{8}$/);
  });

  it('truncates long slugs with a hash suffix that keeps them distinct', () => {
    const long = `https://news.example/${'very-long-segment/'.repeat(20)}`;
    const a = articleIdFor(`${long}a`);
    const b = articleIdFor(`${long}b`);
    expect(a.length).toBeLessThanOrEqual(120);
    expect(a).toMatch(/-[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
  });

  it('always satisfies isArticleId and is deterministic (property)', () => {
    const valid = (locator: string): boolean => {
      const id = articleIdFor(locator);
      return isArticleId(id) && articleIdFor(locator) === id;
    };
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), valid), { numRuns: 200 });
    fc.assert(
      fc.property(
        fc.tuple(
          fc.constantFrom('http://', 'https://', 'file://', ''),
          fc.string({ maxLength: 40 }),
          fc.array(fc.string({ unit: 'binary', maxLength: 30 }), { maxLength: 8 }),
          fc.string({ maxLength: 20 }),
        ),
        ([scheme, host, segments, query]) => valid(`${scheme}${host}/${segments.join('/')}?${query}`),
      ),
      { numRuns: 200 },
    );
  });
});
