import { XMLValidator } from 'fast-xml-parser';
import { parseRssFeed } from 'feedsmith';
import { describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../../../src/core/model/event.js';
import { itemGuid, renderRssFeed, type RssFeedOptions } from '../../../src/publish/rss/rss-feed.js';

function event(id: number, over: Partial<ChangeEvent> = {}): ChangeEvent {
  return {
    schema: 'wirediff.event/1',
    id,
    at: new Date(Date.UTC(2026, 10, 25, 2, id)).toISOString(),
    article: 'syria-story',
    version: id,
    title: `Title ${id}`,
    kind: id === 1 ? 'initial' : 'breaking-update',
    summary: `summary ${id}`,
    significance: 0.5,
    changes: null,
    ...over,
  };
}

const options: RssFeedOptions = {
  title: 'wirediff',
  siteUrl: 'http://127.0.0.1:8080/',
  selfUrl: 'http://127.0.0.1:8080/feeds/all.xml',
  describe: (e) => ({
    headline: `Breaking update: ${e.title}`,
    summary: e.summary,
    html: `<p>${e.summary}</p>`,
    link: `http://127.0.0.1:8080/articles/${e.article}/diff?from=${e.version - 1}&to=${e.version}`,
    category: 'Breaking update',
  }),
  maxItems: 10,
};

function parse(xml: string) {
  expect(XMLValidator.validate(xml)).toBe(true);
  return parseRssFeed(xml);
}

describe('renderRssFeed', () => {
  it('writes a valid RSS 2.0 channel with atom:link self, guids that are not permalinks, RFC 822 dates', () => {
    const xml = renderRssFeed([event(1), event(2)], options);
    const feed = parse(xml);
    expect(feed.atom?.links?.[0]).toMatchObject({ rel: 'self', href: options.selfUrl });
    expect(feed.items?.map((i) => i.guid?.value)).toEqual(['urn:wirediff:syria-story:2', 'urn:wirediff:syria-story:1']);
    expect(feed.items?.every((i) => i.guid?.isPermaLink === false)).toBe(true);
    expect(xml).toContain('<guid isPermaLink="false">urn:wirediff:syria-story:2</guid>');
    expect(feed.items?.[0]?.link).toBe('http://127.0.0.1:8080/articles/syria-story/diff?from=1&to=2');
    expect(feed.items?.[0]?.categories?.map((c) => c.name)).toEqual(['Breaking update']);
    expect(feed.items?.[0]?.description).toBe('<p>summary 2</p>');
    expect(feed.items?.[0]?.title).toBe('Breaking update: Title 2');
    expect(feed.items?.[0]?.pubDate).toBe('Wed, 25 Nov 2026 02:02:00 GMT');
    expect(xml).toMatch(/<pubDate>[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT<\/pubDate>/);
  });

  it('is a function of its input: lastBuildDate is the newest item, not the clock', () => {
    const a = renderRssFeed([event(1), event(2)], options);
    const b = renderRssFeed([event(2), event(1)], options);
    expect(a).toBe(b);
    expect(a).toContain('<lastBuildDate>Wed, 25 Nov 2026 02:02:00 GMT</lastBuildDate>');
    expect(renderRssFeed([], options)).not.toContain('lastBuildDate');
  });

  it('caps the items at maxItems, keeping the newest', () => {
    const events = Array.from({ length: 30 }, (_, i) => event(i + 1));
    const feed = parse(renderRssFeed(events, { ...options, maxItems: 5 }));
    expect(feed.items?.map((i) => i.guid?.value)).toEqual(
      [30, 29, 28, 27, 26].map((n) => `urn:wirediff:syria-story:${n}`),
    );
  });

  it('keeps the guid when the headline changes', () => {
    const before = parse(renderRssFeed([event(3)], options));
    const after = parse(renderRssFeed([event(3, { title: 'A new headline' })], options));
    expect(after.items?.[0]?.title).not.toBe(before.items?.[0]?.title);
    expect(after.items?.[0]?.guid?.value).toBe(before.items?.[0]?.guid?.value);
    expect(itemGuid({ article: 'x', version: 7 })).toBe('urn:wirediff:x:7');
  });

  it('stays well-formed with hostile text: <script>, ]]>, control characters, lone surrogates', () => {
    const hostile = 'Boom <script>alert(1)</script> ]]> \u0000\u0001\u0008\u000b\u001f \uD800 \uDFFF \uFFFE end';
    const xml = renderRssFeed([event(1, { title: hostile, summary: hostile })], {
      ...options,
      title: hostile,
      describe: (e) => ({ headline: e.title, summary: e.summary }),
    });
    // No XML-illegal character survives anywhere in the document.
    // eslint-disable-next-line no-control-regex -- looking for control characters
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\uFFFE\uFFFF]/);
    expect(xml).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    const feed = parse(xml);
    const item = feed.items?.[0];
    expect(item?.title).toBe('Boom <script>alert(1)</script> ]]>     end');
    // Without HTML, the summary is the description, as escaped HTML: the script is text, not markup.
    expect(item?.description).toContain('&lt;script&gt;alert(1)&lt;/script&gt; ]]&gt;');
    expect(item?.description).not.toContain('<script>');
    expect(feed.title).toContain(']]>');
  });
});
