/**
 * One HTTP server for everything wirediff publishes: `/feeds/*.xml`, the `/live` WebSocket stream (the live endpoint
 * the caller passes in: the server knows it only as `LiveEndpoint`), the JSON API under `/api`, and (when given) the
 * viewer for every other path.
 *
 * `close()` is graceful and idempotent: it stops accepting connections, closes live clients with 1001, lets requests
 * in progress finish (up to `closeTimeoutMs`), then ends idle keep-alive sockets and finally any that remain.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WirediffError } from '../core/errors.js';
import type { EventLog, SnapshotStore } from '../store/types.js';
import type { FeedSource } from '../publish/rss/feed-writer.js';
import { checkInt, checkOptionalString } from '../publish/options.js';
import { sendError, HttpError } from './errors.js';
import { route, type ViewerHandler } from './routes.js';
import type { PollFn } from './poll.js';
import type { IngestFn } from './push.js';

/** What the server needs of the live stream (the WebSocket hub is one): take an upgrade of `/live`, and close. */
export interface LiveEndpoint {
  /** Takes over the socket of an upgrade request for `/live` (the server has matched the path). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Idempotent: refuses new upgrades and closes every client (1001). */
  close(): Promise<void>;
}

export interface ServerOptions {
  /** Default `127.0.0.1` (loopback). */
  readonly host?: string;
  /** Default 0 (any free port). */
  readonly port?: number;
  readonly store: SnapshotStore;
  readonly log: EventLog;
  /** The feed files kept in memory by the feed writer. */
  readonly feeds: FeedSource;
  /** Pages and assets for every path that is not `/api`, `/feeds` or `/live`. */
  readonly viewer?: ViewerHandler | undefined;
  /** The versioning pipeline behind `POST /api/articles/:id/versions` (push is disabled without it or a token). */
  readonly ingest?: IngestFn | undefined;
  /** The watcher's "poll now" behind `POST /api/poll` (409 without it; the token is required). */
  readonly poll?: PollFn | undefined;
  /** Required by the push and poll endpoints (the live endpoint checks its own). */
  readonly token?: string | undefined;
  /** Largest pushed body in bytes. Default 5 MiB. */
  readonly maxPushBytes?: number;
  /**
   * The `/live` WebSocket stream (the caller builds the hub with its token and origin rules). `close()` closes it
   * first. Without one, upgrades of `/live` are refused with 404.
   */
  readonly live?: LiveEndpoint | undefined;
  /** How long `close()` waits for requests in progress. Default 5000. */
  readonly closeTimeoutMs?: number;
}

export interface RunningServer {
  /** `http://host:port` */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

function isLiveEndpoint(value: unknown): value is LiveEndpoint {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v['handleUpgrade'] === 'function' && typeof v['close'] === 'function';
}

function checkLiveEndpoint(value: unknown): LiveEndpoint | undefined {
  if (value === undefined || isLiveEndpoint(value)) return value;
  const got =
    typeof value === 'object' && value !== null ? `an object with keys ${Object.keys(value).join(', ')}` : typeof value;
  throw new TypeError(
    `Expected \`live\` to be a live endpoint (handleUpgrade and close, e.g. createWsHub(…)), got ${got}`,
  );
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = checkOptionalString('host', options.host) ?? '127.0.0.1';
  const port = checkInt('port', options.port, 0, 0, 65535);
  const token = checkOptionalString('token', options.token);
  const maxPushBytes = checkInt('maxPushBytes', options.maxPushBytes, 5 * 1024 * 1024, 1, 1 << 30);
  const closeTimeoutMs = checkInt('closeTimeoutMs', options.closeTimeoutMs, 5000, 0, 600_000);
  const live = checkLiveEndpoint(options.live);
  const deps = {
    store: options.store,
    log: options.log,
    feeds: options.feeds,
    viewer: options.viewer,
    ingest: options.ingest,
    poll: options.poll,
    token,
    maxPushBytes,
  };
  let closing: Promise<void> | undefined;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (closing) {
      res.shouldKeepAlive = false;
      sendError(res, new HttpError(503, 'E_CLOSED', 'the server is shutting down', { Connection: 'close' }));
      return;
    }
    void route(req, res, deps);
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = req.url ?? '';
    const path = url.split('?', 1)[0];
    if (path === '/live' && live !== undefined) {
      live.handleUpgrade(req, socket, head);
      return;
    }
    const message = live === undefined ? 'this server has no live stream' : 'only /live accepts upgrades';
    const body = JSON.stringify({ error: { code: 'E_ROUTE_NOT_FOUND', message } });
    socket.end(
      `HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Content-Type-Options: nosniff\r\n\r\n${body}`,
    );
  });

  try {
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => {
        reject(new WirediffError('E_IO', `could not listen on ${host}:${port}: ${err.message}`, { cause: err }));
      };
      server.once('error', onError);
      server.listen(port, host, () => {
        server.off('error', onError);
        resolve();
      });
    });
  } catch (err) {
    await live?.close(); // the server was given it to close: it never will now
    throw err;
  }
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await live?.close();
        server.closeIdleConnections();
        const timer = setTimeout(() => server.closeAllConnections(), closeTimeoutMs);
        timer.unref();
        await stopped;
        clearTimeout(timer);
      })();
      return closing;
    },
  };
}
