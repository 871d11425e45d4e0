import { describe, expect, it } from 'vitest';
import { feedFile, nextModified, strongEtag } from '../../../src/publish/rss/feed-file.js';

describe('feed files in memory', () => {
  it('a strong ETag is a quoted hash of the bytes: same bytes, same tag', () => {
    const a = strongEtag(Buffer.from('<rss/>'));
    expect(a).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    expect(strongEtag(Buffer.from('<rss/>'))).toBe(a);
    expect(strongEtag(Buffer.from('<rss />'))).not.toBe(a);
  });

  it('Last-Modified is now in whole seconds, and always after the previous one', () => {
    const t = Date.UTC(2026, 0, 1, 12, 0, 0);
    expect(nextModified(t + 999, undefined)).toBe(t);
    const previous = feedFile('all', Buffer.from('a'), t);
    expect(nextModified(t + 500, previous)).toBe(t + 1000); // same second: one later
    expect(nextModified(t - 60_000, previous)).toBe(t + 1000); // a clock that went back
    expect(nextModified(t + 5_000, previous)).toBe(t + 5_000);
  });

  it('feedFile carries the bytes, their ETag and the HTTP date', () => {
    const t = Date.UTC(2026, 0, 1, 12, 0, 0);
    const f = feedFile('syria', Buffer.from('x'), t);
    expect(f).toEqual({
      name: 'syria',
      body: Buffer.from('x'),
      etag: strongEtag(Buffer.from('x')),
      lastModified: 'Thu, 01 Jan 2026 12:00:00 GMT',
      lastModifiedMs: t,
    });
  });
});
