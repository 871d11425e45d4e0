/**
 * Wiring: builds the publishing side (feed files, HTTP server with the JSON API, the /live stream and the viewer)
 * from the config and an open store, starts it, and closes it in order. The only place besides `cli/` that picks
 * concrete implementations.
 */
import type { Logger } from 'pino';
import type { Config } from './config/config.js';
import { WirediffError } from './core/errors.js';
import { isFilterProblem, makeFilter } from './publish/change-filter.js';
import { createFeedWriter, type NamedFeed } from './publish/rss/feed-writer.js';
import { startServer } from './http/server.js';
import type { PollFn } from './http/poll.js';
import type { IngestFn } from './http/push.js';
import type { EventLog, SnapshotStore } from './store/types.js';
import { createViewerHandler } from './http/viewer/handler.js';
import { createIngestPool } from './ingest/pool.js';
import type { IngestCompute } from './ingest/work.js';
import { ingestVersion } from './ingest/ingest.js';

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
    // The token guards writes (push). The live stream carries only what the feeds publish, and the viewer's
    // pages cannot hold a secret, so /live is open to the browsers that `allowedOrigins` lets in unless
    // `server.live.requireToken` says otherwise.
    token: server.token,
    liveRequiresToken: server.live.requireToken,
    allowedOrigins: server.allowedOrigins,
    live: {
      maxBufferedBytes: server.live.maxBufferedBytes,
      heartbeatMs: server.live.heartbeat,
      ownOrigins: server.publicUrl === undefined ? [] : [new URL(server.publicUrl).origin],
      logger,
    },
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

  let closing: Promise<void> | undefined;
  return {
    url: running.url,
    close() {
      closing ??= (async () => {
        try {
          await running.close();
        } finally {
          try {
            await feeds.close();
          } finally {
            await ownPool?.close();
          }
        }
      })();
      return closing;
    },
  };
}
