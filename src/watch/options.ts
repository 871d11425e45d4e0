/**
 * What the watcher is told: its sources and settings, as small types of its own. The validated config
 * (config/config.ts) satisfies them as it is, so app.ts passes it in; the watcher never imports the config module.
 */
import type { ArticleId } from '../core/model/version.js';
import { defaultFetchOptions, type FetchOptions } from '../sources/index.js';
import type { ScheduleTier } from './schedule.js';

interface SourceCommon {
  /** Cron expression (node-cron); the kind's default (`WatchSettings.cron`) when absent. */
  readonly schedule?: string | undefined;
}

/** One web page, fetched when its schedule tier says it is due. */
export interface PageSource extends SourceCommon {
  readonly kind: 'url';
  readonly url: string;
  /** The article id; derived from the URL when absent. */
  readonly id?: ArticleId | undefined;
  readonly allowPrivateNetwork?: boolean | undefined;
}

/** An RSS/Atom feed: its newest `maxItems` links are watched as web pages. */
export interface FeedSource extends SourceCommon {
  readonly kind: 'feed';
  readonly url: string;
  readonly allowPrivateNetwork?: boolean | undefined;
  readonly maxItems?: number | undefined;
}

/** One local file. */
export interface FileSource extends SourceCommon {
  readonly kind: 'file';
  readonly path: string;
  /** The article id; derived from the file name when absent. */
  readonly id?: ArticleId | undefined;
}

/** A local folder: every article file in it is an article. */
export interface FolderSource extends SourceCommon {
  readonly kind: 'dir';
  readonly path: string;
}

export type WatchSource = PageSource | FeedSource | FileSource | FolderSource;
export type WatchSourceKind = WatchSource['kind'];

export interface WatchSettings {
  /** Fetches and file reads in flight at once, across sources. */
  readonly concurrency: number;
  readonly variantWindow: number;
  readonly minArticleChars: number;
  /** Quiet time (ms) after a file change before a file or folder source is read. */
  readonly debounce: number;
  /** First back-off (ms) after a failed poll, and the most it grows to. */
  readonly backoff: number;
  readonly maxBackoff: number;
  /** Default cron expression per source kind. */
  readonly cron: Readonly<Record<WatchSourceKind, string>>;
  readonly tiers: readonly ScheduleTier[];
  /** Feed items watched per feed, unless the source says otherwise. */
  readonly feedItems: number;
}

export interface FetchSettings {
  readonly timeout: number;
  readonly maxBytes: number;
  readonly maxRedirects: number;
  readonly userAgent: string;
  readonly allowPrivateNetwork: boolean;
  readonly allowedAddresses?: readonly string[] | undefined;
}

export interface WatcherOptions {
  /** Where status.json is written. */
  readonly storeDir: string;
  readonly sources: readonly WatchSource[];
  readonly watch: WatchSettings;
  readonly fetch: FetchSettings;
}

/** The cron expression a source runs on (its own, else the kind's default). */
export function cronFor(settings: Pick<WatchSettings, 'cron'>, s: WatchSource): string {
  return s.schedule ?? settings.cron[s.kind];
}

/** A short human name for a source: its URL or path. */
export function sourceLocator(s: WatchSource): string {
  return s.kind === 'url' || s.kind === 'feed' ? s.url : s.path;
}

/** The fetch options of a web source (`allowPrivateNetwork`: the source's own setting, if any). */
export function fetchOptionsFor(fetch: FetchSettings, allowPrivateNetwork: boolean | undefined): FetchOptions {
  return {
    ...defaultFetchOptions(),
    timeoutMs: fetch.timeout,
    maxBytes: fetch.maxBytes,
    maxRedirects: fetch.maxRedirects,
    userAgent: fetch.userAgent,
    allowPrivateNetwork: allowPrivateNetwork ?? fetch.allowPrivateNetwork,
    ...(fetch.allowedAddresses !== undefined ? { allowedAddresses: fetch.allowedAddresses } : {}),
  };
}
