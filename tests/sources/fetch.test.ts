import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { isWirediffError } from '../../src/core/errors.js';
import { defaultFetchOptions, fetchDocument, type FetchOptions } from '../../src/sources/index.js';
import { startServer, type Handler, type TestServer } from './test-server.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(handler: Handler, host?: string): Promise<TestServer> {
  const server = await startServer(handler, host);
  servers.push(server);
  return server;
}

function opts(extra: Partial<FetchOptions> = {}): FetchOptions {
  return { ...defaultFetchOptions(), allowPrivateNetwork: true, timeoutMs: 5_000, ...extra };
}

async function fetchError(url: string, options: FetchOptions): Promise<{ code: string; message: string }> {
  try {
    await fetchDocument(url, options);
  } catch (err) {
    if (isWirediffError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error(`expected ${url} to fail`);
}

describe('fetchDocument: basics and conditional GET', () => {
  it('fetches a page, sends the User-Agent, and returns ETag and Last-Modified', async () => {
    const server = await serve((req, res) => {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        etag: '"v1"',
        'last-modified': 'Wed, 25 Nov 2026 01:00:00 GMT',
      });
      res.end(`<p>Hello from ${req.headers['user-agent']}</p>`);
    });
    const result = await fetchDocument(`${server.url}/story`, opts());
    expect(result.status).toBe(200);
    expect(result.notModified).toBe(false);
    expect(result.url).toBe(`${server.url}/story`);
    expect(result.etag).toBe('"v1"');
    expect(result.lastModified).toBe('Wed, 25 Nov 2026 01:00:00 GMT');
    expect(result.contentType).toBe('text/html; charset=utf-8');
    expect(result.charset).toBe('utf-8');
    expect(result.text).toMatch(
      /^<p>Hello from wirediff\/\d+\.\d+\.\d+ \(\+https:\/\/github\.com\/wirediff\/wirediff\)<\/p>$/,
    );
    expect(Buffer.from(result.bytes).toString('utf8')).toBe(result.text);
  });

  it('sends If-None-Match / If-Modified-Since and reports 304 as notModified with empty bytes', async () => {
    const server = await serve((req, res) => {
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304, { etag: '"v1"' });
        res.end();
        return;
      }
      res.writeHead(200, {
        'content-type': 'text/plain',
        etag: '"v1"',
        'last-modified': 'Wed, 25 Nov 2026 01:00:00 GMT',
      });
      res.end('version one');
    });
    const first = await fetchDocument(server.url, opts());
    expect(first.status).toBe(200);
    const second = await fetchDocument(server.url, opts({ etag: first.etag!, lastModified: first.lastModified! }));
    expect(second.status).toBe(304);
    expect(second.notModified).toBe(true);
    expect(second.bytes.length).toBe(0);
    expect(second.text).toBe('');
    expect(second.etag).toBe('"v1"');
    expect(second.lastModified).toBe('Wed, 25 Nov 2026 01:00:00 GMT');
    expect(server.requests[1]!.headers['if-none-match']).toBe('"v1"');
    expect(server.requests[1]!.headers['if-modified-since']).toBe('Wed, 25 Nov 2026 01:00:00 GMT');
    expect(server.requests[0]!.headers['if-none-match']).toBeUndefined();
  });

  it('returns a 500 as a result with its status and body, not an exception', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('boom');
    });
    const result = await fetchDocument(server.url, opts());
    expect(result.status).toBe(500);
    expect(result.notModified).toBe(false);
    expect(result.text).toBe('boom');
    expect(result.retryAfterMs).toBeUndefined();
  });

  it('caps the body of an error answer instead of failing, keeping its status and Retry-After', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(503, { 'content-type': 'text/html', 'retry-after': '30' });
      res.end('x'.repeat(1024 * 1024));
    });
    const result = await fetchDocument(server.url, opts({ maxBytes: 512 * 1024 }));
    expect(result.status).toBe(503);
    expect(result.retryAfterMs).toBe(30_000);
    expect(result.truncated).toBe(true);
    expect(result.bytes.length).toBe(64 * 1024);
  });

  it('keeps the status of an error answer whose body is broken', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(503, { 'content-encoding': 'zstd', 'retry-after': '7' });
      res.end('not really zstd');
    });
    const result = await fetchDocument(server.url, opts());
    expect(result.status).toBe(503);
    expect(result.retryAfterMs).toBe(7_000);
    expect(result.bytes.length).toBe(0);
    expect(result.truncated).toBe(true);
  });

  it('accepts an empty body that claims a Content-Encoding', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(204, { 'content-encoding': 'gzip' });
      res.end();
    });
    const result = await fetchDocument(server.url, opts());
    expect(result.status).toBe(204);
    expect(result.bytes.length).toBe(0);
  });

  it('reports a charset note when the header charset is overruled', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(Buffer.from([0x63, 0x61, 0x66, 0xe9])); // "café" in windows-1252
    });
    const result = await fetchDocument(server.url, opts());
    expect(result.text).toBe('café');
    expect(result.charset).toBe('windows-1252');
    expect(result.charsetNote).toContain('not valid UTF-8');
  });

  it('parses Retry-After in seconds on 429', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(429, { 'retry-after': '120' });
      res.end('slow down');
    });
    const result = await fetchDocument(server.url, opts());
    expect(result.status).toBe(429);
    expect(result.retryAfterMs).toBe(120_000);
  });

  it('parses Retry-After as an HTTP date on 503, against the injected clock', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(503, { 'retry-after': 'Wed, 25 Nov 2026 03:00:30 GMT' });
      res.end();
    });
    const now = Date.parse('2026-11-25T03:00:00Z');
    const result = await fetchDocument(server.url, opts({ now: () => now }));
    expect(result.status).toBe(503);
    expect(result.retryAfterMs).toBe(30_000);
  });

  it('ignores Retry-After on statuses other than 429 and 503', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(500, { 'retry-after': '5' });
      res.end();
    });
    expect((await fetchDocument(server.url, opts())).retryAfterMs).toBeUndefined();
  });
});

