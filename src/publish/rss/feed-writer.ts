/**
 * Keeps the RSS files under `feeds/` current: `all.xml` (the latest changes across all articles), one file per named
 * feed of the config (`<name>.xml`, the latest changes its filter lets through) and `<article>.xml` (the versions of
 * one article). On every event it rebuilds the affected feeds once, writes them atomically (temp file + fsync + rename
 * + directory fsync) and keeps the bytes, a strong ETag and Last-Modified in memory, so serving a file never builds
 * anything. Any static server or CDN can serve the same files.
 *
 * Every feed goes through a filter (`change-filter.ts`): the files through the default one (quiet kinds left out) or
 * their named one. A reader may ask for another filter with query parameters (`all.xml?kinds=figures&min=0.3`): such
 * a variant is built on its first request, kept in memory (at most `MAX_VARIANTS`, least recently used dropped) with
 * its own strong ETag and Last-Modified, and rebuilt on the first request after an event that may change it.
 *
 * Builds run one at a time; events that arrive during a build are coalesced into the next one. A build reads the
 * newest `limit` events and, when its filter leaves out some of them, reads further back, at most `SCAN_FACTOR`
 * times `limit` events (at least `MIN_SCAN`).
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { WirediffError } from '../../core/errors.js';
import type { ChangeEvent } from '../../core/model/event.js';
import { isArticleId, type ArticleId } from '../../core/model/version.js';
import type { EventLog, SnapshotStore } from '../../store/types.js';
import { DEFAULT_FILTER, filterQuery, matchesFilter, type ChangeFilter } from '../change-filter.js';
import { checkInt, checkString } from '../options.js';
import { renderRssFeed, type FeedItemText } from './rss-feed.js';
import { describeFeedItem } from './feed-item.js';

/** The aggregate feed's name; an article with this id gets no feed of its own. */
export const ALL_FEED = 'all';

/** Filtered variants kept in memory, at most. */
export const MAX_VARIANTS = 128;
/** A filtered build reads at most this many times its item count of events… */
export const SCAN_FACTOR = 20;
/** …and at least this many. */
export const MIN_SCAN = 1000;

export interface FeedFile {
  /** `all`, a named feed or an article id; the file is `<name>.xml`. */
  readonly name: string;
  readonly body: Buffer;
  /** A strong ETag (quoted hash of the bytes). */
  readonly etag: string;
  /** HTTP date. */
  readonly lastModified: string;
  /** Milliseconds, whole seconds. */
  readonly lastModifiedMs: number;
}

/** What the server needs from the feed writer. */
export interface FeedSource {
  /** The feed file `<name>.xml` as written (default or named filter); undefined when there is none. */
  get(name: string): FeedFile | undefined;
  /** True when `name` is a named feed of the config (its filter is fixed there). */
  isNamed(name: string): boolean;
  /** `all` or an article's feed through `filter`, built when needed; undefined when there is no such feed. */
  filtered(name: string, filter: ChangeFilter): Promise<FeedFile | undefined>;
}

