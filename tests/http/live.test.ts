import * as http from 'node:http';
import * as net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventMessage } from '../../src/publish/live/live-protocol.js';
import {
  fixture,
  liveUrl,
  LiveClient,
  startHarness,
  upgradeStatus,
  type Harness,
  type HarnessOptions,
} from './harness.js';
import { until } from '../support/wait.js';

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

  it('takes the token as a subprotocol (for browsers) and answers with wirediff.live.1, never echoing the token', async () => {
    const h = await harness({ token: 's3cret' });
    const open = (protocols: string[]) => upgradeStatus(liveUrl(h.server), { protocols });
    const bearer = (t: string): string => `wirediff.bearer.${Buffer.from(t).toString('base64url')}`;
    expect(await open(['wirediff.live.1', bearer('s3cret')])).toEqual({ status: 101, protocol: 'wirediff.live.1' });
    expect(await open(['wirediff.live.1', bearer('wrong')])).toMatchObject({ status: 401 });
    expect(await open(['wirediff.live.1'])).toMatchObject({ status: 401 });
    expect(await open(['wirediff.live.1', 'wirediff.bearer.not.base64url'])).toMatchObject({ status: 401 });
  });

  it("always lets the server's own origin in when allowedOrigins is set (the viewer's live script)", async () => {
    const h = await harness({
      allowedOrigins: ['https://news.example'],
      live: { ownOrigins: ['https://public.example'] },
    });
    const status = async (headers: Record<string, string>): Promise<number> =>
      (await upgradeStatus(liveUrl(h.server), { headers })).status;
    const own = new URL(h.server.url).host;
    expect(await status({ Origin: `http://${own}` })).toBe(101);
    expect(await status({ Origin: 'https://public.example' })).toBe(101);
    expect(await status({ Origin: 'https://news.example' })).toBe(101);
    expect(await status({ Origin: 'https://evil.example' })).toBe(403);
    // A page elsewhere that names this host in its own path does not pass for it.
    expect(await status({ Origin: `http://${own}.evil.example` })).toBe(403);
  });

  it('checks the token and the Origin at upgrade: 401/403 on the raw socket, no WebSocket', async () => {
    const h = await harness({ token: 's3cret', allowedOrigins: ['https://news.example'] });
    const status = async (query: string, headers: Record<string, string>): Promise<number> =>
      (await upgradeStatus(liveUrl(h.server, query), { headers })).status;
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

  it('cuts off a client that stops reading once its buffer passes the cap, without slowing the others', async () => {
    const h = await harness({ live: { maxBufferedBytes: 512 * 1024 } });
    const hub = h.server.hub;
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
    await until(() => (hub.stats().live === 1 ? true : undefined), 'the slow client to be live');
    const fast = await client(h);
    fast.send({ type: 'subscribe', articles: '*' });
    await fast.next('replay-complete');
    expect(hub.stats()).toMatchObject({ live: 2, slowConsumersCut: 0 });
    // Broadcast until the hub cuts the slow client off: each event is read by the fast client before the next, so its
    // buffer stays empty while the paused socket's kernel buffers fill (however large they are on this machine), then
    // its server-side buffer passes the cap. The bound only stops a broken hub from looping forever (2 GiB).
    let sent = 0;
    while (hub.stats().slowConsumersCut === 0) {
      expect(sent).toBeLessThan(8192);
      sent += 1;
      hub.broadcast({
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
    // Cut off at once: no longer live, nothing more is sent to it; the fast client is untouched.
    expect(hub.stats()).toMatchObject({ live: 1, slowConsumersCut: 1 });
    expect(fast.closed).toBeUndefined();
    // Its socket is destroyed after the grace for the close frame.
    await until(() => (hub.clientCount === 1 ? true : undefined), 'the slow socket to be destroyed');
    hub.broadcast({
      schema: 'wirediff.event/1',
      id: sent + 1,
      at: new Date().toISOString(),
      article: 'x',
      version: sent + 1,
      title: 't',
      kind: 'update',
      summary: 'after',
      significance: 1,
      changes: null,
    });
    await fast.until((ms) => ms.filter((m) => m.type === 'event').length === sent + 1);
    expect(fast.closed).toBeUndefined();
  });

  it('paces a replay by what the client reads: a paused reader is waited for, never cut off, and misses nothing', async () => {
    const cap = 256 * 1024;
    const h = await harness({ live: { maxBufferedBytes: cap, replayBatch: 1000 } });
    const hub = h.server.hub;
    const log = h.fileStore.log;
    // More history than any kernel socket buffer holds (tcp_rmem can reach 32 MiB), so a replay that does not wait
    // for the reader has to queue most of it in the server.
    const events = 256;
    const summary = 'z'.repeat(256 * 1024);
    for (let i = 1; i <= events; i++) {
      await log.append({
        at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
        article: 'big',
        version: i,
        title: 't',
        kind: 'update',
        summary,
        significance: 1,
        changes: null,
      });
    }
    const c = await client(h);
    await c.next('hello');
    c.ws.pause();
    c.send({ type: 'subscribe', articles: '*', since: 0 });
    // The replay fills what the kernel takes, then waits for the client (it must not run on and finish).
    const state = await until(() => {
      const st = hub.stats();
      return st.waitingForClient === 1 || st.live === 1 ? st : undefined;
    }, 'the replay to wait for the paused client or to finish');
    expect(state).toMatchObject({ waitingForClient: 1, replaying: 1, live: 0 });
    // An event published meanwhile is not queued in the hub: the replay reads it from the log.
    await log.append({
      at: new Date(Date.UTC(2026, 0, 1, 1, 0, 0)).toISOString(),
      article: 'big',
      version: events + 1,
      title: 't',
      kind: 'update',
      summary: 'live while replaying',
      significance: 1,
      changes: null,
    });
    c.ws.resume();
    const done = await c.next('replay-complete');
    expect(done.last).toBe(events + 1);
    expect(c.events().map((e) => e.id)).toEqual(Array.from({ length: events + 1 }, (_, i) => i + 1));
    expect(c.closed).toBeUndefined();
    expect(hub.stats()).toMatchObject({ live: 1, slowConsumersCut: 0 });
  });

  it('filters by kinds and significance in replay and live alike; a resume with the same filter misses nothing', async () => {
    const h = await harness();
    const log = h.fileStore.log;
    const kinds = ['update', 'timestamp-only', 'correction', 'minor', 'figures', 'correction', 'update', 'figures'];
    const significance = [0.5, 0, 0.2, 0.05, 0.6, 0.7, 0.1, 0.3];
    const append = (i: number) =>
      log.append({
        at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
        article: 'story',
        version: i + 1,
        title: 't',
        kind: kinds[i] as EventMessage['kind'],
        summary: `change ${i + 1}`,
        significance: significance[i]!,
        changes: null,
      });
    for (let i = 0; i < 4; i++) await append(i);
    const ids = (c: LiveClient): number[] => c.events().map((e) => e.id);

    const plain = await client(h);
    plain.send({ type: 'subscribe', articles: '*', since: 0 });
    const everything = await client(h);
    everything.send({ type: 'subscribe', articles: '*', since: 0, kinds: '*' });
    const picky = await client(h);
    picky.send({ type: 'subscribe', articles: '*', since: 0, kinds: ['correction', 'figures'], minSignificance: 0.3 });
    for (const c of [plain, everything, picky]) await c.next('replay-complete');
    // Replayed: the default leaves out timestamp-only (2) and minor (4).
    expect(ids(plain)).toEqual([1, 3]);
    expect(ids(everything)).toEqual([1, 2, 3, 4]);
    expect(ids(picky)).toEqual([]);
    const pickyDone = await picky.next('replay-complete');
    expect(pickyDone.last).toBe(4);

    await append(4);
    await append(5);
    await everything.until((ms) => ms.filter((m) => m.type === 'event').length === 6);
    await plain.until((ms) => ms.filter((m) => m.type === 'event').length === 4);
    await picky.until((ms) => ms.filter((m) => m.type === 'event').length === 2);
    expect(ids(picky)).toEqual([5, 6]);

    // The picky client goes away, two more changes happen, it comes back with its cursor and the same filter.
    await picky.close();
    await append(6);
    await append(7);
    const back = await client(h);
    back.send({ type: 'subscribe', articles: '*', since: 6, kinds: ['correction', 'figures'], minSignificance: 0.3 });
    const done = await back.next('replay-complete');
    expect(ids(back)).toEqual([8]);
    expect(done.last).toBe(8);
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
