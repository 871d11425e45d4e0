/** One live connection (client.ts) over a real WebSocket: hello, ping/pong, strikes, the one subscribe, close. */
import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { DEFAULT_FILTER } from '../../../src/publish/change-filter.js';
import {
  matches,
  openClient,
  stillReplaying,
  type Client,
  type ClientOptions,
} from '../../../src/publish/live/client.js';
import type { SubscribeMessage } from '../../../src/publish/live/live-protocol.js';
import { liveEvent, startSocketServer, type SocketServer } from './sockets.js';
import { until } from '../../support/wait.js';

let sockets: SocketServer | undefined;
afterEach(async () => {
  await sockets?.close();
  sockets = undefined;
});

interface Opened {
  readonly subscribes: SubscribeMessage[];
  readonly closed: Client[];
  clients: Client[];
}

/** A socket server whose sockets become clients with these options. */
async function start(over: Partial<ClientOptions> = {}): Promise<Opened> {
  const opened: Opened = { subscribes: [], closed: [], clients: [] };
  sockets = await startSocketServer((ws: WebSocket) => {
    opened.clients.push(
      openClient(ws, {
        maxInvalid: 2,
        hello: { type: 'hello', protocol: 'wirediff.live/1', maxPayload: 4096, heartbeatMs: 30_000 },
        onSubscribe: (_c, m) => void opened.subscribes.push(m),
        onClose: (c) => void opened.closed.push(c),
        ...over,
      }),
    );
  });
  return opened;
}

describe('openClient', () => {
  it('sends hello, answers ping with pong, and hands the one subscribe over', async () => {
    const opened = await start();
    const { client } = await sockets!.pair();
    expect(await client.next('hello')).toEqual({
      type: 'hello',
      protocol: 'wirediff.live/1',
      maxPayload: 4096,
      heartbeatMs: 30_000,
    });
    client.send({ type: 'ping' });
    await client.next('pong');
    client.send({ type: 'subscribe', articles: ['a', 'b'], since: 3 });
    await until(() => (opened.subscribes.length === 1 ? true : undefined), 'the subscribe');
    expect(opened.subscribes[0]).toEqual({ type: 'subscribe', articles: ['a', 'b'], since: 3, filter: DEFAULT_FILTER });
    expect(opened.clients[0]!.invalid).toBe(0);
  });

  it('answers each invalid message with an error and closes with 1008 on the strike after maxInvalid', async () => {
    const opened = await start({ onSubscribe: (c) => (c.phase = 'live') });
    const { client } = await sockets!.pair();
    client.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await client.next('error')).toMatchObject({ code: 'binary-unsupported' });
    client.send('{not json');
    expect(await client.next('error', 2)).toMatchObject({ code: 'bad-json' });
    expect(opened.clients[0]!.invalid).toBe(2);
    // A ping is no strike; a valid subscribe after the first is one.
    client.send({ type: 'ping' });
    await client.next('pong');
    client.send({ type: 'subscribe', articles: '*' });
    await until(() => (opened.clients[0]!.phase === 'live' ? true : undefined), 'the subscribe');
    client.send({ type: 'subscribe', articles: '*' });
    expect(await client.waitClosed()).toEqual({ code: 1008, reason: 'too many invalid messages' });
    expect(client.messages.filter((m) => m.type === 'error')).toHaveLength(2);
    await opened.clients[0]!.gone;
    expect(opened.closed).toHaveLength(1);
    expect(opened.closed[0]).toBe(opened.clients[0]);
    expect(opened.clients[0]!.phase).toBe('closing');
  });

  it('answers a second subscribe with already-subscribed and does not hand it over', async () => {
    const opened = await start({ maxInvalid: 10 });
    const { client } = await sockets!.pair();
    client.send({ type: 'subscribe', articles: '*' });
    await until(() => (opened.subscribes.length === 1 ? true : undefined), 'the subscribe');
    opened.clients[0]!.phase = 'replaying';
    client.send({ type: 'subscribe', articles: '*' });
    expect(await client.next('error')).toMatchObject({ code: 'already-subscribed' });
    expect(opened.subscribes).toHaveLength(1);
  });

  it('marks the client alive when its pong comes back, and closing when its socket closes', async () => {
    const opened = await start();
    const { client, server } = await sockets!.pair();
    const c = opened.clients[0]!;
    c.alive = false;
    server.ping();
    await until(() => (c.alive ? true : undefined), 'the pong');
    c.phase = 'replaying';
    expect(stillReplaying(c)).toBe(true);
    await client.close();
    await c.gone;
    expect(c.phase).toBe('closing');
    expect(stillReplaying(c)).toBe(false);
    expect(opened.closed).toHaveLength(1);
    expect(opened.closed[0]).toBe(c);
  });
});

describe('matches', () => {
  it('needs the article and the filter', async () => {
    const opened = await start();
    await sockets!.pair();
    const c = opened.clients[0]!;
    expect(matches(c, liveEvent(1))).toBe(false); // not subscribed yet
    c.articles = new Set(['story']);
    c.filter = DEFAULT_FILTER;
    expect(matches(c, liveEvent(1))).toBe(true);
    expect(matches(c, liveEvent(2, { article: 'other' }))).toBe(false);
    expect(matches(c, liveEvent(3, { kind: 'timestamp-only' }))).toBe(false); // a quiet kind
    c.articles = '*';
    expect(matches(c, liveEvent(4, { article: 'other' }))).toBe(true);
  });
});
