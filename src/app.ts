/**
 * The one wiring point: picks the concrete parts and starts and closes them in order. `startWatch` opens the store
 * (and its leases), the worker pool and the watcher, with the publishing side when serving and the config reload when
 * a config file is watched; `startServing` opens the store and serves it without a watcher; `startPublishing` builds
 * the publishing side (feed files, the HTTP server with the JSON API, the /live stream and the viewer) over an open
 * store. The CLI commands parse their flags, call these and render what they give.
 */
import type { Logger } from 'pino';
import type { Config } from './config/config.js';
import { reloadConfigOnChange, type ConfigReloader } from './config/reload.js';
import { WirediffError } from './core/errors.js';
import { isFilterProblem, makeFilter } from './publish/change-filter.js';
import { createFeedWriter, type NamedFeed } from './publish/rss/feed-writer.js';
import { startServer } from './http/server.js';
import { createWsHub } from './publish/live/hub.js';
import type { PollFn } from './http/poll.js';
import type { IngestFn } from './http/push.js';
import type { EventLog, SnapshotStore } from './store/types.js';
import { createViewerHandler } from './http/viewer/handler.js';
import { createIngestPool } from './ingest/pool.js';
import type { IngestCompute } from './ingest/work.js';
import { ingestVersion } from './ingest/ingest.js';
import { openStore, storeTargetFor, type StoreTarget } from './store/open.js';
import type { LeaseManager } from './store/leases.js';
import { createWatcher, type PollReport, type Watcher } from './watch/watcher.js';

export interface PublishingParts {
  readonly config: Config;
  readonly store: SnapshotStore;
  readonly log: EventLog;
  readonly logger: Logger;
  /** The watcher's "poll now", behind `POST /api/poll` (absent when no watcher runs: `wirediff serve`). */
  readonly poll?: PollFn;
  /** Where pushed versions are parsed and diffed (the watcher's pool); default: a worker pool of its own. */
  readonly compute?: IngestCompute;
}

export interface RunningPublishing {
  /** `http://host:port` the server listens on. */
  readonly url: string;
  /** Idempotent: stops the server (live clients get 1001), then the feed writer. */
  close(): Promise<void>;
}

/**
 * An idempotent close: the first call runs every step in order (`closeInOrder`), later calls get that call's promise.
 */
function closeOnce(...steps: (() => Promise<unknown> | undefined)[]): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= closeInOrder(...steps));
}

/** Runs every step in order, each even when one before failed; then throws the first failure, if any. */
async function closeInOrder(...steps: (() => Promise<unknown> | undefined)[]): Promise<void> {
  let failure: { readonly err: unknown } | undefined;
  for (const step of steps) {
    try {
      await step();
    } catch (err) {
      failure ??= { err };
    }
  }
  if (failure !== undefined) throw failure.err;
}

/** The addresses a person wants after start: the viewer, the feeds, the live stream, the API. */
export function describeAddresses(url: string): string[] {
  const ws = url.replace(/^http/, 'ws');
  return [
    `viewer       ${url}/`,
    `feed (all)   ${url}/feeds/all.xml`,
    `live stream  ${ws}/live`,
    `JSON API     ${url}/api/articles`,
  ];
}

/** The config's named feeds as the feed writer takes them. */
export function namedFeeds(config: Config): Record<string, NamedFeed> {
  const out: Record<string, NamedFeed> = {};
  for (const [name, feed] of Object.entries(config.feeds.named)) {
    const filter = makeFilter(feed.kinds, feed.minSignificance);
    if (isFilterProblem(filter)) throw new WirediffError('E_CONFIG', `feeds.named.${name}: ${filter.message}`);
    out[name] = { filter, title: feed.title };
  }
  return out;
}

