/**
 * The replay of a subscribe (replay.ts) from a real file event log to real WebSockets: where it starts, what it sends,
 * reading on for what is published meanwhile, pacing by the client's reading, and a log that cannot be read.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { NewChangeEvent } from '../../../src/core/model/event.js';
import { DEFAULT_FILTER, makeFilter } from '../../../src/publish/change-filter.js';
import { createBroadcaster } from '../../../src/publish/live/broadcast.js';
import { openClient, type Client } from '../../../src/publish/live/client.js';
import type { SubscribeMessage } from '../../../src/publish/live/live-protocol.js';
import { createReplay, type Replay, type ReplayOptions } from '../../../src/publish/live/replay.js';
import { openFileStore, type FileStore } from '../../../src/store/open.js';
import type { LiveClient } from '../../http/harness.js';
import { makeVersion } from '../../store/fixtures.js';
import { recordingLogger, startSocketServer, type SocketServer } from './sockets.js';
import { fileStoreEach } from '../../support/stores.js';
import { until } from '../../support/wait.js';

const ctx = fileStoreEach('wirediff-replay-');
let sockets: SocketServer | undefined;
afterEach(async () => {
  await sockets?.close();
  sockets = undefined;
});

function newEvent(n: number, over: Partial<NewChangeEvent> = {}): NewChangeEvent {
  return {
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    article: 'story',
    version: n,
    title: 't',
    kind: 'update',
    summary: `change ${n}`,
    significance: 0.5,
    changes: null,
    ...over,
  };
}

interface Setup {
  readonly fs: FileStore;
  readonly clients: Set<Client>;
  /** Connects a client whose subscribe runs `replay`; resolves with it and its server-side state. */
  connect(): Promise<{ client: LiveClient; c: Client; replayed: Promise<void>[] }>;
}

async function setup(over: Partial<ReplayOptions> = {}, retainEvents?: number): Promise<Setup> {
  const opened = await openFileStore({ dir: ctx.dir, ...(retainEvents !== undefined ? { retainEvents } : {}) });
  ctx.fs = opened;
  const clients = new Set<Client>();
  const replay: Replay = createReplay({ log: opened.log, store: opened.store, batch: 3, highWater: 1 << 19, ...over });
  // The broadcast notes live events on replaying clients, as the hub does.
  const broadcaster = createBroadcaster({ clients, maxBufferedBytes: 1 << 20 });
  opened.log.subscribe((e) => broadcaster.broadcast(e));
  const pending: { c: Client; replayed: Promise<void>[] }[] = [];
  sockets = await startSocketServer((ws) => {
    const replayed: Promise<void>[] = [];
    const c = openClient(ws, {
      maxInvalid: 0,
      hello: { type: 'hello', protocol: 'wirediff.live/1', maxPayload: 4096, heartbeatMs: 30_000 },
      onSubscribe: (client, m: SubscribeMessage) => void replayed.push(replay(client, m)),
      onClose: (client) => void clients.delete(client),
    });
    clients.add(c);
    pending.push({ c, replayed });
  });
  return {
    fs: opened,
    clients,
    async connect() {
      const { client } = await sockets!.pair();
      const { c, replayed } = pending.shift()!;
      return { client, c, replayed };
    },
  };
}

