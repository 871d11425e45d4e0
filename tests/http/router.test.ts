/**
 * The one router, alone (in the spirit of hono's router tests): static routes, params, percent-decoding, methods,
 * wildcards, 404 against 405, trailing slashes and bad patterns.
 */
import { describe, expect, it } from 'vitest';
import { decodeSegment, Router, type RouteMatch } from '../../src/http/router.js';

function found<H>(m: RouteMatch<H>): { handler: H; params: Readonly<Record<string, string>> } {
  if (m.kind !== 'found') throw new Error(`expected a match, got ${JSON.stringify(m)}`);
  return { handler: m.handler, params: m.params };
}

describe('static routes', () => {
  const router = new Router<string>()
    .get('/', 'root')
    .get('/hello', 'get hello')
    .post('/hello', 'post hello')
    .get('/api/articles', 'list')
    .get('/api/articles/', 'list (slash)');

  it('matches the root and literal paths, whole segments only', () => {
    expect(found(router.match('GET', '/')).handler).toBe('root');
    expect(found(router.match('GET', '/hello')).handler).toBe('get hello');
    expect(found(router.match('POST', '/hello')).handler).toBe('post hello');
    expect(found(router.match('GET', '/api/articles')).handler).toBe('list');
    expect(found(router.match('GET', '/api/articles/')).handler).toBe('list (slash)');
    expect(router.match('GET', '/hell').kind).toBe('not-found');
    expect(router.match('GET', '/hello/').kind).toBe('not-found');
    expect(router.match('GET', '/hello/world').kind).toBe('not-found');
    expect(router.match('GET', '//hello').kind).toBe('not-found');
  });

  it('compares literals with the raw segment (case and encoding count)', () => {
    expect(router.match('GET', '/Hello').kind).toBe('not-found');
    expect(router.match('GET', '/%68ello').kind).toBe('not-found');
  });

  it('answers HEAD with the GET route', () => {
    expect(found(router.match('HEAD', '/hello')).handler).toBe('get hello');
  });
});

describe('params', () => {
  const router = new Router<string>()
    .get('/entry/:id', 'entry')
    .get('/entry/:id/comment/:comment', 'comment')
    .get('/entry/:id/versions/:n/meta', 'meta');

  it('captures one whole segment per param', () => {
    expect(found(router.match('GET', '/entry/123'))).toEqual({ handler: 'entry', params: { id: '123' } });
    expect(found(router.match('GET', '/entry/123/comment/456'))).toEqual({
      handler: 'comment',
      params: { id: '123', comment: '456' },
    });
    expect(found(router.match('GET', '/entry/a/versions/2/meta')).params).toEqual({ id: 'a', n: '2' });
  });

  it('never matches an empty segment', () => {
    expect(router.match('GET', '/entry/').kind).toBe('not-found');
    expect(router.match('GET', '/entry//comment/1').kind).toBe('not-found');
  });

  it('percent-decodes each param on its own: an encoded slash is part of the value, not a separator', () => {
    expect(found(router.match('GET', '/entry/caf%C3%A9')).params['id']).toBe('café');
    expect(found(router.match('GET', '/entry/..%2f..%2fetc%2fpasswd')).params['id']).toBe('../../etc/passwd');
    expect(found(router.match('GET', '/entry/a%2fcomment%2fb')).handler).toBe('entry');
    expect(found(router.match('GET', '/entry/%2e%2e')).params['id']).toBe('..');
    expect(found(router.match('GET', '/entry/a+b')).params['id']).toBe('a+b');
  });

  it('does not normalize dot segments: `..` is a value for the handler to refuse', () => {
    expect(found(router.match('GET', '/entry/..')).params['id']).toBe('..');
    expect(router.match('GET', '/entry/1/../2').kind).toBe('not-found');
  });

  it('answers malformed percent-encoding with the param it broke', () => {
    expect(router.match('GET', '/entry/%E0%A4%A')).toEqual({ kind: 'malformed', param: 'id', raw: '%E0%A4%A' });
    expect(router.match('GET', '/entry/1/comment/%zz')).toEqual({ kind: 'malformed', param: 'comment', raw: '%zz' });
  });
});

