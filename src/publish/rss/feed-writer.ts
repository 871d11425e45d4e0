/**
 * Keeps the RSS files under `feeds/` current: `all.xml` (the latest changes across all articles), one file per named
 * feed of the config (`<name>.xml`, the latest changes its filter lets through) and `<article>.xml` (the versions of
 * one article). On every event it rebuilds the affected feeds once, writes them (`feed-disk.ts`) and keeps the bytes,
 * a strong ETag and Last-Modified in memory (`feed-file.ts`), so serving a file never builds anything. Any static
 * server or CDN can serve the same files.
 *
 * Every feed goes through a filter (`change-filter.ts`): the files through the default one (quiet kinds left out) or
 * their named one. A reader may ask for another filter with query parameters: such a variant is built on request and
 * kept in memory (`variants.ts`). What a feed is and how its bytes are built is `feed-build.ts`.
 *
 * Builds run one at a time (`build-queue.ts`); events that arrive during a build are coalesced into the next one.
 */
import { WirediffError } from '../../core/errors.js';
import type { ChangeEvent } from '../../core/model/event.js';
import { isArticleId } from '../../core/model/version.js';
import type { EventLog, SnapshotStore } from '../../store/types.js';
import { filterQuery, type ChangeFilter } from '../change-filter.js';
import { checkInt, checkString } from '../options.js';
import { createBuildQueue } from './build-queue.js';
import { ALL_FEED, createFeedBuilder, fileSpec, variantSpec, type FeedLimits, type NamedFeed } from './feed-build.js';
import { prepareFeedDir, unchangedSince, writeFeedFile } from './feed-disk.js';
import { feedFile, nextModified, type FeedFile } from './feed-file.js';
import { createVariantCache } from './variants.js';

export { ALL_FEED, type NamedFeed } from './feed-build.js';
export type { FeedFile } from './feed-file.js';

/** What the server needs from the feed writer. */
export interface FeedSource {
  /** The feed file `<name>.xml` as written (default or named filter); undefined when there is none. */
  get(name: string): FeedFile | undefined;
  /** True when `name` is a named feed of the config (its filter is fixed there). */
  isNamed(name: string): boolean;
  /** `all` or an article's feed through `filter`, built when needed; undefined when there is no such feed. */
  filtered(name: string, filter: ChangeFilter): Promise<FeedFile | undefined>;
}

export interface FeedWriterOptions {
  readonly store: SnapshotStore;
  readonly log: EventLog;
  /** The folder the XML files go in (created when missing). */
  readonly dir: string;
  /** The public base URL of the server (links and `atom:link rel="self"`), e.g. `http://127.0.0.1:8080`. */
  readonly baseUrl: string | (() => string);
  /** The aggregate feed's title. Default "wirediff: latest changes". */
  readonly title?: string;
  /** Items in `all.xml` and the named feeds. Default 50. */
  readonly maxItems?: number;
  /** Items in an article's feed. Default 200. */
  readonly maxArticleItems?: number;
  /** Named feeds, by name (an article id that is not `all`; an article with that id gets no feed of its own). */
  readonly named?: Readonly<Record<string, NamedFeed>>;
  /** The clock (Last-Modified of a changed file). */
  readonly now?: () => number;
  /** Called when a build fails (the previous file stays in place and in memory). */
  readonly onError?: (err: unknown) => void;
}

export interface FeedWriter extends FeedSource {
  /** Builds every feed from the log and follows it. Idempotent. */
  start(): Promise<void>;
  /** Resolves once every event seen so far is written. */
  idle(): Promise<void>;
  /** Idempotent: stops following the log and waits for the build in progress. */
  close(): Promise<void>;
}

function checkNamed(named: Readonly<Record<string, NamedFeed>> | undefined): Map<string, NamedFeed> {
  const out = new Map<string, NamedFeed>();
  for (const [name, feed] of Object.entries(named ?? {})) {
    if (name === ALL_FEED || !isArticleId(name)) {
      throw new WirediffError(
        'E_CONFIG',
        `Expected the name of a named feed to be lower-case letters, digits, "-", "_" or "." and not "all", got ${JSON.stringify(name)}`,
      );
    }
    out.set(name, feed);
  }
  return out;
}

