import { describe, expect, it } from 'vitest';
import { isWirediffError } from '../../src/core/errors.js';
import { parseFeed } from '../../src/sources/index.js';

const BASE = 'https://news.example/feeds/top.xml';

const RSS2 = `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>  Top   news </title>
    <link>https://news.example/</link>
    <description>d</description>
    <item>
      <title>Syria: rebels enter Damascus</title>
      <link>https://news.example/article/syria-1</link>
      <guid isPermaLink="false">syria-1</guid>
      <pubDate>Sun, 08 Dec 2024 04:15:00 GMT</pubDate>
    </item>
    <item>
      <title>Relative link</title>
      <link>/article/relative-2</link>
      <dc:date>2024-12-08T05:00:00Z</dc:date>
    </item>
    <item>
      <title>Only a permalink guid</title>
      <guid>https://news.example/article/guid-3</guid>
    </item>
    <item><title>No link at all</title><guid isPermaLink="false">nolink</guid></item>
    <item><title>javascript link</title><link>javascript:alert(1)</link></item>
    <item><title>Duplicate</title><link>https://news.example/article/syria-1</link></item>
    <item><title>Bad date</title><link>https://news.example/article/d</link><pubDate>yesterday-ish</pubDate></item>
  </channel>
</rss>`;

const ATOM = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="text">Atom news</title>
  <id>urn:feed</id>
  <updated>2024-12-08T05:00:00Z</updated>
  <entry>
    <title>Entry one</title>
    <id>urn:uuid:1</id>
    <updated>2024-12-08T05:00:00Z</updated>
    <published>2024-12-08T04:00:00Z</published>
    <link rel="edit" href="/edit/1"/>
    <link rel="alternate" type="text/html" href="/a/1"/>
  </entry>
  <entry>
    <title>Entry two, link without rel</title>
    <id>tag:news.example,2024:2</id>
    <updated>2024-12-08T06:00:00Z</updated>
    <link href="https://news.example/a/2"/>
  </entry>
  <entry>
    <title>No link, id is a URL</title>
    <id>https://news.example/a/3</id>
    <updated>2024-12-08T07:00:00Z</updated>
  </entry>
</feed>`;

const RDF = `<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://news.example/">
    <title>RDF news</title><link>https://news.example/</link><description>d</description>
  </channel>
  <item rdf:about="https://news.example/r/1">
    <title>RDF one</title><link>https://news.example/r/1</link><dc:date>2024-12-08T04:00:00+01:00</dc:date>
  </item>
  <item rdf:about="https://news.example/r/2">
    <title>RDF two</title><link>r/2</link>
  </item>
</rdf:RDF>`;

const JSON_FEED = JSON.stringify({
  version: 'https://jsonfeed.org/version/1.1',
  title: 'JSON news',
  items: [
    { id: '1', url: 'https://news.example/j/1', title: 'J one', date_published: '2024-12-08T04:00:00Z' },
    { id: '2', url: '/j/2', title: 'J two' },
    { id: '3', external_url: 'https://elsewhere.example/x', title: 'External only' },
    { id: '4', title: 'No URL' },
  ],
});

describe('parseFeed', () => {
  it('parses RSS 2.0: links resolved, unusable items skipped, duplicates dropped, dates as ISO', () => {
    const feed = parseFeed(RSS2, BASE);
    expect(feed.title).toBe('Top news');
    expect(feed.items).toEqual([
      {
        link: 'https://news.example/article/syria-1',
        title: 'Syria: rebels enter Damascus',
        published: '2024-12-08T04:15:00.000Z',
        guid: 'syria-1',
      },
      {
        link: 'https://news.example/article/relative-2',
        title: 'Relative link',
        published: '2024-12-08T05:00:00.000Z',
      },
      {
        link: 'https://news.example/article/guid-3',
        title: 'Only a permalink guid',
        guid: 'https://news.example/article/guid-3',
      },
      { link: 'https://news.example/article/d', title: 'Bad date', published: 'yesterday-ish' },
    ]);
  });

  it('parses Atom: the alternate link wins over edit, relative hrefs resolved, id as a fallback URL', () => {
    const feed = parseFeed(ATOM, BASE);
    expect(feed.title).toBe('Atom news');
    expect(feed.items.map((i) => i.link)).toEqual([
      'https://news.example/a/1',
      'https://news.example/a/2',
      'https://news.example/a/3',
    ]);
    expect(feed.items[0]).toMatchObject({
      title: 'Entry one',
      published: '2024-12-08T04:00:00.000Z',
      guid: 'urn:uuid:1',
    });
    expect(feed.items[1]!.published).toBe('2024-12-08T06:00:00.000Z');
  });

  it('parses RSS 1.0 / RDF', () => {
    const feed = parseFeed(RDF, BASE);
    expect(feed.title).toBe('RDF news');
    expect(feed.items).toEqual([
      {
        link: 'https://news.example/r/1',
        title: 'RDF one',
        published: '2024-12-08T03:00:00.000Z',
        guid: 'https://news.example/r/1',
      },
      { link: 'https://news.example/feeds/r/2', title: 'RDF two', guid: 'https://news.example/r/2' },
    ]);
  });

  it('parses JSON Feed', () => {
    const feed = parseFeed(JSON_FEED, BASE);
    expect(feed.title).toBe('JSON news');
    expect(feed.items.map((i) => i.link)).toEqual([
      'https://news.example/j/1',
      'https://news.example/j/2',
      'https://elsewhere.example/x',
    ]);
    expect(feed.items[0]).toEqual({
      link: 'https://news.example/j/1',
      title: 'J one',
      published: '2024-12-08T04:00:00.000Z',
      guid: '1',
    });
  });

  it('accepts a feed that starts with a BOM', () => {
    expect(parseFeed('\uFEFF' + RSS2, BASE).items.length).toBe(4);
  });

  it.each([
    ['broken XML', '<rss version="2.0"><channel><item><title>unclosed'],
    ['an HTML page', '<!doctype html><html><body><p>Not a feed</p></body></html>'],
    ['plain text', 'hello'],
    ['empty', ''],
    ['JSON that is not a feed', '{"hello": "world"}'],
  ])('throws E_FEED_PARSE for %s', (_name, text) => {
    let caught: unknown;
    try {
      parseFeed(text, BASE);
    } catch (err) {
      caught = err;
    }
    expect(isWirediffError(caught, 'E_FEED_PARSE')).toBe(true);
    expect((caught as Error).message).toContain(BASE);
    expect((caught as Error).message).toContain('not a valid RSS, RDF, Atom or JSON feed');
  });
});
