/** What a feed is and how its bytes are built (feed-build.ts), from a real file event log and store. */
import { parseRssFeed } from 'feedsmith';
import { describe, expect, it } from 'vitest';
import type { NewChangeEvent } from '../../../src/core/model/event.js';
import { DEFAULT_FILTER, filterQuery, makeFilter, type ChangeFilter } from '../../../src/publish/change-filter.js';
import {
  createFeedBuilder,
  fileSpec,
  MIN_SCAN,
  variantSpec,
  type FeedBuilder,
} from '../../../src/publish/rss/feed-build.js';
import { openFileStore, type FileStore } from '../../../src/store/open.js';
import { fileStoreEach } from '../../support/stores.js';

const ctx = fileStoreEach('wirediff-feed-build-');

const limits = { maxItems: 2, maxArticleItems: 3 };

function newEvent(n: number, over: Partial<NewChangeEvent> = {}): NewChangeEvent {
  return {
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    article: 'story',
    version: n,
    title: `Story ${n}`,
    kind: 'update',
    summary: `change ${n}`,
    significance: 0.5,
    changes: null,
    ...over,
  };
}

async function builder(): Promise<{ fs: FileStore; build: FeedBuilder }> {
  const fs = (ctx.fs = await openFileStore({ dir: ctx.dir }));
  return {
    fs,
    build: createFeedBuilder({
      store: fs.store,
      log: fs.log,
      baseUrl: () => 'http://x.test',
      title: 'wirediff: latest changes',
      itemCacheMax: 1000,
    }),
  };
}

function guids(xml: Buffer): number[] {
  return (parseRssFeed(xml.toString('utf8')).items ?? []).map((i) => Number(i.guid!.value!.split(':').pop()));
}

describe('feed specs', () => {
  it('a named feed has its filter and title; all and an article the default filter and their own limits', () => {
    const figures = makeFilter(['figures'], undefined) as ChangeFilter;
    const named = new Map([['figs', { filter: figures }]]);
    expect(fileSpec('figs', named, limits)).toEqual({
      name: 'figs',
      article: undefined,
      filter: figures,
      query: '',
      limit: 2,
      title: 'wirediff: figs',
    });
    expect(fileSpec('all', named, limits)).toMatchObject({ article: undefined, filter: DEFAULT_FILTER, limit: 2 });
    expect(fileSpec('syria', named, limits)).toMatchObject({ article: 'syria', filter: DEFAULT_FILTER, limit: 3 });
    expect(variantSpec('syria', figures, 'kinds=figures', limits)).toMatchObject({ query: 'kinds=figures', limit: 3 });
  });
});

describe('createFeedBuilder', () => {
  it('the newest items its filter lets through, reading further back when the newest are left out', async () => {
    const { fs, build } = await builder();
    await fs.log.append(newEvent(1, { kind: 'figures', significance: 0.9 }));
    await fs.log.append(newEvent(2, { kind: 'figures', significance: 0.9 }));
    for (let i = 3; i <= 40; i++) await fs.log.append(newEvent(i));
    const figures = makeFilter(['figures'], undefined) as ChangeFilter;
    const xml = await build(variantSpec('all', figures, filterQuery(figures), limits));
    expect(guids(xml)).toEqual([2, 1]);
    const feed = parseRssFeed(xml.toString('utf8'));
    expect(feed.title).toBe('wirediff: latest changes (kinds=figures)');
    expect(feed.atom?.links?.[0]?.href).toBe('http://x.test/feeds/all.xml?kinds=figures');
    expect(guids(await build(fileSpec('all', new Map(), limits)))).toEqual([40, 39]);
  });

  it(`reads back at most SCAN_FACTOR × limit events (at least ${MIN_SCAN})`, async () => {
    const { fs, build } = await builder();
    await fs.log.append(newEvent(1, { kind: 'figures', significance: 0.9 }));
    // Appended together (one group commit) rather than one fsync each.
    await Promise.all(Array.from({ length: MIN_SCAN }, (_, i) => fs.log.append(newEvent(i + 2))));
    const figures = makeFilter(['figures'], undefined) as ChangeFilter;
    // The one figures event is MIN_SCAN + 1 events back: out of reach.
    expect(guids(await build(variantSpec('all', figures, filterQuery(figures), limits)))).toEqual([]);
  });

  it("an article's feed is titled by its newest headline and links to its page", async () => {
    const { fs, build } = await builder();
    for (let i = 1; i <= 4; i++) await fs.log.append(newEvent(i));
    await fs.log.append(newEvent(1, { article: 'other' }));
    const xml = await build(fileSpec('story', new Map(), limits));
    expect(guids(xml)).toEqual([4, 3, 2]);
    const feed = parseRssFeed(xml.toString('utf8'));
    expect(feed.title).toBe('wirediff: Story 4');
    expect(feed.link).toBe('http://x.test/articles/story');
    expect(feed.description).toBe('Every version of "Story 4", newest first.');
  });
});