export function createFeedWriter(options: FeedWriterOptions): FeedWriter {
  const { store, log } = options;
  const dir = checkString('dir', options.dir);
  const limits: FeedLimits = {
    maxItems: checkInt('maxItems', options.maxItems, 50, 1, 10_000),
    maxArticleItems: checkInt('maxArticleItems', options.maxArticleItems, 200, 1, 100_000),
  };
  const named = checkNamed(options.named);
  const now = options.now ?? Date.now;
  const build = createFeedBuilder({
    store,
    log,
    baseUrl: () => {
      const b = typeof options.baseUrl === 'function' ? options.baseUrl() : options.baseUrl;
      return b.replace(/\/+$/, '');
    },
    title: options.title ?? 'wirediff: latest changes',
    itemCacheMax: Math.max(1000, limits.maxItems * (named.size + 1) + limits.maxArticleItems * 4),
  });
  const queue = createBuildQueue();
  const variants = createVariantCache({ build, queue, now });

  const files = new Map<string, FeedFile>();
  const dirty = new Set<string>();
  let scheduled = false;
  let started: Promise<void> | undefined;
  let unsubscribe: (() => void) | undefined;
  let closed = false;

  /** Rebuilds the file `<name>.xml`; writes it only when its bytes changed (or, after a restart, differ on disk). */
  const buildFile = async (name: string): Promise<void> => {
    const body = await build(fileSpec(name, named, limits));
    const previous = files.get(name);
    if (previous !== undefined && previous.body.equals(body)) return;
    let lastModifiedMs = previous === undefined ? await unchangedSince(dir, name, body) : undefined;
    if (lastModifiedMs === undefined) {
      lastModifiedMs = nextModified(now(), previous);
      await writeFeedFile(dir, name, body, lastModifiedMs);
    }
    files.set(name, feedFile(name, body, lastModifiedMs));
  };

  const runDirty = async (): Promise<void> => {
    scheduled = false;
    const names = [...dirty];
    dirty.clear();
    for (const name of names) {
      try {
        await buildFile(name);
      } catch (err) {
        options.onError?.(new WirediffError('E_IO', `could not build the feed ${name}.xml`, { cause: err }));
      }
    }
  };

  const markDirty = (name: string): void => {
    if (name !== ALL_FEED && !isArticleId(name)) return;
    dirty.add(name);
    if (!scheduled) {
      scheduled = true;
      void queue.run(runDirty);
    }
  };

  const onEvent = (e: ChangeEvent): void => {
    if (closed) return;
    markDirty(ALL_FEED);
    for (const name of named.keys()) markDirty(name);
    if (e.article !== ALL_FEED && !named.has(e.article)) markDirty(e.article);
    variants.invalidate(e.article);
  };

  return {
    get(name) {
      return files.get(name);
    },
    isNamed(name) {
      return named.has(name);
    },
    async filtered(name, filter) {
      if (named.has(name) || (name !== ALL_FEED && !files.has(name))) return undefined;
      const query = filterQuery(filter);
      if (query === '') return files.get(name);
      return variants.get(variantSpec(name, filter, query, limits));
    },
    start() {
      started ??= (async () => {
        if (closed) throw new WirediffError('E_CLOSED', 'the feed writer is closed');
        await prepareFeedDir(dir);
        unsubscribe = log.subscribe(onEvent);
        markDirty(ALL_FEED);
        for (const name of named.keys()) markDirty(name);
        for (const a of await store.listArticles()) {
          if (a.id !== ALL_FEED && !named.has(a.id)) markDirty(a.id);
        }
        await queue.settled();
      })();
      return started;
    },
    idle() {
      return queue.idle();
    },
    async close() {
      if (!closed) {
        closed = true;
        unsubscribe?.();
      }
      await queue.settled();
    },
  };
}
