/**
 * Edges on PostgreSQL: two servers (`startPublishing`, as `wirediff serve` runs it) on their own pools, fed by a
 * writer on a third pool. Each edge's live clients hear the writer's commits (LISTEN/NOTIFY, then read by id), a
 * client resumes on the other edge with `since`, and both edges serve byte-identical feeds with the same ETag.
 */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { type RunningPublishing } from '../../../src/app.js';
import { openPostgresStore, type PostgresStore } from '../../../src/store/postgres/open.js';
import { makeVersion } from '../fixtures.js';
import { connectLive } from '../../multiprocess/live-client.js';
import { pgSchemaEach } from '../../support/stores.js';
import { startEdge } from './edge.js';
import { tempDirEach } from '../../support/temp.js';

const work = tempDirEach('wirediff-edges-'); // removed after what the test opened is closed (hooks run LIFO)
const t = pgSchemaEach('edges');

async function edge(name: string): Promise<{ store: PostgresStore; server: RunningPublishing }> {
  const store = t.closeAfter(await openPostgresStore(t.options));
  const server = await startEdge(store, join(work.dir, name), { publicUrl: 'http://news.example' });
  t.closeAfter(server);
  return { store, server };
}

it('two edges deliver another process’s commits live, resume with since on either edge, and serve identical feeds', async () => {
  const writer = t.closeAfter(await openPostgresStore(t.options));
  const [a, b] = await Promise.all([edge('a'), edge('b')]);
  const onA = await connectLive(a.server.url);
  const onB = await connectLive(b.server.url);
  const commit = async (article: string, n: number): Promise<number> =>
    (
      await writer.store.commitVersion(makeVersion(article, n), {
        at: new Date(Date.UTC(2026, 11, 1, 0, n)).toISOString(),
      })
    ).event.id;
  const first: number[] = [];
  for (let n = 1; n <= 5; n++) for (const art of ['one', 'two']) first.push(await commit(art, n));
  await onA.until(() => onA.ids.length >= 10);
  await onB.until(() => onB.ids.length >= 10);
  expect(onA.ids).toEqual(first);
  expect(onB.ids).toEqual(first);
  // A client of edge A drops after id 4 and resumes on edge B: exactly the events after it, then live ones.
  onA.close();
  const resumed = await connectLive(b.server.url, first[3]);
  const more: number[] = [];
  for (let n = 6; n <= 8; n++) more.push(await commit('one', n));
  await resumed.until(() => resumed.ids.length >= 6 + 3);
  expect(resumed.ids).toEqual([...first.slice(4), ...more]);
  resumed.close();
  onB.close();
  // Feeds: both edges build them from the same log, so the same bytes and ETag.
  const feed = async (url: string): Promise<{ body: string; etag: string | null }> => {
    const res = await fetch(`${url}/feeds/all.xml`);
    return { body: await res.text(), etag: res.headers.get('etag') };
  };
  const wanted = `/articles/one/v/8`;
  for (;;) {
    const [fa, fb] = [await feed(a.server.url), await feed(b.server.url)];
    if (fa.body.includes(wanted) && fb.body.includes(wanted)) {
      expect(fa.body).toBe(fb.body);
      expect(fa.etag).toBe(fb.etag);
      expect(fa.etag).not.toBeNull();
      break;
    }
    await new Promise((r) => setTimeout(r, 20)); // polling for a condition; correctness does not depend on the delay
  }
});
