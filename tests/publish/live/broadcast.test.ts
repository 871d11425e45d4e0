/** Live fan-out (broadcast.ts) to real WebSockets: who gets what, once, and the cut-off of a live client over the cap. */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_FILTER } from '../../../src/publish/change-filter.js';
import { buildFrame, createBroadcaster } from '../../../src/publish/live/broadcast.js';
import { openClient, type Client } from '../../../src/publish/live/client.js';
import { serializeEvent } from '../../../src/publish/live/live-protocol.js';
import { liveEvent, recordingLogger, startSocketServer, type SocketServer } from './sockets.js';

let sockets: SocketServer | undefined;
afterEach(async () => {
  await sockets?.close();
  sockets = undefined;
});

/** A socket server whose sockets become clients in `clients` (subscribed to every article, default filter). */
async function start(clients: Set<Client>): Promise<void> {
  sockets = await startSocketServer((ws) => {
    const c = openClient(ws, {
      maxInvalid: 0,
      hello: { type: 'hello', protocol: 'wirediff.live/1', maxPayload: 4096, heartbeatMs: 30_000 },
      onSubscribe: () => undefined,
      onClose: (client) => void clients.delete(client),
    });
    c.articles = '*';
    c.filter = DEFAULT_FILTER;
    clients.add(c);
  });
}

function clientOf(clients: Set<Client>, n: number): Client {
  return [...clients][n]!;
}

describe('createBroadcaster', () => {
  it('sends an event to the live clients it matches, once, and notes it on the replaying ones', async () => {
    const clients = new Set<Client>();
    await start(clients);
    const b = createBroadcaster({ clients, maxBufferedBytes: 1 << 20 });
    const live = await sockets!.pair();
    const other = await sockets!.pair();
    const replaying = await sockets!.pair();
    clientOf(clients, 0).phase = 'live';
    clientOf(clients, 0).articles = new Set(['story']);
    const otherClient = clientOf(clients, 1);
    otherClient.phase = 'live';
    otherClient.articles = new Set(['elsewhere']);
    const replayingClient = clientOf(clients, 2);
    replayingClient.phase = 'replaying';

    b.broadcast(liveEvent(1));
    b.broadcast(liveEvent(1)); // a duplicate id is not sent again
    b.broadcast(liveEvent(2, { kind: 'timestamp-only' })); // left out by the default filter
    b.broadcast(liveEvent(3, { article: 'elsewhere' }));
    // A marker after the events: everything broadcast before it has arrived.
    b.broadcast(liveEvent(4, { article: 'elsewhere', summary: 'marker' }));
    b.broadcast(liveEvent(5, { summary: 'marker' }));
    await other.client.until((ms) => ms.some((m) => m.type === 'event' && m.summary === 'marker'));
    await live.client.until((ms) => ms.some((m) => m.type === 'event' && m.summary === 'marker'));
    expect(live.client.events().map((e) => e.id)).toEqual([1, 5]);
    expect(live.client.events()[0]).toEqual(JSON.parse(serializeEvent(liveEvent(1))));
    expect(other.client.events().map((e) => e.id)).toEqual([3, 4]);
    expect(clientOf(clients, 0).cursor).toBe(5);
    expect(otherClient.cursor).toBe(4);
    expect(replaying.client.events()).toEqual([]);
    expect(replayingClient.seenLive).toBe(5);
    expect(replayingClient.cursor).toBe(0);
    expect(b.slowConsumersCut).toBe(0);
  });

  it('builds a frame that a socket sends as is', () => {
    const data = Buffer.from(serializeEvent(liveEvent(7)));
    const frame = buildFrame(data);
    expect(frame).toBeDefined();
    // FIN + text opcode, unmasked, 16-bit length, then the payload itself.
    expect(frame![0]).toBe(0x81);
    expect(frame!.subarray(frame!.length - data.length)).toEqual(data);
  });

  it('cuts a live client off once its buffer passes the cap: 1013, nothing more, destroyed after the grace', async () => {
    const clients = new Set<Client>();
    await start(clients);
    const logger = recordingLogger();
    const cap = 64 * 1024;
    const b = createBroadcaster({ clients, maxBufferedBytes: cap, logger });
    const slow = await sockets!.pair();
    const fast = await sockets!.pair();
    const slowClient = clientOf(clients, 0);
    const fastClient = clientOf(clients, 1);
    slowClient.phase = 'live';
    fastClient.phase = 'live';
    await slow.client.next('hello');
    slow.client.ws.pause();
    // Each event is read by the fast client before the next, while the paused socket's kernel buffers fill and then
    // its server-side buffer passes the cap. The bound only stops a broken broadcaster from looping forever.
    let sent = 0;
    while (b.slowConsumersCut === 0) {
      expect(sent).toBeLessThan(8192);
      sent += 1;
      b.broadcast(liveEvent(sent, { summary: 'y'.repeat(256 * 1024) }));
      await fast.client.until((ms) => ms.filter((m) => m.type === 'event').length === sent);
    }
    expect(slowClient.phase).toBe('closing');
    expect(slowClient.ws.bufferedAmount).toBeGreaterThan(cap);
    expect(logger.lines).toEqual([
      expect.objectContaining({ level: 'warn', fields: expect.objectContaining({ maxBufferedBytes: cap }) }),
    ]);
    const cursor = slowClient.cursor;
    b.broadcast(liveEvent(sent + 1, { summary: 'after' }));
    await fast.client.until((ms) => ms.filter((m) => m.type === 'event').length === sent + 1);
    expect(slowClient.cursor).toBe(cursor);
    expect(b.slowConsumersCut).toBe(1);
    // The socket is destroyed after the grace, though the peer never read its close frame.
    await slowClient.gone;
    expect(clients.has(slowClient)).toBe(false);
    expect(fast.client.closed).toBeUndefined();
    slow.client.ws.resume();
    const closed = await slow.client.waitClosed();
    expect([1006, 1013]).toContain(closed.code);
  });
});
