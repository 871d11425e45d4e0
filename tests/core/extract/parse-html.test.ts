import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isWirediffError } from '../../../src/core/errors.js';
import { READABILITY_MAX_DEPTH, READABILITY_MAX_ELEMENTS, extractHtml } from '../../../src/core/extract/html.js';
import { parseArticle } from '../../../src/core/extract/index.js';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8');

/** Words from page furniture in news-page.html that must never reach a paragraph. */
const FURNITURE_TEXT = [
  'cookies',
  'World News',
  'Search AP News',
  'Advertisement',
  'Related Stories',
  'Share on Facebook',
  'Copy Link',
  'AP Photo',
  'morning wire',
  'newsletter',
  'MORE: Full coverage',
  'Sponsored',
  'Follow AP',
  'Most Read',
  'You May Like',
  'Trending',
  'Copyright',
  'free article limit',
  'dataLayer',
  'googletag',
  'Injected by tracking script',
  'analytics',
  'font-family',
  'Updated 3:10 PM',
  'ZEINA KARAM',
];

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('parseArticle, HTML news page', () => {
  const page = parseArticle({ body: fixture('html/news-page.html') });
  const text = parseArticle({ body: fixture('ap-syria/v2.txt') });

  it('yields exactly the article paragraphs of v2.txt (same norm, same text)', () => {
    expect(page.format).toBe('html');
    expect(page.paragraphs.map((p) => p.norm)).toEqual(text.paragraphs.map((p) => p.norm));
    expect(page.paragraphs.map((p) => p.text)).toEqual(text.paragraphs.map((p) => p.text));
  });

  it('has the headline as title and the same blocks as the text version', () => {
    expect(page.title).toBe('High-Ranking Syrian General Defects from Army');
    expect(page.blocks).toEqual(text.blocks);
    expect(page.dateline).toBe('(AP) –');
    expect(page.byline).toBe('Zeina Karam');
  });

  it('lets no navigation, ad, script, style, share, related, cookie or footer text through', () => {
    const all = page.paragraphs.map((p) => p.text).join('\n');
    for (const junk of FURNITURE_TEXT) expect(all, junk).not.toContain(junk);
  });

  it('keeps the banner even though its class says "banner" (which Readability drops)', () => {
    expect(page.paragraphs[6]!.block).toBe('banner');
    expect(page.paragraphs[6]!.text).toMatch(/^THIS IS A BREAKING NEWS UPDATE/);
  });
});

