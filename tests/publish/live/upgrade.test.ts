/** The live handshake (upgrade.ts) on a real HTTP server: refusals, the token's three carriers, the subprotocol. */
import { afterEach, describe, expect, it } from 'vitest';
import { chooseSubprotocol, createUpgrader, type Upgrader } from '../../../src/publish/live/upgrade.js';
import { upgradeStatus } from '../../http/harness.js';
import { startSocketServer, type SocketServer } from './sockets.js';

let sockets: SocketServer | undefined;
let upgrader: Upgrader | undefined;
afterEach(async () => {
  await sockets?.close();
  await upgrader?.close();
  sockets = undefined;
  upgrader = undefined;
});

async function start(token: string | undefined, allowedOrigins: string[] | undefined): Promise<string> {
  const u = createUpgrader({ token, allowedOrigins, ownOrigins: ['https://own.example'], maxPayload: 4096 });
  upgrader = u;
  sockets = await startSocketServer(undefined, (req, socket, head, done) => u.upgrade(req, socket, head, done));
  return `${sockets.url}/live`;
}

/** The status, headers and body of a refused upgrade. */
async function refusal(
  url: string,
  headers: Record<string, string> = {},
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}> {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request(url.replace(/^ws/, 'http'), {
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
        'Sec-WebSocket-Version': '13',
        ...headers,
      },
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) }));
    });
    req.on('upgrade', () => reject(new Error('upgraded')));
    req.on('error', reject);
    req.end();
  });
}

describe('createUpgrader', () => {
  it('refuses a foreign Origin with 403 and allows the listed, the own and the requested host', async () => {
    const url = await start(undefined, ['https://reader.example']);
    const r = await refusal(url, { Origin: 'https://evil.example' });
    expect(r.status).toBe(403);
    expect(r.body).toEqual({ error: { code: 'E_FORBIDDEN_ORIGIN', message: 'this Origin is not allowed' } });
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    const host = new URL(url).host;
    for (const origin of ['https://reader.example', 'https://own.example', `http://${host}`]) {
      expect((await upgradeStatus(url, { headers: { Origin: origin } })).status).toBe(101);
    }
  });

  it('requires the token (401 with WWW-Authenticate) by header, bearer subprotocol or query', async () => {
    const url = await start('s3cret', undefined);
    const r = await refusal(url);
    expect(r.status).toBe(401);
    expect(r.headers['www-authenticate']).toBe('Bearer realm="wirediff"');
    expect(r.body).toMatchObject({ error: { code: 'E_UNAUTHORIZED' } });
    expect((await refusal(url, { Authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await upgradeStatus(url, { headers: { Authorization: 'Bearer s3cret' } })).status).toBe(101);
    expect((await upgradeStatus(`${url}?token=s3cret`)).status).toBe(101);
    const bearer = `wirediff.bearer.${Buffer.from('s3cret').toString('base64url')}`;
    // The token subprotocol is never echoed back: the live one is chosen.
    expect(await upgradeStatus(url, { protocols: ['wirediff.live.1', bearer] })).toEqual({
      status: 101,
      protocol: 'wirediff.live.1',
    });
  });

  it('refuses every upgrade with 503 once stopped', async () => {
    const url = await start(undefined, undefined);
    expect((await upgradeStatus(url)).status).toBe(101);
    upgrader!.stop();
    const r = await refusal(url);
    expect(r.status).toBe(503);
    expect(r.body).toMatchObject({ error: { code: 'E_CLOSED' } });
  });
});

describe('chooseSubprotocol', () => {
  it('answers the live protocol when offered, never a bearer token', () => {
    expect(chooseSubprotocol(new Set(['x', 'wirediff.live.1']))).toBe('wirediff.live.1');
    expect(chooseSubprotocol(new Set(['wirediff.bearer.abc', 'other']))).toBe('other');
    expect(chooseSubprotocol(new Set(['wirediff.bearer.abc']))).toBe(false);
    expect(chooseSubprotocol(new Set())).toBe(false);
  });
});