describe('methods: 404 against 405', () => {
  const router = new Router<string>()
    .get('/articles/:id/versions', 'list')
    .post('/articles/:id/versions', 'push')
    .on(['PUT', 'DELETE'], '/things/:id', 'write')
    .all('/live', 'any');

  it('answers 405 with every method the matching patterns take, 404 when no pattern matches', () => {
    expect(router.match('DELETE', '/articles/a/versions')).toEqual({
      kind: 'method-not-allowed',
      allow: ['GET', 'HEAD', 'POST'],
    });
    expect(router.match('GET', '/things/1')).toEqual({ kind: 'method-not-allowed', allow: ['PUT', 'DELETE'] });
    expect(router.match('DELETE', '/articles/a/nothing')).toEqual({ kind: 'not-found' });
    expect(router.match('GET', '/nowhere')).toEqual({ kind: 'not-found' });
  });

  it('takes any method on an `all` route', () => {
    for (const method of ['GET', 'POST', 'PATCH', 'OPTIONS'])
      expect(found(router.match(method, '/live')).handler).toBe('any');
  });

  it('checks the method before the param encoding', () => {
    expect(router.match('PATCH', '/articles/%zz/versions').kind).toBe('method-not-allowed');
  });
});

describe('wildcards and order', () => {
  const router = new Router<string>()
    .get('/api/articles/:id', 'article')
    .all('/api/*', 'api fallback')
    .get('/assets/:name', 'asset')
    .get('/*', 'page not found');

  it('lets `*` take the rest of the path, none included', () => {
    expect(found(router.match('GET', '/api')).handler).toBe('api fallback');
    expect(found(router.match('GET', '/api/')).handler).toBe('api fallback');
    expect(found(router.match('POST', '/api/nothing/at/all')).handler).toBe('api fallback');
    expect(found(router.match('GET', '/')).handler).toBe('page not found');
    expect(found(router.match('GET', '/x/y/z')).handler).toBe('page not found');
  });

  it('tries routes in the order they were added', () => {
    expect(found(router.match('GET', '/api/articles/a')).handler).toBe('article');
    expect(found(router.match('GET', '/assets/a.css')).handler).toBe('asset');
  });

  it('does not let a wildcard turn the 405 of a more precise pattern into a match', () => {
    expect(router.match('DELETE', '/api/articles/a')).toEqual({ kind: 'method-not-allowed', allow: ['GET', 'HEAD'] });
    expect(router.match('POST', '/assets/a.css')).toEqual({ kind: 'method-not-allowed', allow: ['GET', 'HEAD'] });
    expect(router.match('POST', '/elsewhere')).toEqual({ kind: 'method-not-allowed', allow: ['GET', 'HEAD'] });
  });
});

describe('trailing slashes', () => {
  it('are significant by default and ignored (one) with strict: false', () => {
    const strict = new Router<string>().get('/a/:id', 'a');
    const loose = new Router<string>({ strict: false }).get('/', 'root').get('/a/:id', 'a').get('/a/:id/v/:n', 'v');
    expect(strict.match('GET', '/a/x/').kind).toBe('not-found');
    expect(found(loose.match('GET', '/a/x/')).params).toEqual({ id: 'x' });
    expect(found(loose.match('GET', '/a/x/v/2/')).params).toEqual({ id: 'x', n: '2' });
    expect(found(loose.match('GET', '/')).handler).toBe('root');
    expect(loose.match('GET', '/a/x//').kind).toBe('not-found');
  });
});

describe('patterns', () => {
  it('refuses malformed patterns with a clear error', () => {
    const r = new Router<string>();
    expect(() => r.get('hello', 'x')).toThrow('Expected a route pattern starting with "/", got "hello"');
    expect(() => r.get('/a/*/b', 'x')).toThrow('Expected "*" only at the end of a pattern, got "/a/*/b"');
    expect(() => r.get('/a/:', 'x')).toThrow('Expected a param name after ":", got ":"');
    expect(() => r.on([], '/a', 'x')).toThrow('Expected at least one method for "/a", got none');
  });
});

describe('decodeSegment', () => {
  it('decodes percent-encoding, or says it cannot', () => {
    expect(decodeSegment('plain')).toBe('plain');
    expect(decodeSegment('%41%20b')).toBe('A b');
    expect(decodeSegment('%')).toBeUndefined();
    expect(decodeSegment('%E0%A4%A')).toBeUndefined();
  });
});
