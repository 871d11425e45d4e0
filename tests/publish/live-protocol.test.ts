import { describe, expect, it } from 'vitest';
import { MAX_SUBSCRIBE_ARTICLES, parseClientMessage, serializeEvent } from '../../src/publish/live-protocol.js';

describe('parseClientMessage', () => {
  it('accepts subscribe to all or to a list, with or without since, and ping', () => {
    expect(parseClientMessage('{"type":"subscribe","articles":"*"}')).toEqual({
      ok: true,
      message: { type: 'subscribe', articles: '*' },
    });
    expect(parseClientMessage('{"type":"subscribe","articles":["a","b","a"],"since":12}')).toEqual({
      ok: true,
      message: { type: 'subscribe', articles: ['a', 'b'], since: 12 },
    });
    expect(parseClientMessage('{"type":"ping"}')).toEqual({ ok: true, message: { type: 'ping' } });
  });

  it.each([
    ['not json', 'bad-json'],
    ['[]', 'bad-message'],
    ['null', 'bad-message'],
    ['"subscribe"', 'bad-message'],
    ['{"type":"unsubscribe"}', 'unknown-type'],
    ['{"type":"subscribe"}', 'bad-message'],
    ['{"type":"subscribe","articles":[]}', 'bad-message'],
    ['{"type":"subscribe","articles":"all"}', 'bad-message'],
    ['{"type":"subscribe","articles":["../x"]}', 'bad-message'],
    ['{"type":"subscribe","articles":["a/b"]}', 'bad-message'],
    ['{"type":"subscribe","articles":[1]}', 'bad-message'],
    ['{"type":"subscribe","articles":"*","since":-1}', 'bad-message'],
    ['{"type":"subscribe","articles":"*","since":1.5}', 'bad-message'],
    ['{"type":"subscribe","articles":"*","since":"3"}', 'bad-message'],
    ['{"type":"subscribe","articles":"*","extra":true}', 'bad-message'],
    ['{"type":"subscribe","articles":"*","__proto__":{"x":1}}', 'bad-message'],
  ])('refuses %s with %s', (text, code) => {
    const r = parseClientMessage(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe(code);
  });

  it('limits the number of ids', () => {
    const ids = Array.from({ length: MAX_SUBSCRIBE_ARTICLES + 1 }, (_, i) => `a${i}`);
    expect(parseClientMessage(JSON.stringify({ type: 'subscribe', articles: ids })).ok).toBe(false);
    expect(parseClientMessage(JSON.stringify({ type: 'subscribe', articles: ids.slice(1) })).ok).toBe(true);
  });
});

describe('serializeEvent', () => {
  it('is the event with type "event" first', () => {
    const text = serializeEvent({
      schema: 'wirediff.event/1',
      id: 3,
      at: '2026-11-25T03:00:00.000Z',
      article: 'a',
      version: 2,
      title: 't',
      kind: 'update',
      summary: 's',
      significance: 0.5,
      changes: null,
    });
    expect(text.startsWith('{"type":"event","schema":"wirediff.event/1","id":3,')).toBe(true);
    expect(JSON.parse(text)).toMatchObject({ type: 'event', id: 3, article: 'a', version: 2, changes: null });
  });
});
