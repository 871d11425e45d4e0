import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import { charsetFromContentType, decodeBody, defaultFetchOptions, fetchDocument } from '../../src/sources/index.js';
import { startServer, type TestServer } from './test-server.js';

// "Café – “quoted” naïve €5" in windows-1252: é=E9, –=96, “=93, ”=94, ï=EF, €=80.
const TEXT = 'Café – “quoted” naïve €5';
const cp1252 = (s: string): Uint8Array => new Uint8Array(iconv.encode(s, 'windows-1252'));
const utf8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));
const concat = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));

describe('charsetFromContentType', () => {
  it('reads quoted and unquoted charset parameters', () => {
    expect(charsetFromContentType('text/html; charset=ISO-8859-1')).toBe('ISO-8859-1');
    expect(charsetFromContentType('text/html;charset="windows-1252"; foo=bar')).toBe('windows-1252');
    expect(charsetFromContentType('text/html')).toBeUndefined();
    expect(charsetFromContentType(undefined)).toBeUndefined();
  });
});

describe('decodeBody', () => {
  it('uses the Content-Type charset (windows-1252)', () => {
    const out = decodeBody(cp1252(`<p>${TEXT}</p>`), 'text/html; charset=windows-1252');
    expect(out.text).toBe(`<p>${TEXT}</p>`);
    expect(out.charset).toBe('windows-1252');
    expect(out.note).toBeUndefined();
  });

  it('treats iso-8859-1 in the header as windows-1252, as browsers do (curly quotes and € survive)', () => {
    const out = decodeBody(cp1252(TEXT), 'text/plain; charset=iso-8859-1');
    expect(out.text).toBe(TEXT);
    expect(out.charset).toBe('windows-1252');
  });

  it('uses <meta charset> when the header has none', () => {
    const html = `<html><head><meta charset="windows-1252"><title>t</title></head><body>${TEXT}</body></html>`;
    const out = decodeBody(cp1252(html), 'text/html');
    expect(out.text).toBe(html);
    expect(out.charset).toBe('windows-1252');
  });

  it('uses <meta http-equiv="Content-Type" content="…charset=…">', () => {
    const html = `<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-15"><p>${'Price: €5'}</p>`;
    const out = decodeBody(new Uint8Array(iconv.encode(html, 'iso-8859-15')), undefined);
    expect(out.text).toBe(html);
    expect(out.charset).toBe('iso-8859-15');
  });

  it('decodes Shift_JIS from a meta tag', () => {
    const html = '<meta charset="shift_jis"><p>速報：シリア</p>';
    const out = decodeBody(new Uint8Array(iconv.encode(html, 'shift_jis')), 'text/html');
    expect(out.text).toBe(html);
    expect(out.charset).toBe('shift_jis');
  });

  it('lets a BOM win over the header and the meta tag, and strips it', () => {
    const body = concat(new Uint8Array([0xef, 0xbb, 0xbf]), utf8(`<meta charset="windows-1252">${TEXT}`));
    const out = decodeBody(body, 'text/html; charset=windows-1252');
    expect(out.text).toBe(`<meta charset="windows-1252">${TEXT}`);
    expect(out.charset).toBe('utf-8');
  });

  it('decodes a UTF-16LE body with a BOM', () => {
    const body = concat(new Uint8Array([0xff, 0xfe]), new Uint8Array(Buffer.from(TEXT, 'utf16le')));
    const out = decodeBody(body, 'text/plain');
    expect(out.text).toBe(TEXT);
    expect(out.charset).toBe('utf-16le');
  });

  it('lets a non-UTF-8 header charset win over a contradicting meta tag (as browsers do)', () => {
    const html = `<meta charset="utf-8"><p>${TEXT}</p>`;
    const out = decodeBody(cp1252(html), 'text/html; charset=windows-1252');
    expect(out.text).toBe(html);
    expect(out.charset).toBe('windows-1252');
  });

  it('overrules a header that says UTF-8 over bytes that are not UTF-8: the meta tag wins, with a note', () => {
    const html = `<meta charset="iso-8859-2"><p>Łódź</p>`;
    const out = decodeBody(new Uint8Array(iconv.encode(html, 'iso-8859-2')), 'text/html; charset=utf-8');
    expect(out.text).toBe(html);
    expect(out.charset).toBe('iso-8859-2');
    expect(out.note).toContain('not valid UTF-8');
  });

  it('overrules a wrong UTF-8 header with windows-1252 when there is no meta tag', () => {
    const out = decodeBody(cp1252(TEXT), 'text/plain; charset=utf-8');
    expect(out.text).toBe(TEXT);
    expect(out.charset).toBe('windows-1252');
    expect(out.note).toContain('not valid UTF-8');
  });

  it('overrules a single-byte header charset over a valid multi-byte UTF-8 body, with a note', () => {
    const out = decodeBody(utf8(`<p>${TEXT}</p>`), 'text/html; charset=iso-8859-1');
    expect(out.text).toBe(`<p>${TEXT}</p>`);
    expect(out.charset).toBe('utf-8');
    expect(out.note).toContain('valid UTF-8');
  });

  it('keeps the single-byte header charset when the document itself also declares it', () => {
    // Genuine windows-1252 text that happens to be valid UTF-8 ("Ã©" pairs), declared twice: trust the labels.
    const html = '<meta charset="windows-1252"><p>Ã©tÃ©</p>';
    const out = decodeBody(cp1252(html), 'text/html; charset=windows-1252');
    expect(out.text).toBe(html);
    expect(out.charset).toBe('windows-1252');
    expect(out.note).toBeUndefined();
  });

  it('overrules a single-byte <meta charset> over a valid multi-byte UTF-8 body when the header has no charset', () => {
    const html = `<meta charset="iso-8859-1"><p>${TEXT}</p>`;
    const out = decodeBody(utf8(html), 'text/html');
    expect(out.text).toBe(html);
    expect(out.text).not.toContain('CafÃ©');
    expect(out.charset).toBe('utf-8');
    expect(out.note).toContain('valid UTF-8');
    // The same for an XML declaration, and with no Content-Type at all.
    const xml = `<?xml version="1.0" encoding="ISO-8859-1"?><rss><channel><title>${TEXT}</title></channel></rss>`;
    expect(decodeBody(utf8(xml)).text).toBe(xml);
  });

  it('keeps a single-byte <meta charset> over bytes that are not UTF-8', () => {
    const html = `<meta charset="iso-8859-1"><p>${TEXT}</p>`;
    expect(decodeBody(cp1252(html), 'text/html')).toEqual({ text: html, charset: 'windows-1252' });
  });

  it('keeps a single-byte header charset over pure ASCII (nothing to decide)', () => {
    expect(decodeBody(utf8('plain ascii'), 'text/plain; charset=iso-8859-1')).toEqual({
      text: 'plain ascii',
      charset: 'windows-1252',
    });
  });

  it('defaults to UTF-8 for valid UTF-8 without any label, and to windows-1252 otherwise', () => {
    expect(decodeBody(utf8(TEXT), 'text/plain')).toEqual({ text: TEXT, charset: 'utf-8' });
    expect(decodeBody(cp1252(TEXT), 'text/plain')).toEqual({ text: TEXT, charset: 'windows-1252' });
    expect(decodeBody(new Uint8Array(0))).toEqual({ text: '', charset: 'utf-8' });
  });

  it('ignores an unknown header label with a note, never throwing', () => {
    const out = decodeBody(utf8(TEXT), 'text/html; charset=klingon-8');
    expect(out.text).toBe(TEXT);
    expect(out.charset).toBe('utf-8');
    expect(out.note).toContain('klingon-8');
  });

  it('ignores an unknown meta label and falls back', () => {
    const html = `<meta charset="nonsense"><p>${TEXT}</p>`;
    const out = decodeBody(utf8(html), 'text/html');
    expect(out.text).toBe(html);
    expect(out.charset).toBe('utf-8');
  });

  it('reads the encoding of an XML declaration (feeds)', () => {
    const xml = `<?xml version="1.0" encoding="ISO-8859-1"?><rss><channel><title>${TEXT}</title></channel></rss>`;
    const out = decodeBody(cp1252(xml), 'application/rss+xml');
    expect(out.text).toBe(xml);
    expect(out.charset).toBe('windows-1252');
  });
});

describe('charset over HTTP', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
  });

  it('decodes a windows-1252 page whose header charset is wrong (says utf-8)', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(Buffer.from(cp1252(`<meta charset="windows-1252"><p>${TEXT}</p>`)));
    });
    const result = await fetchDocument(server.url, { ...defaultFetchOptions(), allowPrivateNetwork: true });
    expect(result.charset).toBe('windows-1252');
    expect(result.text).toBe(`<meta charset="windows-1252"><p>${TEXT}</p>`);
  });
});
