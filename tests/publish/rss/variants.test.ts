/** Filtered variants in memory (variants.ts), built by a plain builder function that counts its builds. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_FILTER } from '../../../src/publish/change-filter.js';
import { createBuildQueue } from '../../../src/publish/rss/build-queue.js';
import type { FeedSpec } from '../../../src/publish/rss/feed-build.js';
import { createVariantCache, MAX_VARIANTS } from '../../../src/publish/rss/variants.js';

function spec(name: string, query = 'min=0.5'): FeedSpec {
  return {
    name,
    article: name === 'all' ? undefined : name,
    filter: DEFAULT_FILTER,
    query,
    limit: 10,
    title: undefined,
  };
}

/** A cache whose builds return `content[name?query]` (or the name), counting them; `fail` makes the next build throw. */
function setup() {
  const t = { now: Date.UTC(2026, 0, 1, 12, 0, 0) };
  const builds: string[] = [];
  const content = new Map<string, string>();
  const state = { fail: false };
  const cache = createVariantCache({
    queue: createBuildQueue(),
    now: () => t.now,
    build: (s) => {
      const key = `${s.name}?${s.query}`;
      builds.push(key);
      if (state.fail) {
        state.fail = false;
        return Promise.reject(new Error('disk on fire'));
      }
      return Promise.resolve(Buffer.from(content.get(key) ?? key));
    },
  });
  return { cache, builds, content, t, state };
}

describe('createVariantCache', () => {
  it('builds a variant on its first request and serves it until an event of its feed', async () => {
    const { cache, builds, content, t } = setup();
    const [a, b] = await Promise.all([cache.get(spec('all')), cache.get(spec('all'))]); // concurrent: one build
    expect(a).toBe(b);
    expect(await cache.get(spec('all'))).toBe(a);
    const s = await cache.get(spec('syria'));
    expect(builds).toEqual(['all?min=0.5', 'syria?min=0.5']);
    // An event of another article leaves syria's variant current, makes all's stale.
    cache.invalidate('other');
    t.now += 10_000;
    expect(await cache.get(spec('syria'))).toBe(s);
    const a2 = await cache.get(spec('all'));
    expect(builds).toHaveLength(3);
    expect(a2).toBe(a); // same bytes: the same file, ETag and Last-Modified
    // New bytes: a new ETag, and Last-Modified moves on.
    content.set('syria?min=0.5', 'changed');
    cache.invalidate('syria');
    const s2 = await cache.get(spec('syria'));
    expect(s2.body.toString()).toBe('changed');
    expect(s2.etag).not.toBe(s.etag);
    expect(s2.lastModifiedMs).toBe(t.now);
    expect(s2.lastModifiedMs).toBeGreaterThan(s.lastModifiedMs);
  });

  it('keeps at most MAX_VARIANTS, dropping the least recently used', async () => {
    const { cache, builds } = setup();
    await cache.get(spec('all', 'min=0'));
    for (let i = 1; i <= MAX_VARIANTS; i++) {
      await cache.get(spec('all', `min=${i}`));
      if (i === MAX_VARIANTS / 2) await cache.get(spec('all', 'min=0')); // used again: kept
    }
    builds.length = 0;
    await cache.get(spec('all', 'min=0'));
    expect(builds).toEqual([]);
    await cache.get(spec('all', 'min=1')); // the least recently used: dropped, built again
    expect(builds).toEqual(['all?min=1']);
  });

  it('a failed first build rejects its requests and is forgotten; a later request builds again', async () => {
    const { cache, builds, state } = setup();
    state.fail = true;
    await expect(cache.get(spec('all'))).rejects.toThrow('disk on fire');
    expect((await cache.get(spec('all'))).body.toString()).toBe('all?min=0.5');
    expect(builds).toEqual(['all?min=0.5', 'all?min=0.5']);
  });
});