describe('parseArticle, HTML paragraphs', () => {
  it('cuts paragraphs at p, h1-h6, li, blockquote and pre, with tags', () => {
    const body = `<html><head><title>T</title></head><body><article>
      <h1>The Headline</h1>
      <p>First   paragraph with
         a <a href="#">link</a> and <em>emphasis</em>.</p>
      <h2>A subheading</h2>
      <ul><li>Item one</li><li><p>Item two</p></li></ul>
      <blockquote><p>Quoted one.</p><p>Quoted two.</p></blockquote>
      <pre>  line 1
  line 2</pre>
      <div>Loose text in a div.<br>After a break.<br><br>After two breaks.</div>
      <p>&nbsp;</p>
    </article></body></html>`;
    const a = parseArticle({ body });
    // The visible <h1> wins over a <title> that disagrees, so the headline opening the article is not a paragraph.
    expect(a.title).toBe('The Headline');
    expect(a.headlines).toEqual({ h1: 'The Headline' });
    expect(a.paragraphs.map((p) => [p.tag, p.text])).toEqual([
      ['p', 'First paragraph with a link and emphasis.'],
      ['h', 'A subheading'],
      ['li', 'Item one'],
      ['li', 'Item two'],
      ['blockquote', 'Quoted one.'],
      ['blockquote', 'Quoted two.'],
      ['pre', '  line 1\n  line 2'],
      ['p', 'Loose text in a div.\nAfter a break.'],
      ['p', 'After two breaks.'],
    ]);
    expect(a.paragraphs[7]!.norm).toBe('Loose text in a div. After a break.');
  });

  it('drops promotion lines, link lists, screen-reader labels and ad elements inside the article', () => {
    const story = Array.from(
      { length: 6 },
      (_, i) => `<p>Story paragraph ${i} with <a href="/x">a link</a> in the middle of many other words.</p>`,
    );
    story.splice(
      2,
      0,
      '<p><strong>RELATED:</strong> <a href="/a">Rights group: Syria expanding use of cluster bombs</a></p>',
    );
    story.splice(
      4,
      0,
      '<ul><li><a href="/b">Syria anniversary protests</a></li><li><a href="/c">EU arms embargo</a></li></ul>',
    );
    story.splice(5, 0, '<p><a href="/hub">READ MORE &raquo;</a></p><amp-ad width="300" height="250">Ad text</amp-ad>');
    story.push(
      '<ins class="adsbygoogle">Sponsored words</ins><p><span class="sr-only">Share this article</span>The end.</p>',
    );
    story.push(
      '<ul><li>A bullet point of the story.</li><li>Another point, with <a href="/d">one link</a> in it.</li></ul>',
    );
    const a = parseArticle({ body: `<html><body><article>${story.join('\n')}</article></body></html>` });
    expect(a.paragraphs.map((p) => p.text)).toEqual([
      ...Array.from({ length: 6 }, (_, i) => `Story paragraph ${i} with a link in the middle of many other words.`),
      'The end.',
      'A bullet point of the story.',
      'Another point, with one link in it.',
    ]);
  });

  it('keeps dateline and author spans inside paragraphs (Readability would lift them out as the byline)', () => {
    const more = Array.from(
      { length: 5 },
      (_, i) => `<p>More story text number ${i}, long enough to count as the story.</p>`,
    ).join('');
    const body = `<html><body><div class="story"><div class="byline">By ZEINA KARAM</div>
      <p><span class="dateline">DAMASCUS, Syria (AP) —</span> A general defected, said <a rel="author" href="/k">Khalouf’s aide</a>.</p>
      ${more}</div></body></html>`;
    const a = parseArticle({ body });
    expect(a.paragraphs[0]!.text).toBe('DAMASCUS, Syria (AP) — A general defected, said Khalouf’s aide.');
    expect(a.dateline).toBe('DAMASCUS, Syria (AP) —');
    expect(a.byline).toBe('By ZEINA KARAM');
    expect(a.paragraphs).toHaveLength(6);
  });

  it('keeps a dateline standing alone in a classed element as a dateline block', () => {
    const more = Array.from(
      { length: 5 },
      (_, i) => `<p>More story text number ${i}, long enough to count as the story.</p>`,
    ).join('');
    const a = parseArticle({
      body: `<html><body><article><div class="dateline">BEIRUT (AP) —</div>${more}</article></body></html>`,
    });
    expect(a.blocks.map((b) => b.kind)).toEqual(['dateline', 'body']);
    expect(a.paragraphs[0]!.text).toBe('BEIRUT (AP) —');
  });

  it('drops a leading paragraph that repeats the title', () => {
    const a = parseArticle({
      body: '<html><head><meta property="og:title" content="Big News"></head><body><main><h1>Big news</h1><p>Body text here.</p><p>More.</p></main></body></html>',
    });
    expect(a.title).toBe('Big News');
    expect(a.paragraphs.map((p) => p.text)).toEqual(['Body text here.', 'More.']);
  });

  it('takes the title from og:title, then <h1>, then <title>', () => {
    const p = '<p>Some story text that is long enough to be the article body for the extractor.</p>';
    expect(
      parseArticle({ body: `<html><head><title>From Title | Site</title></head><body>${p}</body></html>` }).title,
    ).toBe('From Title | Site');
    expect(
      parseArticle({ body: `<html><head><title>X</title></head><body><h1>From H1</h1>${p}</body></html>` }).title,
    ).toBe('X');
    expect(
      parseArticle({
        body: `<html><head><meta property="og:title" content="From OG"><title>X</title></head><body>${p}</body></html>`,
      }).title,
    ).toBe('From OG');
    expect(parseArticle({ body: `<html><body><h1>From H1</h1>${p}</body></html>` }).title).toBe('From H1');
  });

  it('falls back to the page when Readability finds nothing, and says E_NO_ARTICLE when there is no text', () => {
    const tiny = extractHtml('<html><body><main><p>Short.</p></main></body></html>', 100);
    expect(tiny.paragraphs.map((p) => p.text)).toEqual(['Short.']);
    const onlyJunk =
      '<html><head><script>var a = 1;</script><style>p{}</style></head><body><nav><a href="/">Home</a></nav><div class="ad">Advertisement</div><footer>Footer</footer></body></html>';
    const err = errorOf(() => parseArticle({ body: onlyJunk }));
    expect(isWirediffError(err, 'E_NO_ARTICLE')).toBe(true);
    expect((err as Error).message).toBe('No article text found in the HTML');
  });

  it('prefers a lone <article> when Readability keeps much less than it holds', () => {
    const many = Array.from(
      { length: 12 },
      (_, i) => `<p>Paragraph ${i} of the story, with enough words to be read as story text by anyone.</p>`,
    ).join('');
    const a = parseArticle({
      body: `<html><body><article>${many}</article><div class="comments">${'<p>A comment.</p>'.repeat(3)}</div></body></html>`,
    });
    expect(a.paragraphs).toHaveLength(12);
    expect(a.paragraphs.every((p) => p.text.startsWith('Paragraph'))).toBe(true);
  });
});

