/**
 * The viewer over real HTTP (no browser): routes, statuses, headers (CSP, caching, ETag), escaping.
 */
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../src/http/viewer/handler.js';
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
    expect(inline).toContain('<div class="wd-fold-link" data-o="3" data-n="10" data-count="28">');
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
    ['/articles/ap-syria/diff?from=2&to=2', 200, 'The same version twice'],
    ['/articles/ap-syria/diff?to=1', 400, 'Version 1 is the first version'],
    ['/articles/ap-syria/diff?from=3&to=3&expand=1-2', 200, 'The same version twice'],
    ['/articles/ap-syria/diff?from=1&to=2&expand=x', 400, '&quot;expand&quot; must be runs of paragraph numbers'],
    ['/articles/ap-syria/diff/fold?from=1&to=7&expand=1-2', 404, 'No such version'],
    ['/articles/ap-syria/diff/fold?from=1&to=2', 400, 'received &quot;&quot;'],
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

  it('answers two picks of the same version with a page that says so and links to its neighbours', async () => {
    const res = await get('/articles/ap-syria/diff?from=3&to=3&view=side');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<h2 id="same-heading">The same version twice</h2>');
    expect(html).toContain('Both picks are version 3, so there are no changes to show');
    expect(html).toContain(
      '<a href="/articles/ap-syria/diff?from=2&amp;to=3" rel="prev">What changed in version 3 (2 → 3)</a>',
    );
    expect(html).toContain(
      '<a href="/articles/ap-syria/diff?from=3&amp;to=4" rel="next">What changed next (3 → 4)</a>',
    );
    expect(html).toContain('data-page="diff"');
    // the first and the last version have one neighbour each
    const first = await (await get('/articles/ap-syria/diff?from=1&to=1')).text();
    expect(first).not.toContain('rel="prev"');
    expect(first).toContain('href="/articles/ap-syria/diff?from=1&amp;to=2" rel="next"');
    const last = await (await get('/articles/ap-syria/diff?from=4&to=4')).text();
    expect(last).toContain('rel="prev"');
    expect(last).not.toContain('rel="next"');
    // a version that does not exist is still a 404
    expect((await get('/articles/ap-syria/diff?from=9&to=9')).status).toBe(404);
  });

  it('leaves a long unchanged run out behind a link to the page with it expanded, and serves its rows alone', async () => {
    const folded = await (await get('/articles/ap-syria/diff?from=1&to=2')).text();
    // v1→v2: the earlier story's ¶10–¶37 (28 paragraphs) is a fold link, with none of its text in the page
    const link =
      '<a class="wd-fold-open" href="/articles/ap-syria/diff?from=1&amp;to=2&amp;expand=10-37#d-n-10" data-run="/articles/ap-syria/diff/fold?from=1&amp;to=2&amp;expand=10-37">Show 28 unchanged paragraphs';
    expect(folded).toContain(link);
    expect(folded).not.toContain('id="d-n-10"');
    expect(folded).not.toContain('id="d-n-37"');
    expect(folded).toContain('id="d-n-38"');
    expect(folded).toContain('<script src="/assets/folds.js?v=');
    // the link's page: the run expanded, the view switch keeping it, a way back to the folded page
    const expanded = await (await get('/articles/ap-syria/diff?from=1&to=2&expand=10-37')).text();
    expect(expanded).not.toContain('wd-fold-link');
    for (let n = 10; n <= 37; n++) expect(expanded).toContain(`id="d-n-${n}"`);
    expect(expanded).toContain('href="/articles/ap-syria/diff?from=1&amp;to=2&amp;view=side&amp;expand=10-37"');
    expect(expanded).toContain('<a href="/articles/ap-syria/diff?from=1&amp;to=2">Fold the unchanged runs again</a>');
    // the fold route: exactly the rows the expanded page shows, in both views
    const rows = await get('/articles/ap-syria/diff/fold?from=1&to=2&expand=10-37');
    expect(rows.status).toBe(200);
    expect(rows.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(rows.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    const inlineRows = await rows.text();
    expect(inlineRows.startsWith('<div class="wd-p wd-unchanged wd-b-earlier" id="d-n-10">')).toBe(true);
    expect(inlineRows.match(/class="wd-p /g)).toHaveLength(28);
    expect(expanded).toContain(inlineRows);
    const sideRows = await (await get('/articles/ap-syria/diff/fold?from=1&to=2&view=side&expand=10-37')).text();
    expect(sideRows.match(/class="wd-row /g)).toHaveLength(28);
    const sidePage = await (await get('/articles/ap-syria/diff?from=1&to=2&view=side&expand=10-37')).text();
    expect(sidePage).toContain(sideRows);
    // the side-by-side page folds the same run behind the same kind of link
    const sideFolded = await (await get('/articles/ap-syria/diff?from=1&to=2&view=side')).text();
    expect(sideFolded).toContain('<div class="wd-fold-link" data-o="3" data-n="10" data-count="28">');
    expect(sideFolded).toContain(
      'href="/articles/ap-syria/diff?from=1&amp;to=2&amp;view=side&amp;expand=10-37#d-n-10"',
    );
    // a fold of up to 20 paragraphs stays a <details> in the page (v3→v4)
    const short = await (await get('/articles/ap-syria/diff?from=3&to=4')).text();
    expect(short).toContain('<details class="wd-fold"><summary>20 unchanged paragraphs');
    expect(short).not.toContain('wd-fold-link');
  });

  it.each([
    ['expand=abc', '"abc"'],
    ['expand=0-3', '"0-3"'],
    ['expand=5-3', '"5-3"'],
    ['expand=1-39', '"1-39"'],
    ['expand=1-2,,3-4', '"1-2,,3-4"'],
    [`expand=${Array.from({ length: 21 }, (_, i) => `${i + 1}-${i + 1}`).join(',')}`, '"1-1,2-2,'],
  ])('refuses %s with a 400 that names the parameter, the allowed range and the value', async (q, received) => {
    const res = await get(`/articles/ap-syria/diff?from=1&to=2&${q}`);
    expect(res.status).toBe(400);
    const text = (await res.text()).replaceAll('&quot;', '"');
    expect(text).toContain(
      '"expand" must be runs of paragraph numbers A-B with 1 ≤ A ≤ B ≤ 38 (at most 20 runs, separated by commas); received ' +
        received,
    );
  });

  it('the fold route refuses a run that is not all unchanged, or more than one run', async () => {
    const changed = await get('/articles/ap-syria/diff/fold?from=1&to=2&expand=1-12');
    expect(changed.status).toBe(400);
    expect((await changed.text()).replaceAll('&quot;', '"')).toContain(
      '"expand" must name a run of unchanged paragraphs of version 2 (numbers from 1 to 38); received "1-12", which is not one in the changes 1 → 2.',
    );
    const two = await get('/articles/ap-syria/diff/fold?from=1&to=2&expand=10-12,14-15');
    expect(two.status).toBe(400);
    expect((await two.text()).replaceAll('&quot;', '"')).toContain('(exactly one run); received "10-12,14-15"');
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
    // If-None-Match uses the weak comparison: a weak form of the tag, in a list, matches too; another tag does not.
    expect((await get('/assets/viewer.css', { headers: { 'if-none-match': `"x", W/${etag}` } })).status).toBe(304);
    expect((await get('/assets/viewer.css', { headers: { 'if-none-match': '"0000000000000000"' } })).status).toBe(200);
    const js = await get('/assets/live.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toContain("'/live'");
    const folds = await get('/assets/folds.js');
    expect(folds.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await folds.text()).toContain('wd-fold-open');
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
