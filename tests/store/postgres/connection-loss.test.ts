/**
 * PostgreSQL lost while running (cut with a TCP proxy in front of the shared server, then restored): a live client
 * of an edge is not dropped and, once the edge's connection comes back by itself, gets every event committed
 * meanwhile, in order, without a gap; a watcher whose store is cut reports the poll as failed, loses nothing, and
 * stores the change on a later poll once PostgreSQL is back, without being restarted.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, expect, it } from 'vitest';
import { pino } from 'pino';
import { isWirediffError } from '../../../src/core/errors.js';
import { parseConfig } from '../../../src/config/config.js';
import { openPostgresStore } from '../../../src/store/postgres/open.js';
import { PgLeaseManager } from '../../../src/store/postgres/leases.js';
import { createWatcher } from '../../../src/watch/watcher.js';
import { makeVersion } from '../fixtures.js';
import { connectLive } from '../../multiprocess/live-client.js';
import { paragraph } from '../../watch/helpers.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';
import { pgSchemaEach } from '../../support/stores.js';
import { startEdge } from './edge.js';
import { tempDirEach } from '../../support/temp.js';

// Hooks run LIFO: what a test opened is closed, then the proxy, then the schema is dropped and the folder removed.
const work = tempDirEach('wirediff-loss-');
const t = pgSchemaEach('loss');
let proxy: TcpProxy;

beforeEach(async () => {
  proxy = t.closeAfter(await startTcpProxy(t.options.url));
});

it('an edge keeps its live clients while PostgreSQL is cut, reconnects by itself and delivers what it missed', async () => {
  const writer = await openPostgresStore(t.options);
  t.closeAfter(writer);
  const edgeStore = await openPostgresStore({ ...t.options, url: proxy.url });
  t.closeAfter(edgeStore);
  const edge = await startEdge(edgeStore, work.dir);
  t.closeAfter(edge);
  const client = await connectLive(edge.url);
  const commit = async (n: number): Promise<number> =>
    (await writer.store.commitVersion(makeVersion('live', n), { at: new Date().toISOString() })).event.id;
  const ids = [await commit(1), await commit(2)];
  await client.until(() => client.ids.length >= 2);
  proxy.cut();
  // The edge cannot read now; the writer goes on.
  for (let n = 3; n <= 6; n++) ids.push(await commit(n));
  const before = proxy.accepted;
  proxy.restore();
  await client.until(() => client.ids.length >= 6);
  expect(client.ids).toEqual(ids);
  expect(client.messages.some((m) => m.type === 'reset')).toBe(false);
  expect(proxy.accepted).toBeGreaterThan(before); // it reconnected through the proxy
  ids.push(await commit(7));
  await client.until(() => client.ids.length >= 7);
  expect(client.ids).toEqual(ids);
  client.close();
});

it('a watcher holds a change it cannot store while PostgreSQL is cut, and stores it once it is back', async () => {
  const articles = join(work.dir, 'articles');
  const config = parseConfig(
    { storeDir: 'snap', sources: [{ kind: 'dir', path: 'articles' }], watch: { debounce: 50 } },
    'test',
    { baseDir: work.dir },
  );
  const opened = await openPostgresStore({ ...t.options, url: proxy.url });
  t.closeAfter(opened);
  const watcher = createWatcher(config, {
    store: opened.store,
    log: opened.log,
    logger: pino({ level: 'silent' }),
    persistStatus: false,
    leases: new PgLeaseManager(opened.db),
  });
  t.closeAfter(watcher);
  await mkdir(articles, { recursive: true });
  const text = (n: number): string => `Storm hits coast\n\n${[1, 2, 3].map((i) => paragraph(i + n)).join('\n\n')}\n`;
  await writeFile(join(articles, 'storm.txt'), text(0));
  const [r1] = await watcher.pollNow();
  expect(r1!.results[0]).toMatchObject({ article: 'storm', outcome: 'new-version', version: 1 });
  proxy.cut();
  await writeFile(join(articles, 'storm.txt'), text(0) + `\n${paragraph(40)}\n`);
  const [r2] = await watcher.pollNow(0, { force: false });
  const failed = r2!.error ?? r2!.results[0];
  expect(failed).toBeDefined();
  expect(JSON.stringify(failed)).toMatch(/cannot reach PostgreSQL|PostgreSQL at/);
  const err = await opened.store.getLatest('storm').catch((e: unknown) => e);
  expect(isWirediffError(err, 'E_IO')).toBe(true);
  proxy.restore();
  // The file was not marked as read: the next poll (no restart, no reopen) stores it.
  const [r3] = await watcher.pollNow(0, { force: false });
  expect(r3!.results[0]).toMatchObject({ article: 'storm', outcome: 'new-version', version: 2 });
  expect((await opened.log.readAfter(0)).map((e) => e.version)).toEqual([1, 2]);
});