/** Starts the feed writer and the one HTTP server; logs where everything is. */
export async function startPublishing(parts: PublishingParts): Promise<RunningPublishing> {
  const { config, store, log, logger } = parts;
  const server = config.server;
  if (server.live.requireToken && server.token === undefined) {
    throw new WirediffError(
      'E_CONFIG',
      'server.live.requireToken is true but server.token is not set: set a token, or leave requireToken false',
    );
  }
  let baseUrl = server.publicUrl ?? `http://${server.host}:${server.port}`;

  const feeds = createFeedWriter({
    store,
    log,
    dir: config.feedsDir,
    baseUrl: () => baseUrl,
    maxItems: server.feedItems,
    named: namedFeeds(config),
    onError: (err) => logger.error({ err }, 'could not write a feed (the previous file stays in place)'),
  });

  // Parsing, extraction and diffing of a push run on worker threads: a 2 MB version does not hold the event loop.
  const ownPool = parts.compute === undefined ? createIngestPool() : undefined;
  const compute = parts.compute ?? ownPool!;
  const ingest: IngestFn = async (article, body, contentType, { force }) => {
    return ingestVersion(
      { store, compute },
      { article, raw: body, contentType, origin: { kind: 'push' }, fetchedAt: new Date().toISOString() },
      { variantWindow: config.watch.variantWindow, minArticleChars: config.watch.minArticleChars, push: { force } },
    );
  };

  // The token guards writes (push). The live stream carries only what the feeds publish, and the viewer's pages
  // cannot hold a secret, so /live is open to the browsers that `allowedOrigins` lets in unless
  // `server.live.requireToken` says otherwise.
  const live = createWsHub({
    store,
    log,
    token: server.live.requireToken ? server.token : undefined,
    allowedOrigins: server.allowedOrigins,
    maxBufferedBytes: server.live.maxBufferedBytes,
    heartbeatMs: server.live.heartbeat,
    ownOrigins: server.publicUrl === undefined ? [] : [new URL(server.publicUrl).origin],
    logger,
  });
  const running = await startServer({
    host: server.host,
    port: server.port,
    store,
    log,
    feeds,
    viewer: createViewerHandler({
      store,
      log,
      onError: (err, req) => logger.error({ err, url: req.url }, 'viewer page failed'),
    }),
    ingest,
    poll: parts.poll,
    token: server.token,
    live,
  });
  baseUrl = server.publicUrl ?? running.url;
  if (server.publicUrl === undefined && /^http:\/\/(0\.0\.0\.0|\[::\])[:/]/.test(running.url)) {
    logger.warn(
      `feeds link to ${running.url}, which readers cannot open: set server.publicUrl in the config to the address they use`,
    );
  }
  try {
    await feeds.start();
  } catch (err) {
    await running.close();
    await ownPool?.close();
    throw err;
  }
  logger.info(`serving on ${running.url}`);
  for (const line of describeAddresses(running.url)) logger.info(line);

  return {
    url: running.url,
    close: closeOnce(
      () => running.close(),
      () => feeds.close(),
      () => ownPool?.close(),
    ),
  };
}

/** Opens the store and serves it (`wirediff serve`): no watcher, so `POST /api/poll` answers 409. */
export async function startServing(config: Config, logger: Logger, target: StoreTarget): Promise<RunningPublishing> {
  const opened = await openStore(target, { logger });
  let publishing: RunningPublishing;
  try {
    publishing = await startPublishing({ config, store: opened.store, log: opened.log, logger });
  } catch (err) {
    await opened.close();
    throw err;
  }
  return {
    url: publishing.url,
    close: closeOnce(
      () => publishing.close(),
      () => opened.close(),
    ),
  };
}

export interface WatchOptions {
  /** Start the schedules and a first poll (default true; `watch --once` polls by itself). */
  readonly start?: boolean;
  /** Also serve the viewer, feeds, JSON API and live stream, with `POST /api/poll` polling this watcher. */
  readonly serve?: boolean;
  /** The store (default: the config's, without the environment). */
  readonly target?: StoreTarget;
  /** Reload the config when `file` changes or on SIGHUP (config/reload.ts). */
  readonly reload?: {
    readonly file: string;
    /** The config as the file says it (before command-line overrides). */
    readonly current: Config;
    readonly load: () => Promise<Config>;
    /** One line for an error in the log. */
    readonly describeError?: (err: unknown) => string;
  };
}

