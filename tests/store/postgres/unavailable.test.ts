/**
 * While PostgreSQL cannot be reached (cut with a TCP proxy), an edge's API and viewer reads answer a clear, coded
 * `503 E_STORE_UNAVAILABLE` with `Retry-After`, saying nothing internal (no URL, no cause), not an opaque 500; once
 * the connection is restored (the feeds it has built are served all along) the same reads answer 200 again, without a restart.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openPostgresStore } from '../../../src/store/postgres/open.js';
import { makeVersion } from '../fixtures.js';
import { tempDir } from '../../support/temp.js';
import { startEdge } from './edge.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';
import { testSchema, type TestSchema } from '../../support/stores.js';

let t: TestSchema;
let proxy: TcpProxy;
let work: { dir: string; cleanup: () => Promise<void> };
const toClose: { close(): Promise<void> }[] = [];

beforeEach(async () => {
  t = await testSchema('unavail');
  proxy = await startTcpProxy(t.options.url);
  work = await tempDir('wirediff-unavail-');
});
afterEach(async () => {
  for (const c of toClose.splice(0).reverse()) await c.close();
  await proxy.close();
  await t.drop();
  await work.cleanup();
});

it('API and viewer reads answer 503 E_STORE_UNAVAILABLE with Retry-After while PostgreSQL is cut', async () => {
  const writer = await openPostgresStore(t.options);
  toClose.push(writer);
  await writer.store.commitVersion(makeVersion('story', 1), { at: new Date().toISOString() });
  const edgeStore = await openPostgresStore({ ...t.options, url: proxy.url, connectTimeoutMs: 1000 });
  toClose.push(edgeStore);
  const edge = await startEdge(edgeStore, work.dir);
  toClose.push(edge);
  const paths = ['/api/articles', '/api/articles/story/versions', '/api/articles/story/versions/1', '/articles/story'];
  for (const p of paths) expect([p, (await fetch(edge.url + p)).status]).toEqual([p, 200]);

  // The feeds an edge has built stay served from what it holds (the same bytes and ETag) while the store is away.
  const feedBefore = await fetch(edge.url + '/feeds/all.xml');
  expect(feedBefore.status).toBe(200);
  const feedBytes = await feedBefore.text();
  expect(feedBytes).toContain('<rss');

  proxy.cut();
  const feedDuring = await fetch(edge.url + '/feeds/all.xml');
  expect(feedDuring.status).toBe(200);
  expect(feedDuring.headers.get('etag')).toBe(feedBefore.headers.get('etag'));
  expect(await feedDuring.text()).toBe(feedBytes);
  for (const p of paths.filter((x) => x.startsWith('/api/'))) {
    const res = await fetch(edge.url + p);
    const body = await res.text();
    expect([p, res.status]).toEqual([p, 503]);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(JSON.parse(body)).toEqual({
      error: { code: 'E_STORE_UNAVAILABLE', message: 'the store cannot be reached just now; try again shortly' },
    });
    expect(body).not.toContain('127.0.0.1');
  }

  // The viewer's page: HTML for people, with the same status, Retry-After and code.
  const page = await fetch(edge.url + '/articles/story');
  expect(page.status).toBe(503);
  expect(page.headers.get('retry-after')).toBe('5');
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  const html = await page.text();
  expect(html).toContain('E_STORE_UNAVAILABLE');
  expect(html).not.toContain('127.0.0.1');

  proxy.restore();
  for (const p of paths) expect([p, (await fetch(edge.url + p)).status]).toEqual([p, 200]);
});