/** A feed of the config: its own filter over all articles, written as `<name>.xml`. */
export interface NamedFeed {
  readonly filter: ChangeFilter;
  /** The channel title; default "wirediff: <name>". */
  readonly title?: string | undefined;
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

function feedPath(dir: string, name: string): string {
  return path.join(dir, `${name}.xml`);
}

/** The temp files `writeAtomic` writes before renaming them into place. */
const TEMP_FEED = /^\..+\.xml\.\d+\.[0-9a-f]{12}\.tmp$/;

/** Writes `<name>.xml` atomically and durably, with its mtime set to the Last-Modified it is served with. */
async function writeAtomic(dir: string, name: string, body: Buffer, mtimeMs: number): Promise<void> {
  const target = feedPath(dir, name);
  const tmp = path.join(dir, `.${name}.xml.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fh = await fs.open(tmp, 'w', 0o644);
    try {
      await fh.writeFile(body);
      await fh.utimes(mtimeMs / 1000, mtimeMs / 1000);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, target);
  } catch (err) {
    // A failed write (a full disk) leaves no temp file behind.
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
  const d = await fs.open(dir, 'r');
  try {
    await d.sync();
  } catch {
    // Some filesystems refuse fsync on a directory; the rename is still atomic.
  } finally {
    await d.close();
  }
}

function strongEtag(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

/** The next Last-Modified of a feed whose bytes changed: now, in whole seconds, and always after the previous one. */
function nextModified(nowMs: number, previous: FeedFile | undefined): number {
  const t = Math.floor(nowMs / 1000) * 1000;
  return previous !== undefined && t <= previous.lastModifiedMs ? previous.lastModifiedMs + 1000 : t;
}

function feedFile(name: string, body: Buffer, lastModifiedMs: number): FeedFile {
  return { name, body, etag: strongEtag(body), lastModified: new Date(lastModifiedMs).toUTCString(), lastModifiedMs };
}

/** What one feed is: which events (`article`, `filter`), how many, and its words and self link. */
interface FeedSpec {
  readonly name: string;
  readonly article: ArticleId | undefined;
  readonly filter: ChangeFilter;
  /** The canonical query of a variant ('' for a file). */
  readonly query: string;
  readonly limit: number;
  readonly title: string | undefined;
}

/** A filtered variant in memory: the last build, and the generation it was built at (stale when behind `gen`). */
interface Variant {
  file: FeedFile | undefined;
  builtGen: number;
  gen: number;
  pending: Promise<FeedFile> | undefined;
  pendingGen: number;
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
  const maxItems = checkInt('maxItems', options.maxItems, 50, 1, 10_000);
  const maxArticleItems = checkInt('maxArticleItems', options.maxArticleItems, 200, 1, 100_000);
  const named = checkNamed(options.named);
  const title = options.title ?? 'wirediff: latest changes';
  const now = options.now ?? Date.now;
  const baseUrl = (): string => {
    const b = typeof options.baseUrl === 'function' ? options.baseUrl() : options.baseUrl;
    return b.replace(/\/+$/, '');
  };

  const files = new Map<string, FeedFile>();
  const variants = new Map<string, Variant>();
  /** Item texts by event id (events never change; the id is unique), with the base URL their links were made with. */
  const itemCache = new Map<number, { base: string; text: FeedItemText }>();
  const itemCacheMax = Math.max(1000, maxItems * (named.size + 1) + maxArticleItems * 4);
  const dirty = new Set<string>();
  let chain: Promise<void> = Promise.resolve();
  let scheduled = false;
  let started: Promise<void> | undefined;
  let unsubscribe: (() => void) | undefined;
  let closed = false;

  const describe = async (events: readonly ChangeEvent[], base: string): Promise<Map<number, FeedItemText>> => {
    const out = new Map<number, FeedItemText>();
    for (const e of events) {
      let text = itemCache.get(e.id);
      if (text === undefined || text.base !== base) {
        const stored = await store.getVersion(e.article, e.version);
        const previous =
          e.version > 1 && e.changes !== null ? await store.getVersion(e.article, e.version - 1) : undefined;
        text = { base, text: describeFeedItem(e, stored?.article, base, previous?.article) };
        itemCache.set(e.id, text);
        if (itemCache.size > itemCacheMax) {
          const oldest = itemCache.keys().next();
          if (!oldest.done) itemCache.delete(oldest.value);
        }
      }
      out.set(e.id, text.text);
    }
    return out;
  };

  /** The newest `limit` events of the spec's article (or all) that its filter lets through, oldest first. */
  const latestMatching = async (spec: FeedSpec): Promise<ChangeEvent[]> => {
    const scan = Math.max(MIN_SCAN, spec.limit * SCAN_FACTOR);
    for (let k = spec.limit; ; k = Math.min(scan, k * 4)) {
      const events = await log.readLatest(k, spec.article);
      const matched = events.filter((e) => matchesFilter(e, spec.filter));
      if (matched.length >= spec.limit || events.length < k || k >= scan) return matched.slice(-spec.limit);
    }
  };

  const render = async (spec: FeedSpec): Promise<Buffer> => {
    const events = await latestMatching(spec);
    const base = baseUrl();
    const texts = await describe(events, base);
    const { article } = spec;
    const articleTitle = article === undefined ? '' : (events[events.length - 1]?.title ?? '') || article;
    const self = `${base}/feeds/${spec.name}.xml${spec.query === '' ? '' : `?${spec.query}`}`;
    const plainTitle = article === undefined ? title : `wirediff: ${articleTitle}`;
    const xml = renderRssFeed(events, {
      title: spec.title ?? (spec.query === '' ? plainTitle : `${plainTitle} (${spec.query.replace(/&/g, ', ')})`),
      description:
        article === undefined
          ? 'Every change to the watched articles, newest first.'
          : `Every version of "${articleTitle}", newest first.`,
      siteUrl: article === undefined ? `${base}/` : `${base}/articles/${article}`,
      selfUrl: self,
      describe: (e) => texts.get(e.id) ?? { headline: e.summary, summary: e.summary },
      maxItems: spec.limit,
    });
    return Buffer.from(xml, 'utf8');
  };

  const fileSpec = (name: string): FeedSpec => {
    const feed = named.get(name);
    if (feed !== undefined) {
      return {
        name,
        article: undefined,
        filter: feed.filter,
        query: '',
        limit: maxItems,
        title: feed.title ?? `wirediff: ${name}`,
      };
    }
    const article = name === ALL_FEED ? undefined : name;
    return {
      name,
      article,
      filter: DEFAULT_FILTER,
      query: '',
      limit: article === undefined ? maxItems : maxArticleItems,
      title: undefined,
    };
  };

  const build = async (name: string): Promise<void> => {
    const body = await render(fileSpec(name));
    const previous = files.get(name);
    if (previous !== undefined && previous.body.equals(body)) return;
    let lastModifiedMs: number | undefined;
    if (previous === undefined) {
      // After a restart: an identical file on disk keeps its Last-Modified (and the ETag is the same).
      try {
        const onDisk = await fs.readFile(feedPath(dir, name));
        if (onDisk.equals(body))
          lastModifiedMs = Math.floor((await fs.stat(feedPath(dir, name))).mtimeMs / 1000) * 1000;
      } catch {
        // No file yet.
      }
    }
    if (lastModifiedMs === undefined) {
      lastModifiedMs = nextModified(now(), previous);
      await writeAtomic(dir, name, body, lastModifiedMs);
    }
    files.set(name, feedFile(name, body, lastModifiedMs));
  };

  const runDirty = async (): Promise<void> => {
    scheduled = false;
    const names = [...dirty];
    dirty.clear();
    for (const name of names) {
      try {
        await build(name);
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
      chain = chain.then(runDirty);
    }
  };

  const onEvent = (e: ChangeEvent): void => {
    if (closed) return;
    markDirty(ALL_FEED);
    for (const name of named.keys()) markDirty(name);
    if (e.article !== ALL_FEED && !named.has(e.article)) markDirty(e.article);
    for (const [key, v] of variants) {
      if (key.startsWith(`${ALL_FEED}?`) || key.startsWith(`${e.article}?`)) v.gen++;
    }
  };

  const buildVariant = (key: string, v: Variant, spec: FeedSpec): Promise<FeedFile> => {
    const gen = v.gen;
    const run = async (): Promise<FeedFile> => {
      const body = await render(spec);
      const previous = v.file;
      const file =
        previous !== undefined && previous.body.equals(body)
          ? previous
          : feedFile(spec.name, body, nextModified(now(), previous));
      v.file = file;
      v.builtGen = gen;
      return file;
    };
    // One build at a time, after the file builds already asked for.
    const p = chain.then(run);
    chain = p.then(
      () => undefined,
      () => undefined,
    );
    v.pending = p;
    v.pendingGen = gen;
    void p.then(
      () => {
        if (v.pending === p) v.pending = undefined;
      },
      () => {
        if (v.pending === p) v.pending = undefined;
        if (v.file === undefined && variants.get(key) === v) variants.delete(key);
      },
    );
    return p;
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
      const key = `${name}?${query}`;
      let v = variants.get(key);
      if (v !== undefined) {
        variants.delete(key); // most recently used goes last
        variants.set(key, v);
      } else {
        v = { file: undefined, builtGen: -1, gen: 0, pending: undefined, pendingGen: -1 };
        variants.set(key, v);
        for (const old of variants.keys()) {
          if (variants.size <= MAX_VARIANTS) break;
          if (old !== key) variants.delete(old);
        }
      }
      if (v.file !== undefined && v.builtGen === v.gen) return v.file;
      if (v.pending !== undefined && v.pendingGen === v.gen) return v.pending;
      const article = name === ALL_FEED ? undefined : name;
      return buildVariant(key, v, {
        name,
        article,
        filter,
        query,
        limit: article === undefined ? maxItems : maxArticleItems,
        title: undefined,
      });
    },
    start() {
      started ??= (async () => {
        if (closed) throw new WirediffError('E_CLOSED', 'the feed writer is closed');
        await fs.mkdir(dir, { recursive: true });
        // Temp files of writes cut short by a crash (writeAtomic removes its own when a write fails).
        for (const name of await fs.readdir(dir)) {
          if (TEMP_FEED.test(name)) await fs.rm(path.join(dir, name), { force: true }).catch(() => undefined);
        }
        unsubscribe = log.subscribe(onEvent);
        markDirty(ALL_FEED);
        for (const name of named.keys()) markDirty(name);
        for (const a of await store.listArticles()) {
          if (a.id !== ALL_FEED && !named.has(a.id)) markDirty(a.id);
        }
        await chain;
      })();
      return started;
    },
    async idle() {
      for (;;) {
        const c = chain;
        await c;
        if (c === chain) return;
      }
    },
    async close() {
      if (!closed) {
        closed = true;
        unsubscribe?.();
      }
      await chain;
    },
  };
}