export interface RunningWatch {
  /** The watcher running now (a reload replaces it). */
  readonly watcher: Watcher;
  readonly store: SnapshotStore;
  readonly log: EventLog;
  readonly leases: LeaseManager;
  /**
   * Applies a new config's sources and watch settings: the running watcher closes (its held changes go to the status
   * file) and one built from `config` starts. The store and the server stay as they are.
   */
  reload(config: Config): Promise<void>;
  /** Stops the config reload, closes the watcher (draining polls in flight), then the server, then the store. Idempotent. */
  close(): Promise<void>;
}

/** Polls what `source` names (see Watcher.findSources), or every source; the API's and `wirediff poll`'s way in. */
export async function pollSelected(watcher: Watcher, source: string | undefined): Promise<PollReport[]> {
  if (source === undefined) return watcher.pollNow();
  const reports = await Promise.all(watcher.findSources(source).map((i) => watcher.pollNow(i)));
  return reports.flat();
}

/** Opens the store, builds the watcher (and the server, the config reload) and starts them. */
export async function startWatch(config: Config, logger: Logger, options: WatchOptions = {}): Promise<RunningWatch> {
  const opened = await openStore(options.target ?? storeTargetFor(config), { logger });
  // One worker pool parses, extracts and diffs for the watcher and the server's pushes, off the event loop.
  const pool = createIngestPool();
  if (pool.threads === 0) logger.debug('no built ingest worker: parsing and diffing run on the main thread');
  else logger.info(`parsing, extraction and diffing run on up to ${pool.threads} worker thread(s)`);
  // The config satisfies the watcher's own option types (watch/options.ts) as it is.
  const make = (c: Config): Watcher =>
    createWatcher(c, { store: opened.store, log: opened.log, logger, compute: pool, leases: opened.leases });
  let watcher = make(config);
  let server: RunningPublishing | undefined;
  try {
    if (options.serve === true) {
      server = await startPublishing({
        config,
        store: opened.store,
        log: opened.log,
        logger,
        poll: (source) => pollSelected(watcher, source),
        compute: pool,
      });
    }
    if (options.start !== false) await watcher.start();
  } catch (err) {
    await watcher.close();
    await server?.close();
    await pool.close();
    await opened.close();
    throw err;
  }
  let closing: Promise<void> | undefined;
  let reloading: Promise<void> = Promise.resolve();
  let reloader: ConfigReloader | undefined;
  const running: RunningWatch = {
    get watcher() {
      return watcher;
    },
    store: opened.store,
    log: opened.log,
    leases: opened.leases,
    reload(next: Config) {
      reloading = reloading.then(async () => {
        if (closing !== undefined) return;
        if (next.storeDir !== config.storeDir) {
          logger.warn('storeDir changed in the config: restart wirediff to use the new store');
        }
        await watcher.close();
        watcher = make({ ...next, storeDir: config.storeDir });
        if (closing === undefined) await watcher.start();
      });
      return reloading;
    },
    close() {
      reloader?.close();
      // The watcher first: a poll in flight finishes storing its version and event while the feed writer and the
      // server are still there to publish it. Then publishing, then the store.
      closing ??= closeInOrder(
        async () => {
          await reloading.catch(() => undefined);
          await watcher.close();
        },
        () => server?.close(),
        () => pool.close(),
        () => opened.close(),
      );
      return closing;
    },
  };
  // `wirediff add` (or an edit) while this runs: the new sources are watched without a restart.
  const reload = options.reload;
  if (reload !== undefined) {
    reloader = reloadConfigOnChange({
      file: reload.file,
      current: reload.current,
      load: reload.load,
      apply: (next) => running.reload(next),
      logger,
      ...(reload.describeError !== undefined ? { describeError: reload.describeError } : {}),
    });
  }
  return running;
}