describe('createReplay', () => {
  it('without since: nothing replayed, the cursor at the newest id, then live', async () => {
    const s = await setup();
    for (let i = 1; i <= 4; i++) await s.fs.log.append(newEvent(i));
    const { client, c } = await s.connect();
    client.send({ type: 'subscribe', articles: '*' });
    expect(await client.next('replay-complete')).toMatchObject({ last: 4, replayed: 0 });
    expect(c.phase).toBe('live');
    expect(c.cursor).toBe(4);
    expect(client.events()).toEqual([]);
  });

  it('with since: the events after it that match, in order, across batches; the cursor passes the others', async () => {
    const s = await setup();
    for (let i = 1; i <= 10; i++) {
      await s.fs.log.append(newEvent(i, i % 3 === 0 ? { kind: 'figures', significance: 0.9 } : {}));
    }
    const { client, c } = await s.connect();
    client.send({ type: 'subscribe', articles: ['story'], since: 2, kinds: ['figures'] });
    const done = await client.next('replay-complete');
    expect(client.events().map((e) => e.id)).toEqual([3, 6, 9]);
    expect(done).toMatchObject({ last: 10, replayed: 3 });
    expect(c.cursor).toBe(10);
    expect(c.filter).toEqual(makeFilter(['figures'], undefined));
  });

  it('with since after the newest id: reset, then the state of the subscribed articles, then live', async () => {
    const s = await setup();
    await s.fs.store.commitVersion(makeVersion('story', 1), { at: '2026-01-01T00:00:01.000Z' });
    await s.fs.store.commitVersion(makeVersion('other', 1), { at: '2026-01-01T00:00:02.000Z' });
    const { last } = await s.fs.log.bounds();
    const { client } = await s.connect();
    client.send({ type: 'subscribe', articles: ['story'], since: last + 5 });
    await client.next('replay-complete');
    const types = client.messages.map((m) => m.type);
    expect(types).toEqual(['hello', 'reset', 'state', 'replay-complete']);
    expect(client.messages[1]).toEqual({ type: 'reset', reason: 'since-after-last', since: last + 5, first: 1, last });
    const state = await client.next('state');
    expect(state.last).toBe(last);
    expect(state.articles.map((a) => [a.article, a.version])).toEqual([['story', 1]]);
  });

  it('with since before the retained history: reset, state, then the events from the newest on', async () => {
    const s = await setup({}, 3);
    await s.fs.store.commitVersion(makeVersion('story', 1), { at: '2026-01-01T00:00:01.000Z' });
    for (let i = 2; i <= 6; i++) await s.fs.log.append(newEvent(i));
    const { client, c } = await s.connect();
    client.send({ type: 'subscribe', articles: '*', since: 1 });
    const done = await client.next('replay-complete');
    expect(client.messages.map((m) => m.type)).toEqual(['hello', 'reset', 'state', 'replay-complete']);
    expect(await client.next('reset')).toEqual({
      type: 'reset',
      reason: 'since-before-history',
      since: 1,
      first: 4,
      last: 6,
    });
    expect((await client.next('state')).articles.map((a) => a.article)).toEqual(['story']);
    expect(done).toMatchObject({ last: 6, replayed: 0 });
    expect(c.cursor).toBe(6);
  });

  it('reads on for what is published while it waits for a paused client, and never cuts a reader off', async () => {
    const s = await setup({ batch: 1000, highWater: 64 * 1024 });
    const summary = 'z'.repeat(256 * 1024);
    // More than any kernel socket buffer holds, so the replay has to wait for the reader.
    const history = 200;
    for (let i = 1; i <= history; i++) await s.fs.log.append(newEvent(i, { summary }));
    const { client, c, replayed } = await s.connect();
    await client.next('hello');
    client.ws.pause();
    client.send({ type: 'subscribe', articles: '*', since: 0, kinds: '*' });
    await until(() => (c.waiting || c.phase === 'live' ? true : undefined), 'the replay to wait or finish');
    expect(c.waiting).toBe(true);
    expect(c.phase).toBe('replaying');
    // Published meanwhile: noted on the client (no queue), read from the log by the replay.
    await s.fs.log.append(newEvent(history + 1, { summary: 'live while replaying' }));
    expect(c.seenLive).toBe(history + 1);
    client.ws.resume();
    const done = await client.next('replay-complete');
    await Promise.all(replayed);
    expect(done).toMatchObject({ last: history + 1, replayed: history + 1 });
    expect(client.events().map((e) => e.id)).toEqual(Array.from({ length: history + 1 }, (_, i) => i + 1));
    expect(c.waiting).toBe(false);
    expect(client.closed).toBeUndefined();
  });

  it('stops when the client leaves mid-replay, without going live', async () => {
    const s = await setup({ batch: 1000, highWater: 64 * 1024 });
    for (let i = 1; i <= 200; i++) await s.fs.log.append(newEvent(i, { summary: 'q'.repeat(256 * 1024) }));
    const { client, c, replayed } = await s.connect();
    await client.next('hello');
    client.ws.pause();
    client.send({ type: 'subscribe', articles: '*', since: 0 });
    await until(() => (c.waiting ? true : undefined), 'the replay to wait for the paused client');
    client.ws.terminate();
    await Promise.all(replayed);
    await c.gone;
    expect(c.phase).toBe('closing');
    expect(c.cursor).toBeLessThan(200);
  });

  it('a log that cannot be read: error unavailable, close 1011, logged', async () => {
    const logger = recordingLogger();
    const s = await setup({ logger });
    await s.fs.log.append(newEvent(1));
    const { client, c } = await s.connect();
    await client.next('hello');
    await s.fs.log.close();
    client.send({ type: 'subscribe', articles: '*', since: 0 });
    expect(await client.next('error')).toMatchObject({ code: 'unavailable' });
    expect(await client.waitClosed()).toEqual({ code: 1011, reason: 'event log unavailable' });
    expect(c.phase).toBe('closing');
    expect(logger.lines).toEqual([
      expect.objectContaining({ level: 'error', message: 'live replay failed: the event log could not be read' }),
    ]);
  });
});

it('DEFAULT_FILTER is what a subscribe without kinds gets', async () => {
  const s = await setup();
  const { client, c } = await s.connect();
  client.send({ type: 'subscribe', articles: '*' });
  await client.next('replay-complete');
  expect(c.filter).toEqual(DEFAULT_FILTER);
  expect(c.articles).toBe('*');
});
