import * as http from 'node:http';
import * as net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { EventMessage } from '../../src/publish/live-protocol.js';
import { fixture, liveUrl, LiveClient, startHarness, type Harness, type HarnessOptions } from './harness.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function harness(options: HarnessOptions = {}): Promise<Harness> {
  const h = await startHarness(options);
  open.push(h);
  return h;
}

async function client(h: Harness, query = '', options = {}): Promise<LiveClient> {
  const c = await LiveClient.connect(liveUrl(h.server, query), options);
  open.push(c);
  return c;
}

function text(n: number, extra = ''): string {
  return `Headline for story\n\nFirst paragraph of the story number ${n}.\n\nSecond paragraph ${extra}.\n`;
}

/** Adds `count` versions of `article`, each different. */
async function addVersions(h: Harness, article: string, count: number, from = 1): Promise<void> {
  for (let i = from; i < from + count; i++) {
    const outcome = await h.add(article, text(i, `v${i}`));
    expect(outcome.status).toBe('new-version');
  }
}

describe('/live', () => {
  it('sends hello, then a change published after a new version is stored', async () => {
    const h = await harness();
    const c = await client(h);
    const hello = await c.next('hello');
    expect(hello.protocol).toBe('wirediff.live/1');
    c.send({ type: 'subscribe', articles: '*' });
    const done = await c.next('replay-complete');
    expect(done).toMatchObject({ last: 0, replayed: 0 });

    const outcome = await h.add('syria', await fixture('ap-syria/v1.txt'));
    expect(outcome.status).toBe('new-version');
    const e = await c.next('event');
    expect(e).toMatchObject({ article: 'syria', version: 1, id: 1, kind: 'initial', schema: 'wirediff.event/1' });
    expect(e.summary).toBeTypeOf('string');

    await h.add('syria', await fixture('ap-syria/v2.txt'));
    await c.until((ms) => ms.filter((m) => m.type === 'event').length === 2);
    const second = c.events()[1] as EventMessage;
    expect(second.version).toBe(2);
    expect(second.changes?.schema).toBe('wirediff.changeset/2');
    expect(second.changes?.ops.length).toBeGreaterThan(0);
  });

  it('only sends the subscribed articles', async () => {
    const h = await harness();
    const c = await client(h);
    c.send({ type: 'subscribe', articles: ['b'] });
    await c.next('replay-complete');
    await addVersions(h, 'a', 1);
    await addVersions(h, 'b', 1);
    await c.next('event');
    c.send({ type: 'ping' });
    await c.next('pong');
    expect(c.events().map((e) => e.article)).toEqual(['b']);
  });

  it('resumes with since: exactly the missed events, in order, no duplicates, then live', async () => {
    const h = await harness();
    const c1 = await client(h);
    c1.send({ type: 'subscribe', articles: '*' });
    await c1.next('replay-complete');
    await addVersions(h, 'a', 3);
    await c1.until((ms) => ms.filter((m) => m.type === 'event').length === 3);
    const seen = c1.events().map((e) => e.id);
    expect(seen).toEqual([1, 2, 3]);
    await c1.close();

    await addVersions(h, 'a', 4, 4); // ids 4..7, missed
    const c2 = await client(h);
    c2.send({ type: 'subscribe', articles: '*', since: 3 });
    // Live events appended while the replay runs must come after it, without duplicates.
    const racing = addVersions(h, 'b', 3);
    await racing;
    await c2.until((ms) => ms.filter((m) => m.type === 'event').length === 7);
    await addVersions(h, 'a', 1, 20); // id 11, live
    await c2.until((ms) => ms.filter((m) => m.type === 'event').length === 8);
    const ids = c2.events().map((e) => e.id);
    expect(ids).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
    const rc = c2.messages.findIndex((m) => m.type === 'replay-complete');
    expect(rc).toBeGreaterThan(0);
    // Everything before replay-complete is the replay; its `last` is the newest id replayed.
    const done = c2.messages[rc];
    const before = c2.messages
      .slice(0, rc)
      .filter((m) => m.type === 'event')
      .map((m) => m.id);
    expect(done).toMatchObject({ type: 'replay-complete', last: before[before.length - 1] ?? 3 });
  });

  it('resuming from before the retained history gets a reset and the current state', async () => {
    const h = await harness({ retainEvents: 3 });
    await addVersions(h, 'a', 4);
    await addVersions(h, 'b', 2); // ids 1..6; retained 4..6
    const c = await client(h);
    c.send({ type: 'subscribe', articles: '*', since: 1 });
    const reset = await c.next('reset');
    expect(reset).toMatchObject({ reason: 'since-before-history', since: 1, first: 4, last: 6 });
    const state = await c.next('state');
    expect(state.last).toBe(6);
    expect([...state.articles].sort((x, y) => x.article.localeCompare(y.article))).toMatchObject([
      { article: 'a', version: 4 },
      { article: 'b', version: 2 },
    ]);
    const done = await c.next('replay-complete');
    expect(done.last).toBe(6);
    expect(c.events()).toEqual([]);
    await addVersions(h, 'a', 1, 10);
    const live = await c.next('event');
    expect(live.id).toBe(7);

    // `since` still inside the history (now 5..7): no reset.
    const ok = await client(h);
    ok.send({ type: 'subscribe', articles: '*', since: 4 });
    await ok.next('replay-complete');
    expect(ok.messages.some((m) => m.type === 'reset')).toBe(false);
    expect(ok.events().map((e) => e.id)).toEqual([5, 6, 7]);

    // `since` ahead of the log (a log that was reset): also a reset.
    const ahead = await client(h);
    ahead.send({ type: 'subscribe', articles: ['a'], since: 999 });
    expect(await ahead.next('reset')).toMatchObject({ reason: 'since-after-last' });
    expect((await ahead.next('state')).articles.map((a) => a.article)).toEqual(['a']);
  });

  it('answers invalid messages with errors and closes with 1008 after repeated abuse; the server stays up', async () => {
    const h = await harness();
    const c = await client(h);
    c.send('not json');
    const err = await c.next('error');
    expect(err.code).toBe('bad-json');
    c.send({ type: 'subscribe', articles: ['../etc'] });
    await c.until((ms) => ms.filter((m) => m.type === 'error').length === 2);
    expect(c.messages.filter((m) => m.type === 'error').map((m) => (m as { code: string }).code)).toEqual([
      'bad-json',
      'bad-message',
    ]);
    for (let i = 0; i < 1000; i++) c.send(i % 2 === 0 ? { type: 'nope', i } : `{"type":`);
    const closed = await c.waitClosed();
    expect(closed.code).toBe(1008);
    expect(c.messages.filter((m) => m.type === 'error').length).toBeLessThanOrEqual(11);

    const again = await client(h);
    again.send({ type: 'subscribe', articles: '*' });
    await again.next('replay-complete');
    await addVersions(h, 'a', 1);
    expect((await again.next('event')).article).toBe('a');
  });

  it('closes an oversized message with 1009 and stays up', async () => {
    const h = await harness();
    const c = await client(h);
    c.send({ type: 'subscribe', articles: ['x'.repeat(10_000)] });
    expect((await c.waitClosed()).code).toBe(1009);
    const again = await client(h);
    await again.next('hello');
  });

  it('refuses a second subscribe and binary frames with an error', async () => {
    const h = await harness();
    const c = await client(h);
    c.send({ type: 'subscribe', articles: '*' });
    await c.next('replay-complete');
    c.send({ type: 'subscribe', articles: '*' });
    expect((await c.next('error')).code).toBe('already-subscribed');
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    await c.until((ms) => ms.filter((m) => m.type === 'error').length === 2);
    expect(c.messages.filter((m) => m.type === 'error').map((m) => (m as { code: string }).code)).toContain(
      'binary-unsupported',
    );
  });

  it('checks the token and the Origin at upgrade: 401/403 on the raw socket, no WebSocket', async () => {
    const h = await harness({ token: 's3cret', allowedOrigins: ['https://news.example'] });
    const status = (query: string, headers: Record<string, string>): Promise<number> =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(liveUrl(h.server, query), { headers });
        ws.on('unexpected-response', (_req, res) => {
          resolve(res.statusCode ?? 0);
          res.resume();
          ws.terminate();
        });
        ws.on('open', () => {
          resolve(101);
          ws.close();
        });
        ws.on('error', (err) => {
          if (!String(err.message).includes('Unexpected server response')) reject(err);
        });
      });
    expect(await status('', {})).toBe(401);
    expect(await status('?token=wrong', {})).toBe(401);
    expect(await status('', { Authorization: 'Bearer wrong' })).toBe(401);
    expect(await status('?token=s3cret', { Origin: 'https://evil.example' })).toBe(403);
    expect(await status('?token=s3cret', { Origin: 'https://news.example' })).toBe(101);
    expect(await status('', { Authorization: 'Bearer s3cret' })).toBe(101);
    expect(h.server.hub.clientCount).toBeLessThanOrEqual(2);

    // The refusal is a plain HTTP response with a JSON body.
    const raw = await new Promise<string>((resolve, reject) => {
      const s = net.connect(h.server.port, '127.0.0.1', () => {
        s.write(
          'GET /live HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
            'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
        );
      });
      let out = '';
      s.on('data', (d) => (out += String(d)));
      s.on('end', () => resolve(out));
      s.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 401 Unauthorized\r\n/);
    expect(raw).toContain('"code":"E_UNAUTHORIZED"');
  });

  it('answers a plain GET /live with 426', async () => {
    const h = await harness();
    const res = await fetch(`${h.server.url}/live`);
    expect(res.status).toBe(426);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('E_UPGRADE_REQUIRED');
  });

  it('disconnects a slow consumer (close 1013, then cut off) without slowing the others', async () => {
    const h = await harness({ live: { maxBufferedBytes: 512 * 1024 } });
    // The slow client: a raw TCP socket that completes the handshake and then never reads.
    const slow = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect(h.server.port, '127.0.0.1', () => {
        s.write(
          'GET /live HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
            'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
        );
        // A masked client frame: {"type":"subscribe","articles":"*"}
        const payload = Buffer.from(JSON.stringify({ type: 'subscribe', articles: '*' }));
        const mask = Buffer.from([1, 2, 3, 4]);
        const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
        s.write(Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]));
        s.once('data', () => {
          s.pause();
          resolve(s);
        });
      });
      s.on('error', reject);
    });
    open.push({
      close: () => {
        slow.destroy();
        return Promise.resolve();
      },
    });
    const fast = await client(h);
    fast.send({ type: 'subscribe', articles: '*' });
    await fast.next('replay-complete');
    // Each broadcast is received by the fast client before the next: its buffer stays empty while the paused
    // socket's kernel buffers fill, then its server-side buffer passes the cap and it is closed.
    let sent = 0;
    while (h.server.hub.clientCount > 1 && sent < 400) {
      sent += 1;
      h.server.hub.broadcast({
        schema: 'wirediff.event/1',
        id: sent,
        at: new Date().toISOString(),
        article: 'x',
        version: sent,
        title: 't',
        kind: 'update',
        summary: 'y'.repeat(256 * 1024),
        significance: 1,
        changes: null,
      });
      await fast.until((ms) => ms.filter((m) => m.type === 'event').length === sent);
    }
    expect(fast.closed).toBeUndefined();
    expect(sent).toBeLessThan(400);
    expect(h.server.hub.clientCount).toBe(1);
    slow.resume();
  });

  it('pings every heartbeatMs and terminates a peer that does not answer', async () => {
    const h = await harness({ live: { heartbeatMs: 500 } });
    const alive = await client(h);
    const pinged = new Promise<void>((resolve) => alive.ws.once('ping', () => resolve()));
    const dead = await client(h, '', { autoPong: false });
    const closed = await dead.waitClosed();
    expect(closed.code).toBe(1006); // terminated: no close frame
    await pinged;
  });

  it('closes live clients with 1001 when the server closes', async () => {
    const h = await harness();
    const c = await client(h);
    c.send({ type: 'subscribe', articles: '*' });
    await c.next('replay-complete');
    await h.server.close();
    expect((await c.waitClosed()).code).toBe(1001);
    await h.server.close(); // idempotent
    const refused = await new Promise<Error | number>((resolve) => {
      const req = http.get(`${h.server.url}/api/articles`, (res) => resolve(res.statusCode ?? 0));
      req.on('error', (err) => resolve(err));
    });
    expect(refused).toBeInstanceOf(Error);
  });
});
