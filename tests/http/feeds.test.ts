import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { parseRssFeed } from 'feedsmith';
import { describe, expect, it } from 'vitest';
import { fixture, harnessEach, type Harness } from './harness.js';

const harness = harnessEach();

function parseStrict(xml: string) {
  expect(XMLValidator.validate(xml)).toBe(true);
  return parseRssFeed(xml);
}

async function getFeed(h: Harness, name: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${h.server.url}/feeds/${name}`, { headers });
  return { res, body: await res.text() };
}

describe('feeds', () => {
  it('writes all.xml and <article>.xml on every event, and serves the same bytes with ETag and Last-Modified', async () => {
    const h = await harness();
    await h.add('syria', await fixture('ap-syria/v1.txt'));
    await h.add('syria', await fixture('ap-syria/v2.txt'));
    await h.feeds.idle();

    const onDisk = await fs.readFile(path.join(h.dir, 'feeds', 'all.xml'), 'utf8');
    const { res, body } = await getFeed(h, 'all.xml');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    expect(res.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{20,}"$/);
    expect(res.headers.get('last-modified')).toMatch(/GMT$/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(body).toBe(onDisk);

    const feed = parseStrict(body);
    expect(feed.items?.map((i) => i.guid?.value)).toEqual(['urn:wirediff:syria:2', 'urn:wirediff:syria:1']);
    expect(feed.items?.[0]?.title).toMatch(/^Breaking update: /);
    expect(feed.items?.[0]?.link).toBe(`${h.server.url}/articles/syria/diff?from=1&to=2`);
    expect(feed.items?.[1]?.link).toBe(`${h.server.url}/articles/syria/v/1`);
    expect(feed.items?.[0]?.description).toContain('<ins');
    expect(feed.atom?.links?.[0]).toMatchObject({ rel: 'self', href: `${h.server.url}/feeds/all.xml` });

    const article = parseStrict((await getFeed(h, 'syria.xml')).body);
    expect(article.items).toHaveLength(2);
    expect(await fs.readdir(path.join(h.dir, 'feeds'))).toEqual(['all.xml', 'syria.xml']); // no temp files left
  });

  it('answers a conditional GET with 304 and no body (If-None-Match and If-Modified-Since)', async () => {
    const h = await harness();
    await h.add('a', 'Title\n\nOne paragraph here.\n');
    await h.feeds.idle();
    const first = await getFeed(h, 'all.xml');
    const etag = first.res.headers.get('etag')!;
    const lastModified = first.res.headers.get('last-modified')!;

    const byEtag = await getFeed(h, 'all.xml', { 'If-None-Match': etag });
    expect(byEtag.res.status).toBe(304);
    expect(byEtag.body).toBe('');
    expect(byEtag.res.headers.get('etag')).toBe(etag);
    expect((await getFeed(h, 'all.xml', { 'If-None-Match': `"other", ${etag}` })).res.status).toBe(304);
    expect((await getFeed(h, 'all.xml', { 'If-None-Match': '"other"' })).res.status).toBe(200);
    expect((await getFeed(h, 'all.xml', { 'If-Modified-Since': lastModified })).res.status).toBe(304);
    expect((await getFeed(h, 'all.xml', { 'If-Modified-Since': 'Thu, 01 Jan 1970 00:00:00 GMT' })).res.status).toBe(
      200,
    );
    // If-None-Match wins over If-Modified-Since.
    const both = await getFeed(h, 'all.xml', { 'If-None-Match': '"other"', 'If-Modified-Since': lastModified });
    expect(both.res.status).toBe(200);

    const head = await fetch(`${h.server.url}/feeds/all.xml`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(first.body)));

    // After a new version, the old ETag no longer matches.
    await h.add('a', 'Title\n\nOne paragraph here.\n\nAnd a second one.\n');
    await h.feeds.idle();
    const after = await getFeed(h, 'all.xml', { 'If-None-Match': etag });
    expect(after.res.status).toBe(200);
    expect(after.res.headers.get('etag')).not.toBe(etag);
  });

  it('a new version adds exactly one item with a new guid; old guids stay', async () => {
    const h = await harness();
    await h.add('syria', await fixture('ap-syria/v1.txt'));
    await h.add('syria', await fixture('ap-syria/v2.txt'));
    await h.feeds.idle();
    const before = parseStrict((await getFeed(h, 'all.xml')).body).items!.map((i) => i.guid?.value);
    await h.add('syria', await fixture('ap-syria/v3.txt'));
    await h.feeds.idle();
    const after = parseStrict((await getFeed(h, 'all.xml')).body).items!.map((i) => i.guid?.value);
    expect(after.length).toBe(before.length + 1);
    expect(after.slice(1)).toEqual(before);
    expect(before).not.toContain(after[0]);
    expect(after[0]).toBe('urn:wirediff:syria:3');
  });

  it('caps the items', async () => {
    const h = await harness({ maxItems: 3 });
    for (let i = 1; i <= 5; i++) await h.add('a', `Title\n\nParagraph number ${i} is here.\n`);
    await h.feeds.idle();
    const items = parseStrict((await getFeed(h, 'all.xml')).body).items!;
    expect(items.map((i) => i.guid?.value)).toEqual(['urn:wirediff:a:5', 'urn:wirediff:a:4', 'urn:wirediff:a:3']);
  });

  it('keeps hostile article text escaped and the feed well-formed', async () => {
    const h = await harness();
    const hostile =
      'Alert <script>alert(1)</script> ]]> end\n\nBody <img src=x onerror=alert(1)> ]]> \u0001\u0008\u001b \uD800 text.\n';
    await h.add('evil', hostile);
    await h.add('evil', `${hostile}\nAnother <script>x()</script> ]]> paragraph \uDC00.\n`);
    await h.feeds.idle();
    for (const name of ['all.xml', 'evil.xml']) {
      const { body } = await getFeed(h, name);
      // eslint-disable-next-line no-control-regex -- looking for control characters
      expect(body).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
      expect(body).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
      const feed = parseStrict(body);
      for (const item of feed.items!) {
        expect(item.description).not.toMatch(/<script|<img/i);
        expect(item.description).toContain('&lt;script&gt;');
      }
    }
  });

  it('404 for unknown feeds, 400 for malicious names', async () => {
    const h = await harness();
    expect((await getFeed(h, 'nope.xml')).res.status).toBe(404);
    expect((await getFeed(h, 'all.json')).res.status).toBe(404);
    expect((await getFeed(h, '..%2fsnapshots%2fevents.xml')).res.status).toBe(400);
    expect((await getFeed(h, '%2e%2e.xml')).res.status).toBe(400);
    expect((await getFeed(h, '%zz.xml')).res.status).toBe(400);
    const bad = await getFeed(h, 'UPPER.xml');
    expect(bad.res.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ error: { code: 'E_BAD_ARTICLE_ID' } });
    const post = await fetch(`${h.server.url}/feeds/all.xml`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('after a restart, an unchanged feed keeps its ETag and Last-Modified', async () => {
    const h = await harness();
    await h.add('a', 'Title\n\nOne paragraph here.\n');
    await h.feeds.idle();
    const first = await getFeed(h, 'all.xml');
    const { createFeedWriter } = await import('../../src/publish/rss/feed-writer.js');
    const again = createFeedWriter({
      store: h.fileStore.store,
      log: h.fileStore.log,
      dir: path.join(h.dir, 'feeds'),
      baseUrl: h.server.url,
    });
    await again.start();
    const file = again.get('all')!;
    expect(file.etag).toBe(first.res.headers.get('etag'));
    expect(file.lastModified).toBe(first.res.headers.get('last-modified'));
    await again.close();
  });
});