describe('fetchDocument: time and size limits', () => {
  it('fails with E_FETCH_TIMEOUT when the body trickles forever', async () => {
    let timer: NodeJS.Timeout | undefined;
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      timer = setInterval(() => res.write('.'), 20);
      res.on('close', () => clearInterval(timer));
    });
    const err = await fetchError(server.url, opts({ timeoutMs: 300 }));
    expect(err.code).toBe('E_FETCH_TIMEOUT');
    expect(err.message).toContain('300 ms');
    clearInterval(timer);
  });

  it('fails with E_FETCH_TIMEOUT when the headers never come', async () => {
    const server = await serve(() => {
      /* never answers */
    });
    const err = await fetchError(server.url, opts({ timeoutMs: 200 }));
    expect(err.code).toBe('E_FETCH_TIMEOUT');
  });

  it('refuses a body whose Content-Length exceeds maxBytes before reading it', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(10_000) });
      res.end('x'.repeat(10_000));
    });
    const err = await fetchError(server.url, opts({ maxBytes: 1_000 }));
    expect(err.code).toBe('E_FETCH_TOO_LARGE');
    expect(err.message).toContain('Content-Length 10000');
  });

  it('accepts a body of exactly maxBytes, with and without Content-Length, and refuses one byte more', async () => {
    const server = await serve((req, res) => {
      const size = req.url!.includes('over') ? 1_001 : 1_000;
      if (req.url!.startsWith('/chunked')) {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('y'.repeat(500));
        res.end('y'.repeat(size - 500));
      } else {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': size });
        res.end('y'.repeat(size));
      }
    });
    const o = opts({ maxBytes: 1_000 });
    expect((await fetchDocument(`${server.url}/fixed`, o)).bytes.length).toBe(1_000);
    expect((await fetchDocument(`${server.url}/chunked`, o)).bytes.length).toBe(1_000);
    expect((await fetchError(`${server.url}/fixed-over`, o)).code).toBe('E_FETCH_TOO_LARGE');
    expect((await fetchError(`${server.url}/chunked-over`, o)).code).toBe('E_FETCH_TOO_LARGE');
  });

  it('refuses a chunked body (no Content-Length) that grows past maxBytes', async () => {
    let writes = 0;
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = (): void => {
        // An endless body: stops only when the client goes away.
        while (!res.destroyed && writes < 10_000) {
          writes += 1;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      pump();
    });
    const err = await fetchError(server.url, opts({ maxBytes: 256 * 1024 }));
    expect(err.code).toBe('E_FETCH_TOO_LARGE');
    expect(writes).toBeLessThan(10_000);
  });

  it('stops a gzip bomb at maxBytes of decoded output', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0)); // 64 MiB of zeros, ~64 KiB compressed
    expect(bomb.length).toBeLessThan(200 * 1024);
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip', 'content-length': bomb.length });
      res.end(bomb);
    });
    const err = await fetchError(server.url, opts({ maxBytes: 1024 * 1024 }));
    expect(err.code).toBe('E_FETCH_TOO_LARGE');
    expect(err.message).toContain('decoded');
  });

  it('decodes gzip, zlib deflate, raw deflate and brotli bodies', async () => {
    const text = '<p>Breaking: café</p>'.repeat(50);
    const bodies: Record<string, Buffer> = {
      gzip: gzipSync(text),
      deflate: deflateSync(text),
      'deflate-raw': deflateRawSync(text),
      br: brotliCompressSync(text),
    };
    const server = await serve((req, res) => {
      const name = req.url!.slice(1);
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-encoding': name === 'deflate-raw' ? 'deflate' : name,
      });
      res.end(bodies[name]);
    });
    for (const name of Object.keys(bodies)) {
      const result = await fetchDocument(`${server.url}/${name}`, opts());
      expect(result.text, name).toBe(text);
      expect(result.bytes.length, name).toBe(Buffer.byteLength(text));
    }
  });

  it('refuses a truncated gzip body instead of returning a shorter article', async () => {
    const full = gzipSync('<p>' + 'paragraph '.repeat(5_000) + '</p>');
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' });
      res.end(full.subarray(0, Math.floor(full.length / 2)));
    });
    const err = await fetchError(server.url, opts());
    expect(err.code).toBe('E_FETCH');
  });

  it('refuses a body cut short of its Content-Length', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '1000' });
      res.write('only a little');
      setTimeout(() => res.destroy(), 20);
    });
    const err = await fetchError(server.url, opts());
    expect(err.code).toBe('E_FETCH');
  });

  it("aborts with the caller's signal", async () => {
    const server = await serve(() => {
      /* never answers */
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('shutting down')), 50);
    const err = await fetchError(server.url, opts({ signal: controller.signal }));
    expect(err.code).toBe('E_FETCH');
    expect(err.message).toContain('aborted');
  });
});

