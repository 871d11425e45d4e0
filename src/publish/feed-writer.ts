/**
 * Keeps the RSS files under `feeds/` current: `all.xml` (the latest changes across all articles) and `<article>.xml`
 * (the versions of one article). On every event it rebuilds the two affected feeds once, writes them atomically
 * (temp file + fsync + rename + directory fsync) and keeps the bytes, a strong ETag and Last-Modified in memory, so
 * serving never builds anything. Any static server or CDN can serve the same files.
 *
 * Builds run one at a time; events that arrive during a build are coalesced into the next one.
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { WirediffError } from '../core/errors.js';
import type { ChangeEvent } from '../core/model/event.js';
import { isArticleId, type ArticleId } from '../core/model/version.js';
import type { EventLog, SnapshotStore } from '../store/types.js';
import { checkInt, checkString } from './options.js';
import { renderRssFeed, type FeedItemText } from './rss-feed.js';
import { describeFeedItem } from './feed-item.js';

/** The aggregate feed's name; an article with this id gets no feed of its own. */
export const ALL_FEED = 'all';

export interface FeedFile {
  /** `all` or an article id; the file is `<name>.xml`. */
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
  get(name: string): FeedFile | undefined;
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
  /** Items in `all.xml`. Default 50. */
  readonly maxItems?: number;
  /** Items in an article's feed. Default 200. */
  readonly maxArticleItems?: number;
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

export function createFeedWriter(options: FeedWriterOptions): FeedWriter {
  const { store, log } = options;
  const dir = checkString('dir', options.dir);
  const maxItems = checkInt('maxItems', options.maxItems, 50, 1, 10_000);
  const maxArticleItems = checkInt('maxArticleItems', options.maxArticleItems, 200, 1, 100_000);
  const title = options.title ?? 'wirediff: latest changes';
  const now = options.now ?? Date.now;
  const baseUrl = (): string => {
    const b = typeof options.baseUrl === 'function' ? options.baseUrl() : options.baseUrl;
    return b.replace(/\/+$/, '');
  };

  const files = new Map<string, FeedFile>();
  /** Item texts by event id (events never change; the id is unique). */
  const itemCache = new Map<number, FeedItemText>();
  const itemCacheMax = Math.max(1000, maxItems + maxArticleItems * 4);
  const dirty = new Set<string>();
  let chain: Promise<void> = Promise.resolve();
  let scheduled = false;
  let started: Promise<void> | undefined;
  let unsubscribe: (() => void) | undefined;
  let closed = false;

  const describe = async (events: readonly ChangeEvent[]): Promise<Map<number, FeedItemText>> => {
    const out = new Map<number, FeedItemText>();
    for (const e of events) {
      let text = itemCache.get(e.id);
      if (text === undefined) {
        const stored = await store.getVersion(e.article, e.version);
        text = describeFeedItem(e, stored?.article);
        itemCache.set(e.id, text);
        if (itemCache.size > itemCacheMax) {
          const oldest = itemCache.keys().next();
          if (!oldest.done) itemCache.delete(oldest.value);
        }
      }
      out.set(e.id, text);
    }
    return out;
  };

  const build = async (name: string): Promise<void> => {
    const article: ArticleId | undefined = name === ALL_FEED ? undefined : name;
    const events =
      article === undefined ? await log.readLatest(maxItems) : await log.readLatest(maxArticleItems, article);
    const texts = await describe(events);
    const base = baseUrl();
    const articleTitle = article === undefined ? '' : (events[events.length - 1]?.title ?? '') || article;
    const xml = renderRssFeed(events, {
      title: article === undefined ? title : `wirediff: ${articleTitle}`,
      description:
        article === undefined
          ? 'Every change to the watched articles, newest first.'
          : `Every version of "${articleTitle}", newest first.`,
      siteUrl: article === undefined ? `${base}/` : `${base}/articles/${article}`,
      selfUrl: `${base}/feeds/${name}.xml`,
      articleUrl: (e) => `${base}/articles/${e.article}/v/${e.version}`,
      describe: (e) => texts.get(e.id) ?? { headline: e.summary, summary: e.summary },
      maxItems: article === undefined ? maxItems : maxArticleItems,
    });
    const body = Buffer.from(xml, 'utf8');
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
      lastModifiedMs = Math.floor(now() / 1000) * 1000;
      if (previous !== undefined && lastModifiedMs <= previous.lastModifiedMs) {
        lastModifiedMs = previous.lastModifiedMs + 1000;
      }
      await writeAtomic(dir, name, body, lastModifiedMs);
    }
    files.set(name, {
      name,
      body,
      etag: strongEtag(body),
      lastModified: new Date(lastModifiedMs).toUTCString(),
      lastModifiedMs,
    });
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
    if (e.article !== ALL_FEED) markDirty(e.article);
  };

  return {
    get(name) {
      return files.get(name);
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
        for (const a of await store.listArticles()) {
          if (a.id !== ALL_FEED) markDirty(a.id);
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
