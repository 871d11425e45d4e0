/**
 * The viewer over real HTTP (no browser): routes, statuses, headers (CSP, caching, ETag), escaping.
 */
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src/viewer/handler.js';
import { fixture, startViewerApp, type ViewerApp } from './harness.js';

let app: ViewerApp;

beforeAll(async () => {
  app = await startViewerApp();
});
afterAll(async () => {
  await app?.close();
});

async function get(path: string, init?: RequestInit): Promise<Response> {
  return fetch(new URL(path, app.url), { redirect: 'manual', ...init });
}

describe('viewer pages over HTTP', () => {
  it('shows an empty state that tells a newcomer what to do', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    const html = await res.text();
    expect(html).toContain('No articles yet');
    expect(html).toContain('wirediff ingest');
    expect(html).not.toMatch(/<script>|<style|style="|\son[a-z]+=/i);
  });

  it('lists articles newest activity first, with versions and a sparkline', async () => {
    for (const v of ['v1', 'v2', 'v3', 'v4']) await app.ingest('ap-syria', await fixture(`ap-syria/${v}.txt`));
    await app.ingest('other-story', 'A quiet story\n\nNothing happened here today.\n\nStill nothing.');
    const html = await (await get('/')).text();
    expect(html).not.toContain('No articles yet');
    const a = html.indexOf('id="article-other-story"');
    const b = html.indexOf('id="article-ap-syria"');
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(a); // other-story changed last
    const row = html.slice(b, html.indexOf('</li>', b));
    expect(row).toContain('4 versions');
    expect(row.match(/<rect class="bar /g)).toHaveLength(4);
    expect(row).toContain('data-history="');
  });

  it('renders the timeline newest first with a compare form', async () => {
    const html = await (await get('/articles/ap-syria')).text();
    const order = [...html.matchAll(/id="version-(\d+)"/g)].map((m) => Number(m[1]));
    expect(order).toEqual([4, 3, 2, 1]);
    expect(html).toContain('<form class="compare" id="compare" method="get" action="/articles/ap-syria/diff">');
    expect(html).toMatch(/<select name="from"[^>]*>.*<option value="3" selected>/s);
    expect(html).toMatch(/<select name="to"[^>]*>.*<option value="4" selected>/s);
    expect(html).toContain('Breaking update');
    expect(html).toContain('data-last-event="5"');
  });

  it('renders a diff inline and side by side, switchable by a link', async () => {
    const inline = await (await get('/articles/ap-syria/diff?from=1&to=2')).text();
    expect(inline).toContain('wd-diff wd-inline');
    expect(inline).toContain('href="/articles/ap-syria/diff?from=1&amp;to=2&amp;view=side"');
    expect(inline).toContain('wd-block wd-block-update');
    expect(inline).toContain('wd-block wd-block-banner');
    expect(inline).toContain('<details class="wd-fold">');
    const side = await (await get('/articles/ap-syria/diff?from=1&to=2&view=side')).text();
    expect(side).toContain('wd-diff wd-side-by-side');
    expect(side).toContain('<body class="wide"');
    expect(side).toContain('aria-current="page">Side by side</a>');
  });

  it('diffs any two versions, and defaults to the latest change', async () => {
    const html = await (await get('/articles/ap-syria/diff?from=1&to=4')).text();
    expect(html).toContain('Version 1</a>');
    expect(html).toContain('version 4</a>');
    const latest = await (await get('/articles/ap-syria/diff')).text();
    expect(latest).toContain('Changes 3 → 4');
  });

  it('shows one version with its blocks labelled and a link to the raw source', async () => {
    const html = await (await get('/articles/ap-syria/v/2')).text();
    expect(html).toContain('wd-block wd-block-update');
    expect(html).toContain('href="/api/articles/ap-syria/versions/2?raw=1"');
    expect(html).toContain('Version 2 of 4');
    const raw = await get('/api/articles/ap-syria/versions/2?raw=1');
    expect(raw.status).toBe(200);
    expect(await raw.text()).toBe(await fixture('ap-syria/v2.txt'));
  });

  it.each([
    ['/articles/no-such-story', 404, 'No such article'],
    ['/articles/UPPER', 404, 'Not an article id'],
    ['/articles/%E0%A4%A', 400, 'Not an article id'],
    ['/articles/ap-syria/v/9', 404, 'No such version'],
    ['/articles/ap-syria/v/0', 400, 'Not a version number'],
    ['/articles/ap-syria/v/2x', 400, 'Not a version number'],
    ['/articles/ap-syria/diff?from=abc&to=2', 400, 'Not a version number'],
    ['/articles/ap-syria/diff?from=2&to=2', 400, 'Pick two different versions'],
    ['/articles/ap-syria/diff?from=1&to=7', 404, 'No such version'],
    ['/articles/no-such/diff?from=1&to=2', 404, 'No such article'],
    ['/nowhere', 404, 'Page not found'],
    ['/assets/nothing.js', 404, 'No such file'],
  ])('answers %s with %i', async (path, status, heading) => {
    const res = await get(path);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await res.text()).toContain(heading);
  });

  it('refuses methods other than GET and HEAD', async () => {
    const res = await get('/', { method: 'POST', body: 'x' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });

  it('serves assets with a strong ETag, 304 on a match, and immutable caching for the hashed URL', async () => {
    const page = await (await get('/')).text();
    const href = /<link rel="stylesheet" href="([^"]+)">/.exec(page)![1]!;
    expect(href).toMatch(/^\/assets\/viewer\.css\?v=[0-9a-f]{16}$/);
    const res = await get(href);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{16}"$/);
    expect(res.headers.get('cache-control')).toContain('immutable');
    expect(await res.text()).toContain('prefers-color-scheme: dark');
    const again = await get('/assets/viewer.css', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
    const js = await get('/assets/live.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toContain("'/live'");
  });

  it('compresses large pages for clients that accept gzip', async () => {
    const res = await get('/articles/ap-syria/diff?from=1&to=2');
    // fetch decompresses transparently; check the raw response with a node request instead
    expect(res.status).toBe(200);
    const { request } = await import('node:http');
    const body = await new Promise<{ enc: string | undefined; data: Buffer }>((resolve, reject) => {
      const req = request(new URL('/articles/ap-syria/diff?from=1&to=2', app.url), {
        headers: { 'accept-encoding': 'gzip' },
      });
      req.on('response', (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => resolve({ enc: r.headers['content-encoding'], data: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(body.enc).toBe('gzip');
    expect(gunzipSync(body.data).toString('utf8')).toContain('wd-diff wd-inline');
  });

  it('tells onError nothing while all is well', () => {
    expect(app.viewerErrors).toEqual([]);
  });

  it('escapes hostile article text everywhere it appears', async () => {
    const hostile =
      'Headline <script>alert(1)</script>\n\n' +
      'First <img src=x onerror="alert(2)"> paragraph with a <a href="javascript:alert(3)">link</a>.\n\n' +
      'Second paragraph "quoted" & \'single\'.';
    await app.ingest('hostile', hostile);
    await app.ingest('hostile', hostile.replace('Second', 'Second <svg onload=alert(4)>'));
    for (const path of ['/', '/articles/hostile', '/articles/hostile/v/1', '/articles/hostile/diff?from=1&to=2']) {
      const html = await (await get(path)).text();
      expect(html, path).not.toMatch(/<script>alert|<img src=x|<svg onload|<a href="javascript:/i);
      expect(html, path).toMatch(/&lt;(script|img|svg)/);
    }
  });
});

describe('viewer faults', () => {
  it('answers HEAD like GET without a body, and accepts a trailing slash', async () => {
    const head = await get('/articles/ap-syria/', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await head.text()).toBe('');
  });

  it('answers 500 with a page (and tells onError) when the store fails', async () => {
    await app.files.close(); // a closed store refuses every read
    const res = await get('/articles/ap-syria');
    expect(res.status).toBe(500);
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await res.text()).toContain('Something went wrong');
    expect(app.viewerErrors.length).toBe(1);
  });
});