describe('fetchDocument: redirects', () => {
  it('follows relative redirects and reports the final URL', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/a') {
        res.writeHead(301, { location: '/b?x=1' });
        res.end();
      } else if (req.url === '/b?x=1') {
        res.writeHead(302, { location: 'c' });
        res.end();
      } else {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(`at ${req.url}`);
      }
    });
    const result = await fetchDocument(`${server.url}/a`, opts());
    expect(result.url).toBe(`${server.url}/c`);
    expect(result.text).toBe('at /c');
  });

  it('fails with E_FETCH_REDIRECTS after maxRedirects', async () => {
    const server = await serve((req, res) => {
      const n = Number(req.url!.slice(1));
      res.writeHead(302, { location: `/${n + 1}` });
      res.end();
    });
    const err = await fetchError(`${server.url}/0`, opts({ maxRedirects: 3 }));
    expect(err.code).toBe('E_FETCH_REDIRECTS');
    expect(err.message).toContain('maxRedirects (3)');
    expect(server.requests.length).toBe(4);
  });

  it('detects a redirect loop', async () => {
    const server = await serve((req, res) => {
      res.writeHead(307, { location: req.url === '/a' ? '/b' : '/a' });
      res.end();
    });
    const err = await fetchError(`${server.url}/a`, opts({ maxRedirects: 10 }));
    expect(err.code).toBe('E_FETCH_REDIRECTS');
    expect(err.message).toContain('loop');
    expect(server.requests.length).toBe(2);
  });

  it('detects a loop even when the fragments differ', async () => {
    let n = 0;
    const server = await serve((_req, res) => {
      n += 1;
      res.writeHead(302, { location: `/a#${n}` });
      res.end();
    });
    const err = await fetchError(`${server.url}/a`, opts({ maxRedirects: 10 }));
    expect(err.code).toBe('E_FETCH_REDIRECTS');
    expect(err.message).toContain('loop');
  });

  it('refuses a redirect to a non-http protocol', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(302, { location: 'file:///etc/passwd' });
      res.end();
    });
    const err = await fetchError(server.url, opts());
    expect(err.code).toBe('E_FETCH_PROTOCOL');
  });

  it('returns a 3xx without Location as a result', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(302);
      res.end('nowhere');
    });
    const result = await fetchDocument(server.url, opts());
    expect(result.status).toBe(302);
  });
});

describe('fetchDocument: protocols and options', () => {
  it.each(['file:///etc/passwd', 'ftp://example.com/x', 'data:text/plain,hi', 'javascript:alert(1)', 'not a url'])(
    'refuses %s with E_FETCH_PROTOCOL',
    async (url) => {
      const err = await fetchError(url, opts());
      expect(err.code).toBe('E_FETCH_PROTOCOL');
    },
  );

  it('validates options with a message naming the option, the range and the value', async () => {
    const err = await fetchError('http://127.0.0.1:1/', opts({ maxRedirects: -1 }));
    expect(err.code).toBe('E_CONFIG');
    expect(err.message).toBe('Expected `maxRedirects` to be an integer from 0 to 20, got `-1` (number)');
    expect((await fetchError('http://127.0.0.1:1/', opts({ timeoutMs: 0 }))).message).toContain('timeoutMs');
    expect((await fetchError('http://127.0.0.1:1/', opts({ userAgent: 'a\r\nb' }))).message).toContain('userAgent');
    expect((await fetchError('http://127.0.0.1:1/', opts({ allowedAddresses: ['nope'] }))).message).toContain(
      'allowedAddresses',
    );
  });

  it('has sane defaults', () => {
    const d = defaultFetchOptions();
    expect(d).toMatchObject({
      timeoutMs: 20_000,
      maxBytes: 5 * 1024 * 1024,
      maxRedirects: 5,
      allowPrivateNetwork: false,
    });
    expect(d.userAgent).toMatch(/^wirediff\/\d+\.\d+\.\d+ \(\+https:\/\/github\.com\/wirediff\/wirediff\)$/);
  });

  it('reports a refused connection as E_FETCH', async () => {
    const server = await serve((_req, res) => res.end());
    const url = server.url;
    await server.close();
    const err = await fetchError(url, opts());
    expect(err.code).toBe('E_FETCH');
  });
});
