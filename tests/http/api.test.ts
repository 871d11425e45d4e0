/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-call -- JSON bodies under test */
import * as net from 'node:net';
import { describe, expect, it } from 'vitest';
import { fixture, harnessEach, type Harness } from './harness.js';

const harness = harnessEach();

async function get(h: Harness, path: string, init: RequestInit = {}) {
  const res = await fetch(`${h.server.url}${path}`, init);
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { res, status: res.status, json, text };
}

/** Sends a request line exactly as written (fetch would normalize `..` away). */
function rawGet(port: number, target: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => {
      s.write(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    });
    let out = '';
    s.on('data', (d) => (out += String(d)));
    s.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(out)?.[1] ?? 0)));
    s.on('error', reject);
  });
}

async function withSyria(h: Harness): Promise<void> {
  for (const v of ['v1', 'v2', 'v3']) {
    expect((await h.add('syria', await fixture(`ap-syria/${v}.txt`))).status).toBe('new-version');
  }
}

describe('JSON API', () => {
  it('lists articles, one article, its versions, one version and the raw source', async () => {
    const h = await harness();
    await withSyria(h);

    const list = await get(h, '/api/articles');
    expect(list.status).toBe(200);
    expect(list.res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(list.res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(list.json.articles.map((a: { id: string }) => a.id)).toEqual(['syria']);

    const one = await get(h, '/api/articles/syria');
    expect(one.json.article).toMatchObject({ id: 'syria', versions: 3 });

    const versions = await get(h, '/api/articles/syria/versions');
    expect(versions.json.versions.map((v: { version: number }) => v.version)).toEqual([1, 2, 3]);

    const v2 = await get(h, '/api/articles/syria/versions/2');
    expect(v2.status).toBe(200);
    expect(v2.json.meta.version).toBe(2);
    expect(v2.json.article.paragraphs.length).toBeGreaterThan(3);
    expect(v2.json.article.blocks.length).toBeGreaterThan(0);
    expect(v2.json.changes.schema).toBe('wirediff.changeset/2');

    const meta2 = await get(h, '/api/articles/syria/versions/2/meta');
    expect(meta2.status).toBe(200);
    expect(meta2.json).toEqual({ meta: v2.json.meta });
    expect((await get(h, '/api/articles/syria/versions/4/meta')).status).toBe(404);
    expect((await get(h, '/api/articles/syria/versions/0/meta')).status).toBe(400);
    expect((await get(h, '/api/articles/nope/versions/1/meta')).status).toBe(404);

    const raw = await get(h, '/api/articles/syria/versions/1?raw=1');
    expect(raw.status).toBe(200);
    expect(raw.text).toBe(await fixture('ap-syria/v1.txt'));
    expect(raw.res.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(raw.res.headers.get('content-security-policy')).toContain('sandbox');
  });

  it('diffs any two versions', async () => {
    const h = await harness();
    await withSyria(h);
    const d = await get(h, '/api/articles/syria/diff?from=1&to=3');
    expect(d.status).toBe(200);
    expect(d.json).toMatchObject({ article: 'syria', from: 1, to: 3 });
    expect(d.json.changes.schema).toBe('wirediff.changeset/2');
    expect(d.json.changes.kind).not.toBe('none');
    const same = await get(h, '/api/articles/syria/diff?from=2&to=2');
    expect(same.json.changes.kind).toBe('none');
    const back = await get(h, '/api/articles/syria/diff?from=3&to=1');
    expect(back.status).toBe(200);
    expect((await get(h, '/api/articles/syria/diff?from=1')).status).toBe(400);
    expect((await get(h, '/api/articles/syria/diff?from=1&to=x')).status).toBe(400);
    expect((await get(h, '/api/articles/syria/diff?from=1&to=9')).status).toBe(404);
  });

  it('lists events after an id', async () => {
    const h = await harness();
    await withSyria(h);
    const e = await get(h, '/api/events?since=1');
    expect(e.json).toMatchObject({ first: 1, last: 3, gap: false });
    expect(e.json.events.map((x: { id: number }) => x.id)).toEqual([2, 3]);
    expect((await get(h, '/api/events?since=-1')).status).toBe(400);
    expect((await get(h, '/api/events?limit=5000')).status).toBe(400);
  });

  it('pages events by bytes as well as by count: about 1 MiB a page, a `next` cursor, every event once', async () => {
    const h = await harness({ token: 'tok' });
    const filler = (k: number) =>
      Array.from(
        { length: 6000 },
        (_, i) => `Added paragraph ${i} of story ${k}, long enough to weigh something here.`,
      );
    const push = async (id: string, text: string) =>
      (
        await fetch(`${h.server.url}/api/articles/${id}/versions?force=1`, {
          method: 'POST',
          headers: { Authorization: 'Bearer tok', 'Content-Type': 'text/plain' },
          body: text,
        })
      ).status;
    for (let k = 0; k < 4; k++) {
      expect(await push(`story-${k}`, `Headline ${k}\n\nThe first paragraph of story ${k}.\n`)).toBe(201);
      const big = `Headline ${k}\n\nThe first paragraph of story ${k}.\n\n${filler(k).join('\n\n')}\n`;
      expect(await push(`story-${k}`, big)).toBe(201);
    }
    const seen: number[] = [];
    let since = 0;
    let pages = 0;
    for (;;) {
      const page = await get(h, `/api/events?since=${since}&limit=1000`);
      expect(page.status).toBe(200);
      expect(page.text.length).toBeLessThan((1 << 20) + 400_000);
      expect(page.json).toMatchObject({ first: 1, last: 8, gap: false });
      const ids: number[] = page.json.events.map((e: { id: number }) => e.id);
      seen.push(...ids);
      pages++;
      expect(page.json.next).toBe(ids.length > 0 ? ids[ids.length - 1] : since);
      if (!page.json.more) break;
      expect(ids.length).toBeGreaterThan(0);
      since = page.json.next;
    }
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(pages).toBeGreaterThan(1);
    // The count still bounds a page of small events.
    const two = await get(h, '/api/events?since=0&limit=2');
    expect(two.json.events.map((e: { id: number }) => e.id)).toEqual([1, 2]);
    expect(two.json).toMatchObject({ next: 2, more: true });
  });

  it('answers unknown ids with 404 and malicious ids with 400/404, as JSON; the server stays up', async () => {
    const h = await harness();
    await withSyria(h);
    for (const p of ['/api/articles/nope', '/api/articles/nope/versions', '/api/articles/syria/versions/9']) {
      const r = await get(h, p);
      expect(r.status, p).toBe(404);
      expect(r.json.error.code, p).toBe('E_NOT_FOUND');
    }
    for (const p of [
      '/api/articles/..%2f..%2fetc%2fpasswd',
      '/api/articles/%2e%2e%2fsnapshots',
      '/api/articles/syria%2fversions',
      '/api/articles/Syria',
      '/api/articles/%00',
      '/api/articles/%E0%A4%A',
      '/api/articles/syria/versions/0',
      '/api/articles/syria/versions/1e3',
      '/api/articles/syria/versions/..%2f1',
    ]) {
      const r = await get(h, p);
      expect(r.status, p).toBe(400);
      expect(r.json.error.code, p).toMatch(/^E_BAD_/);
    }
    for (const target of [
      '/api/articles/%2e%2e',
      '/api/articles/%2e%2e/versions',
      '/api/articles/../../etc/passwd',
      '/api/articles/syria/../../../x',
      '/feeds/../snapshots',
    ]) {
      expect([400, 404], target).toContain(await rawGet(h.server.port, target));
    }
    expect((await get(h, '/api/nothing')).json.error.code).toBe('E_ROUTE_NOT_FOUND');
    expect((await get(h, '/elsewhere')).status).toBe(404);
    const del = await get(h, '/api/articles/syria', { method: 'DELETE' });
    expect(del.status).toBe(405);
    expect((await get(h, '/api/articles')).status).toBe(200);
  });

  describe('POST /api/articles/:id/versions', () => {
    const url = (h: Harness, id = 'pushed') => `${h.server.url}/api/articles/${id}/versions`;
    const body = 'Pushed headline\n\nThe first paragraph of a pushed story.\n\nA second paragraph.\n';

    it('stores a pushed version with the token; 200 when unchanged; the event goes out', async () => {
      const h = await harness({ token: 'tok' });
      const post = (text: string) =>
        fetch(url(h), {
          method: 'POST',
          headers: { Authorization: 'Bearer tok', 'Content-Type': 'text/plain; charset=utf-8' },
          body: text,
        });
      const created = await post(body);
      expect(created.status).toBe(201);
      const json = await created.json();
      expect(json).toMatchObject({ article: 'pushed', status: 'new-version', meta: { version: 1 } });
      expect(created.headers.get('location')).toBe('/api/articles/pushed/versions/1');
      const again = await post(body);
      expect(again.status).toBe(200);
      expect((await again.json()).status).toBe('unchanged');
      expect((await post(`${body}\nA third paragraph.\n`)).status).toBe(201);
      const versions = await get(h, '/api/articles/pushed/versions');
      expect(versions.json.versions).toHaveLength(2);
      const events = await get(h, '/api/events');
      expect(events.json.events.map((e: { article: string; version: number }) => [e.article, e.version])).toEqual([
        ['pushed', 1],
        ['pushed', 2],
      ]);
    });

    it('refuses without the token (401), without a configured token (403), too big (413), bad type (415)', async () => {
      const h = await harness({ token: 'tok', maxPushBytes: 1000 });
      const ok = { Authorization: 'Bearer tok', 'Content-Type': 'text/plain' };
      expect((await fetch(url(h), { method: 'POST', body })).status).toBe(401);
      const wrong = await fetch(url(h), { method: 'POST', headers: { ...ok, Authorization: 'Bearer nope' }, body });
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const big = await fetch(url(h), { method: 'POST', headers: ok, body: 'x'.repeat(5000) });
      expect(big.status).toBe(413);
      expect((await big.json()).error.code).toBe('E_PAYLOAD_TOO_LARGE');
      // Chunked (no Content-Length): refused while reading.
      const stream = new ReadableStream({
        start(c) {
          for (let i = 0; i < 10; i++) c.enqueue(new TextEncoder().encode('y'.repeat(500)));
          c.close();
        },
      });
      const chunked = await fetch(url(h), { method: 'POST', headers: ok, body: stream, duplex: 'half' } as RequestInit);
      expect(chunked.status).toBe(413);
      const typed = await fetch(url(h), { method: 'POST', headers: { ...ok, 'Content-Type': 'image/png' }, body });
      expect(typed.status).toBe(415);
      const bad = await fetch(url(h, '..%2fx'), { method: 'POST', headers: ok, body });
      expect(bad.status).toBe(400);
      expect((await get(h, '/api/articles')).json.articles).toEqual([]);

      const noToken = await harness();
      const disabled = await fetch(url(noToken), { method: 'POST', headers: ok, body });
      expect(disabled.status).toBe(403);
      expect((await disabled.json()).error.code).toBe('E_PUSH_DISABLED');
    });

    it('refuses (422) a push that lost most of the story unless ?force=1; a bad force is a 400', async () => {
      const h = await harness({ token: 'tok' });
      const post = (text: string, query = '') =>
        fetch(`${url(h)}${query}`, {
          method: 'POST',
          headers: { Authorization: 'Bearer tok', 'Content-Type': 'text/plain' },
          body: text,
        });
      const long = `Pushed headline\n\n${Array.from({ length: 8 }, (_, i) => `Paragraph ${i} of the pushed story, with enough words to count for something here.`).join('\n\n')}\n`;
      expect((await post(long)).status).toBe(201);
      const cut = 'A short line where the whole story was.'; // above watch.minArticleChars, far below the story
      const tiny = await post(cut);
      expect(tiny.status).toBe(422);
      const refused = await tiny.json();
      expect(refused).toMatchObject({ status: 'rejected', reason: 'lost-most' });
      expect(refused.detail).toMatch(/\?force=1/);
      const badForce = await post(cut, '?force=yes');
      expect(badForce.status).toBe(400);
      expect((await badForce.json()).error.message).toMatch(/`force` must be 1, true, 0 or false, received "yes"/);
      expect((await get(h, '/api/articles/pushed/versions')).json.versions).toHaveLength(1);
      const forced = await post(cut, '?force=1');
      expect(forced.status).toBe(201);
      expect((await get(h, '/api/articles/pushed/versions')).json.versions).toHaveLength(2);
    });

    it('queues overlapping pushes to one article: all 15 stored in turn, none answered 409', async () => {
      const h = await harness({ token: 'tok' });
      const story = (i: number) =>
        `Pushed headline\n\nThe first paragraph of a pushed story.\n\nA second paragraph.\n\nUpdate number ${i} of the story, with a few words of its own.\n`;
      const answers = await Promise.all(
        Array.from({ length: 15 }, (_, i) =>
          fetch(`${url(h)}?force=1`, {
            method: 'POST',
            headers: { Authorization: 'Bearer tok', 'Content-Type': 'text/plain' },
            body: story(i),
          }),
        ),
      );
      expect(answers.map((r) => r.status)).toEqual(Array.from({ length: 15 }, () => 201));
      const numbers = await Promise.all(answers.map(async (r) => (await r.json()).meta.version as number));
      expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
      expect((await get(h, '/api/articles/pushed/versions')).json.versions).toHaveLength(15);
    });

    it('answers 422 for a body that is not an article', async () => {
      const h = await harness({ token: 'tok' });
      const res = await fetch(url(h), {
        method: 'POST',
        headers: { Authorization: 'Bearer tok', 'Content-Type': 'text/plain' },
        body: '   \n  ',
      });
      expect(res.status).toBe(422);
      expect((await res.json()).status).toBe('rejected');
    });
  });

  it('hands other paths to the viewer, with the security headers', async () => {
    const { createViewerHandler } = await import('../../src/http/viewer/handler.js');
    const holder: { viewer?: ReturnType<typeof createViewerHandler> } = {};
    const h = await harness({ viewer: (req, res) => holder.viewer!(req, res) });
    holder.viewer = createViewerHandler({ store: h.fileStore.store, log: h.fileStore.log });
    await withSyria(h);
    const home = await get(h, '/');
    expect(home.status).toBe(200);
    expect(home.res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(home.res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(home.text).toContain('syria');
    const page = await get(h, '/articles/syria/v/2');
    expect(page.status).toBe(200);
    // The API and the feeds are still the server's own.
    expect((await get(h, '/api/articles')).status).toBe(200);
  });

  it('closes gracefully: requests in progress finish, keep-alive sockets end', async () => {
    const h = await harness();
    await withSyria(h);
    const agentRes = await fetch(`${h.server.url}/api/articles`, { headers: { Connection: 'keep-alive' } });
    expect(agentRes.status).toBe(200);
    await agentRes.text();
    await h.server.close();
    await expect(fetch(`${h.server.url}/api/articles`)).rejects.toThrow();
  });
});
