/**
 * Conditional requests and content negotiation, shared by the feeds and the viewer: `If-None-Match` with the weak
 * comparison (both forms of a tag), `If-Modified-Since`, and `Accept-Encoding` read by negotiator.
 */
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { acceptsGzip, gzipLevelFor } from '../../src/http/compression.js';
import { etagMatches, isNotModified } from '../../src/http/conditional.js';

function req(headers: Record<string, string>): IncomingMessage {
  return { headers } as unknown as IncomingMessage;
}

describe('etagMatches (weak comparison, RFC 9110 §8.8.3.2)', () => {
  it.each([
    ['"a"', '"a"', true],
    ['W/"a"', '"a"', true],
    ['"a"', 'W/"a"', true],
    ['W/"a"', 'W/"a"', true],
    ['"b", W/"a"', '"a"', true],
    [' "b" ,  "a" ', '"a"', true],
    ['*', '"a"', true],
    [' * ', 'W/"a"', true],
    ['"b"', '"a"', false],
    ['"A"', '"a"', false],
    ['a', '"a"', false],
    ['W/"b"', 'W/"a"', false],
    ['', '"a"', false],
  ])('If-None-Match %s against %s: %s', (header, etag, expected) => {
    expect(etagMatches(header, etag)).toBe(expected);
  });

  it('matches nothing without the header', () => {
    expect(etagMatches(undefined, '"a"')).toBe(false);
  });
});

describe('isNotModified', () => {
  const v = { etag: '"x1"', lastModifiedMs: Date.parse('2026-11-25T03:00:00Z') };

  it('lets If-None-Match win over If-Modified-Since', () => {
    const later = 'Wed, 25 Nov 2026 04:00:00 GMT';
    expect(isNotModified(req({ 'if-none-match': '"other"', 'if-modified-since': later }), v)).toBe(false);
    expect(isNotModified(req({ 'if-none-match': 'W/"x1"', 'if-modified-since': 'junk' }), v)).toBe(true);
  });

  it('reads If-Modified-Since when no If-None-Match came, and ignores it without a date to compare', () => {
    expect(isNotModified(req({ 'if-modified-since': 'Wed, 25 Nov 2026 03:00:00 GMT' }), v)).toBe(true);
    expect(isNotModified(req({ 'if-modified-since': 'Wed, 25 Nov 2026 02:59:59 GMT' }), v)).toBe(false);
    expect(isNotModified(req({ 'if-modified-since': 'not a date' }), v)).toBe(false);
    expect(isNotModified(req({ 'if-modified-since': 'Wed, 25 Nov 2026 03:00:00 GMT' }), { etag: '"x1"' })).toBe(false);
    expect(isNotModified(req({}), v)).toBe(false);
  });
});

describe('acceptsGzip (negotiator)', () => {
  it.each([
    ['gzip', true],
    ['gzip, deflate, br', true],
    ['GZIP', true],
    ['br;q=1, gzip;q=0.8', true],
    ['*', true],
    ['gzip;q=0', false],
    ['gzip;q=0.0', false],
    ['*;q=0', false],
    ['identity', false],
    ['deflate', false],
    ['x-gzip', false],
    ['gzip;q=0.5, identity', false],
    ['', false],
  ])('Accept-Encoding %j: %s', (header, expected) => {
    expect(acceptsGzip(req({ 'accept-encoding': header }))).toBe(expected);
  });

  it('sends the body as it is to a client that says nothing', () => {
    expect(acceptsGzip(req({}))).toBe(false);
  });

  it('uses a faster level past 1 MiB', () => {
    expect(gzipLevelFor(1024 * 1024)).toBe(6);
    expect(gzipLevelFor(1024 * 1024 + 1)).toBe(1);
  });
});
