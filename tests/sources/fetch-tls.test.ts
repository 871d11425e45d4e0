/**
 * The https transport end to end: a real TLS server with a self-signed certificate (made with openssl at test time).
 * fetchDocument must connect through the guarded lookup and must refuse the untrusted certificate.
 */
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWirediffError } from '../../src/core/errors.js';
import { defaultFetchOptions, fetchDocument } from '../../src/sources/index.js';

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!hasOpenssl())('fetchDocument over https', () => {
  let dir: string;
  let server: Server;
  let port: number;
  let handshakes = 0;

  beforeAll(async () => {
    dir = await fs.mkdtemp(join(tmpdir(), 'wirediff-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    server = createServer(
      { key: await fs.readFile(join(dir, 'key.pem')), cert: await fs.readFile(join(dir, 'cert.pem')) },
      (_req, res) => res.end('secure page'),
    );
    server.on('secureConnection', () => (handshakes += 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('connects (private networks allowed) and refuses the self-signed certificate with E_FETCH', async () => {
    let caught: unknown;
    let connections = 0;
    const onConnection = (): void => {
      connections += 1;
    };
    server.on('connection', onConnection);
    try {
      await fetchDocument(`https://localhost:${port}/`, { ...defaultFetchOptions(), allowPrivateNetwork: true });
    } catch (err) {
      caught = err;
    } finally {
      server.off('connection', onConnection);
    }
    expect(isWirediffError(caught, 'E_FETCH')).toBe(true);
    expect((caught as Error).message).toMatch(/certificate/i);
    expect(connections).toBe(1);
    expect(handshakes).toBe(0);
  });
});
