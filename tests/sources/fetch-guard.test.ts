/**
 * The network-address guard at the HTTP level. The "public" test server listens on 127.0.0.2 and is allowed through
 * `allowedAddresses` (standing in for a public host); everything else local is refused.
 * A second server on 127.0.0.1 proves that refused redirects never open a connection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWirediffError } from '../../src/core/errors.js';
import { defaultFetchOptions, fetchDocument, type FetchOptions } from '../../src/sources/index.js';
import { startServer, type TestServer } from './test-server.js';

let publicServer: TestServer;
let loopbackServer: TestServer;
let ipv6Server: TestServer | undefined;

beforeAll(async () => {
  loopbackServer = await startServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('secret admin page');
  });
  try {
    ipv6Server = await startServer((_req, res) => res.end('secret v6'), '::1');
  } catch {
    ipv6Server = undefined; // no IPv6 loopback here
  }
  publicServer = await startServer((req, res) => {
    const target = new URL(req.url!, 'http://x').searchParams.get('to');
    if (target !== null) {
      res.writeHead(302, { location: target });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('public page');
  }, '127.0.0.2');
});

afterAll(async () => {
  await Promise.all([publicServer.close(), loopbackServer.close(), ipv6Server?.close()]);
});

function refusing(extra: Partial<FetchOptions> = {}): FetchOptions {
  return {
    ...defaultFetchOptions(),
    timeoutMs: 5_000,
    allowPrivateNetwork: false,
    allowedAddresses: ['127.0.0.2'],
    ...extra,
  };
}

async function codeOf(url: string, options: FetchOptions): Promise<string> {
  try {
    await fetchDocument(url, options);
  } catch (err) {
    if (isWirediffError(err)) return err.code;
    throw err;
  }
  return 'no error';
}

describe('address guard over HTTP', () => {
  it('reaches an allowed address', async () => {
    const result = await fetchDocument(`${publicServer.url}/`, refusing());
    expect(result.text).toBe('public page');
  });

  it('refuses the loopback server directly (literal IP) without connecting', async () => {
    const before = loopbackServer.connections();
    expect(await codeOf(`${loopbackServer.url}/`, refusing())).toBe('E_FETCH_BLOCKED_ADDRESS');
    expect(loopbackServer.connections()).toBe(before);
  });

  it('refuses localhost (checked after DNS resolution) without connecting', async () => {
    const before = loopbackServer.connections();
    expect(await codeOf(`http://localhost:${loopbackServer.port}/`, refusing())).toBe('E_FETCH_BLOCKED_ADDRESS');
    expect(loopbackServer.connections()).toBe(before);
  });

  it('refuses https://localhost too (the https transport uses the same guarded lookup)', async () => {
    const before = loopbackServer.connections();
    expect(await codeOf(`https://localhost:${loopbackServer.port}/`, refusing())).toBe('E_FETCH_BLOCKED_ADDRESS');
    expect(await codeOf(`https://127.0.0.1:${loopbackServer.port}/`, refusing())).toBe('E_FETCH_BLOCKED_ADDRESS');
    expect(loopbackServer.connections()).toBe(before);
  });

  it('refuses odd spellings of loopback (decimal, hex, IPv6 forms embedding 127.0.0.1)', async () => {
    const port = loopbackServer.port;
    const before = loopbackServer.connections();
    for (const host of [
      '2130706433',
      '0x7f.1',
      '[::ffff:127.0.0.1]',
      '127.1',
      '[::127.0.0.1]',
      '[::ffff:0:127.0.0.1]',
      '[64:ff9b::127.0.0.1]',
      '[2002:7f00:1::1]',
    ]) {
      expect(await codeOf(`http://${host}:${port}/`, refusing()), host).toBe('E_FETCH_BLOCKED_ADDRESS');
    }
    expect(loopbackServer.connections()).toBe(before);
  });

  it('names the --allow-private-network flag in the refusal', async () => {
    const err = await fetchDocument(`${loopbackServer.url}/`, refusing()).catch((e: unknown) => e as Error);
    expect((err as Error).message).toContain('--allow-private-network');
  });

  const targets = () => [
    `http://127.0.0.1:${loopbackServer.port}/admin`,
    `http://localhost:${loopbackServer.port}/admin`,
    `http://[::1]:${ipv6Server?.port ?? 9}/admin`,
    'http://169.254.169.254/latest/meta-data/',
    'http://10.0.0.1/',
    'http://[fd00::1]/',
    'http://0.0.0.0/',
  ];

  it('refuses every redirect to a private address, without connecting to it', async () => {
    const before = loopbackServer.connections();
    const beforeV6 = ipv6Server?.connections() ?? 0;
    for (const target of targets()) {
      const url = `${publicServer.url}/?to=${encodeURIComponent(target)}`;
      expect(await codeOf(url, refusing()), target).toBe('E_FETCH_BLOCKED_ADDRESS');
    }
    expect(loopbackServer.connections()).toBe(before);
    expect(ipv6Server?.connections() ?? 0).toBe(beforeV6);
    // The first hop was made each time: the refusal happened at the redirect.
    expect(publicServer.requests.length).toBeGreaterThanOrEqual(targets().length);
  });

  it('follows the same redirect when private networks are allowed', async () => {
    const url = `${publicServer.url}/?to=${encodeURIComponent(`http://127.0.0.1:${loopbackServer.port}/admin`)}`;
    const result = await fetchDocument(url, refusing({ allowPrivateNetwork: true }));
    expect(result.text).toBe('secret admin page');
    expect(result.url).toBe(`http://127.0.0.1:${loopbackServer.port}/admin`);
  });

  it('refuses by default (defaultFetchOptions) any local address', async () => {
    const options = { ...defaultFetchOptions(), timeoutMs: 5_000 };
    expect(await codeOf(`${publicServer.url}/`, options)).toBe('E_FETCH_BLOCKED_ADDRESS');
  });
});
