import { describe, expect, it } from 'vitest';
import { DEFAULT_FILTER } from '../../../src/publish/change-filter.js';
import { MAX_SUBSCRIBE_ARTICLES, parseClientMessage, serializeEvent } from '../../../src/publish/live/live-protocol.js';

describe('parseClientMessage', () => {
  it('accepts subscribe to all or to a list, with or without since, and ping', () => {
    expect(parseClientMessage('{"type":"subscribe","articles":"*"}')).toEqual({
      ok: true,
      message: { type: 'subscribe', articles: '*', filter: DEFAULT_FILTER },
    });
    expect(parseClientMessage('{"type":"subscribe","articles":["a","b","a"],"since":12}')).toEqual({
      ok: true,
      message: { type: 'subscribe', articles: ['a', 'b'], since: 12, filter: DEFAULT_FILTER },
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

  it('reads kinds and minSignificance into the same filter the feeds use', () => {
    expect(
      parseClientMessage('{"type":"subscribe","articles":"*","kinds":["correction","figures"],"minSignificance":0.3}'),
    ).toEqual({
      ok: true,
      message: { type: 'subscribe', articles: '*', filter: { kinds: ['correction', 'figures'], minSignificance: 0.3 } },
    });
    const all = parseClientMessage('{"type":"subscribe","articles":"*","kinds":"*"}');
    expect(all.ok && all.message.type === 'subscribe' && all.message.filter.kinds).toContain('timestamp-only');
  });

  it.each([
    ['{"type":"subscribe","articles":"*","kinds":["major"]}', /"kinds".*new-top.*received major/],
    ['{"type":"subscribe","articles":"*","kinds":[]}', /"kinds"/],
    ['{"type":"subscribe","articles":"*","kinds":"figures"}', /"kinds" must be "\*" or an array/],
    ['{"type":"subscribe","articles":"*","minSignificance":2}', /"minSignificance".*0 to 1.*received 2/],
    ['{"type":"subscribe","articles":"*","minSignificance":"0.3"}', /"minSignificance" must be a number/],
  ])('refuses the filter in %s, naming the field, what is allowed and what it got', (text, pattern) => {
    const r = parseClientMessage(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe('bad-message');
      expect(r.message).toMatch(pattern);
    }
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