describe('extractHtml, large and deep pages', () => {
  it('reads a page past READABILITY_MAX_ELEMENTS with the container walk, every paragraph kept', () => {
    const n = Math.ceil(READABILITY_MAX_ELEMENTS / 3) + 10;
    const entries = Array.from(
      { length: n },
      (_, i) => `<div class="entry"><span>${i}</span><p>Entry ${i} text.</p></div>`,
    );
    const e = extractHtml(
      `<html><body><main>${entries.join('')}</main><div class="ad">Advertisement</div></body></html>`,
      100_000,
    );
    expect(e.via).toBe('container');
    expect(e.paragraphs).toHaveLength(2 * n);
    expect(e.paragraphs[1]).toEqual({ text: 'Entry 0 text.', tag: 'p' });
    expect(e.paragraphs.some((p) => p.text === 'Advertisement')).toBe(false);
  });

  it('reads a deeply nested page (past READABILITY_MAX_DEPTH) without recursion', () => {
    const d = 20 * READABILITY_MAX_DEPTH;
    const e = extractHtml(`<html><body>${'<div>'.repeat(d)}<p>Deep text.</p>${'</div>'.repeat(d)}</body></html>`, 10);
    expect(e.via).toBe('container');
    expect(e.paragraphs).toEqual([{ text: 'Deep text.', tag: 'p' }]);
  });

  it('uses Readability for an ordinary page', () => {
    expect(extractHtml(fixture('html/news-page.html'), 1000).via).toBe('readability');
  });
});

describe('parseArticle, live blog', () => {
  const html = fixture('html/liveblog.html');
  const a = parseArticle({ body: html });

  it('parses 320 timestamped entries, newest first, with the entry headings', () => {
    expect(a.title).toBe('LIVE: Syria uprising enters third year');
    const entries = a.paragraphs.filter((p) => /^\d\d:\d\d — /.test(p.text));
    expect(entries).toHaveLength(320);
    expect(entries[0]!.text).toMatch(/^21:57 — .*entry 320 of the day\.$/);
    expect(entries[319]!.text).toMatch(/^06:00 — .*entry 1 of the day\.$/);
    expect(a.paragraphs.filter((p) => p.tag === 'li')).toHaveLength(333);
    expect(a.paragraphs[0]!.text).toMatch(/^Follow the latest developments/);
  });

  it('keeps no furniture', () => {
    const all = a.paragraphs.map((p) => p.text).join('\n');
    for (const junk of ['Advertisement', 'cookies', 'Load more', 'Share', 'Tweet', 'liveConfig', 'Privacy', 'Video']) {
      expect(all, junk).not.toContain(junk);
    }
  });
});

describe('parseArticle, malformed HTML never crashes', () => {
  const cases: [string, string][] = [
    ['unclosed tags', '<html><body><article><p>First paragraph that never closes<p>Second <b>bold <i>nested<p>Third'],
    ['stray closing tags', '</div></p></span><p>Text after stray closers.</p></td></tr></table>'],
    ['garbage markup', '<<<>>><p <p>>>text</p </ <!-- unterminated comment <p>after'],
    ['only a comment', '<!-- nothing here -->'],
    ['deep nesting', `<html><body>${'<div>'.repeat(3000)}<p>Deep text.</p>${'</div>'.repeat(3000)}</body></html>`],
    ['attributes without values', '<html><body><p class= id=>Attr soup</p><p hidden>Hidden text</p></body></html>'],
    ['entities', '<html><body><p>&amp;&lt;&gt;&quot;&#39;&#x263A;&bogus;&#99999999;</p></body></html>'],
    ['script-only', '<script>alert(1)</script>'],
    ['binary-ish text in a tag', `<p>${String.fromCharCode(...Array.from({ length: 60 }, (_, i) => 0x80 + i))}</p>`],
    ['mis-decoded binary', `<html>${'\uFFFD\u0001'.repeat(100)}</html>`],
  ];
  it.each(cases)('%s: a clear error or a sane article', (_name, body) => {
    let article;
    try {
      article = parseArticle({ body, format: 'html' });
    } catch (err) {
      expect(isWirediffError(err), String(err)).toBe(true);
      return;
    }
    expect(article.paragraphs.length).toBeGreaterThan(0);
    for (const p of article.paragraphs) {
      expect(p.norm).not.toBe('');
      expect(p.text).not.toMatch(/<script|alert\(1\)/);
    }
  });

  it('unclosed paragraphs still give one paragraph each', () => {
    const a = parseArticle({ body: cases[0]![1], format: 'html' });
    expect(a.paragraphs.map((p) => p.text)).toEqual([
      'First paragraph that never closes',
      'Second bold nested',
      'Third',
    ]);
  });

  it('hidden elements are not text', () => {
    const a = parseArticle({ body: cases[5]![1], format: 'html' });
    expect(a.paragraphs.map((p) => p.text)).toEqual(['Attr soup']);
  });

  it('script-only and comment-only pages are E_NO_ARTICLE', () => {
    for (const body of ['<script>alert(1)</script>', '<!-- nothing here -->']) {
      expect(
        isWirediffError(
          errorOf(() => parseArticle({ body, format: 'html' })),
          'E_NO_ARTICLE',
        ),
      ).toBe(true);
    }
  });
});
