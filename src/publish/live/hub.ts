/**
 * The live WebSocket hub behind `/live`: the parts composed, plus heartbeats, stats and shutdown. The protocol is
 * described in `live-protocol.ts` (and docs/formats/live-protocol.md); one job per module:
 *
 * - `upgrade.ts`: the handshake (shutdown, Origin allowlist, token, subprotocol); refusals are written on the raw
 *   socket (503/403/401) before any WebSocket exists. The caller attaches `handleUpgrade` to its HTTP server.
 * - `client.ts`: one connection's state and its own messages (hello, ping/pong, invalid-message strikes).
 * - `replay.ts`: a subscribe's replay from the log, paced by the client's reading, until caught up; then live.
 * - `broadcast.ts`: live fan-out (serialized once) and the immediate cut-off of a slow live consumer (1013).
 *
 * Replay then live is without gap or duplicate: every client has a cursor (the newest event id it was sent) and is
 * only ever sent events with a larger id.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';
import type { ChangeEvent } from '../../core/model/event.js';
import type { EventLog, SnapshotStore } from '../../store/types.js';
import { checkInt, checkOptionalString, checkOrigins } from '../options.js';
import { createBroadcaster } from './broadcast.js';
import { openClient, type Client, type HubLogger } from './client.js';
import { CLOSE_CODES, LIVE_PROTOCOL } from './live-protocol.js';
import { createReplay } from './replay.js';
import { createUpgrader } from './upgrade.js';

export type { HubLogger } from './client.js';

export interface WsHubOptions {
  readonly log: EventLog;
  /** Used for the `state` message after a reset. */
  readonly store: SnapshotStore;
  /**
   * When set, an upgrade must carry it, else 401: `Authorization: Bearer T`, a `wirediff.bearer.<base64url(T)>`
   * subprotocol (offered beside `wirediff.live.1`, for browsers), or `?token=T`.
   */
  readonly token?: string | undefined;
  /**
   * When set and non-empty, a browser Origin neither in the list nor the server's own gets 403. The server's own is
   * the host the upgrade was sent to, and any origin in `ownOrigins`.
   */
  readonly allowedOrigins?: readonly string[] | undefined;
  /** The server's public origins (e.g. from `server.publicUrl`), always allowed. */
  readonly ownOrigins?: readonly string[] | undefined;
  /** Ping interval; a peer that did not answer the previous ping is terminated. Default 30 000. */
  readonly heartbeatMs?: number;
  /** Largest client message in bytes (larger closes with 1009). Default 4096. */
  readonly maxPayload?: number;
  /** A client whose unsent data exceeds this is closed with 1013 (it can resume with `since`). Default 1 MiB. */
  readonly maxBufferedBytes?: number;
  /** Invalid messages tolerated (each gets an `error`); the next one closes with 1008. Default 10. */
  readonly maxInvalidMessages?: number;
  /** Events read from the log per replay step. Default 200. */
  readonly replayBatch?: number;
  /** Subscribe to `log` and broadcast what it appends. Default true. */
  readonly followLog?: boolean;
  /** Where the hub reports slow consumers cut off and log-read failures (pino's `warn`/`error` fit). */
  readonly logger?: HubLogger | undefined;
}

/** What the hub is doing now, for status pages and tests. */
export interface WsHubStats {
  /** Connected clients that are subscribed and receiving live events. */
  readonly live: number;
  /** Clients being replayed to. */
  readonly replaying: number;
  /** Replays waiting for their client to read (send buffer above half the cap). */
  readonly waitingForClient: number;
  /** Clients cut off since start because their send buffer passed `maxBufferedBytes`. */
  readonly slowConsumersCut: number;
}

export interface WsHub {
  /** Handles an HTTP upgrade request for the live stream (the caller has matched the path). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Sends an event to every live subscriber (done automatically for events appended to the log). */
  broadcast(e: ChangeEvent): void;
  /** Connected clients (a client cut off stays counted until its socket is closed). */
  readonly clientCount: number;
  stats(): WsHubStats;
  /** Idempotent: refuses new upgrades, closes every client with 1001 and stops the heartbeat. */
  close(): Promise<void>;
}

/** How long clients get to answer the 1001 close on shutdown before their sockets are destroyed. */
const CLOSE_GRACE_MS = 2000;

export function createWsHub(options: WsHubOptions): WsHub {
  const heartbeatMs = checkInt('heartbeatMs', options.heartbeatMs, 30_000, 10, 3_600_000);
  const maxPayload = checkInt('maxPayload', options.maxPayload, 4096, 256, 1 << 20);
  const maxBufferedBytes = checkInt('maxBufferedBytes', options.maxBufferedBytes, 1 << 20, 1024, 1 << 30);
  const maxInvalid = checkInt('maxInvalidMessages', options.maxInvalidMessages, 10, 0, 1_000_000);
  const replayBatch = checkInt('replayBatch', options.replayBatch, 200, 1, 100_000);
  const token = checkOptionalString('token', options.token);
  const allowedOrigins = checkOrigins('allowedOrigins', options.allowedOrigins);
  const ownOrigins = checkOrigins('ownOrigins', options.ownOrigins) ?? [];
  const { log, store, logger } = options;

  const upgrader = createUpgrader({ token, allowedOrigins, ownOrigins, maxPayload });
  const clients = new Set<Client>();
  const broadcaster = createBroadcaster({ clients, maxBufferedBytes, logger });
  const replay = createReplay({ log, store, batch: replayBatch, highWater: Math.floor(maxBufferedBytes / 2), logger });
  let closing: Promise<void> | undefined;

  const onConnection = (ws: WebSocket): void => {
    const c = openClient(ws, {
      maxInvalid,
      hello: { type: 'hello', protocol: LIVE_PROTOCOL, maxPayload, heartbeatMs },
      onSubscribe: (client, m) => void replay(client, m),
      onClose: (client) => clients.delete(client),
    });
    clients.add(c);
  };

  const heartbeat = setInterval(() => {
    for (const c of clients) {
      if (!c.alive) {
        c.ws.terminate();
        continue;
      }
      c.alive = false;
      if (c.ws.readyState === WebSocket.OPEN) c.ws.ping();
    }
  }, heartbeatMs);
  heartbeat.unref();

  const broadcast = (e: ChangeEvent): void => {
    if (!closing) broadcaster.broadcast(e);
  };
  const unsubscribe = options.followLog === false ? () => {} : log.subscribe(broadcast);

  /** Closes every client with 1001, destroying the sockets of those that have not closed after a grace. */
  const closeClients = async (): Promise<void> => {
    const closed = [...clients].map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.ws.readyState === WebSocket.CLOSED) return resolve();
          c.ws.once('close', () => resolve());
          c.phase = 'closing';
          c.ws.close(CLOSE_CODES.goingAway, 'server shutting down');
        }),
    );
    const timer = setTimeout(() => {
      for (const c of clients) c.ws.terminate();
    }, CLOSE_GRACE_MS);
    await Promise.all(closed);
    clearTimeout(timer);
  };

  return {
    handleUpgrade(req, socket, head) {
      upgrader.upgrade(req, socket, head, onConnection);
    },
    broadcast,
    get clientCount() {
      return clients.size;
    },
    stats() {
      let live = 0;
      let replaying = 0;
      let waitingForClient = 0;
      for (const c of clients) {
        if (c.phase === 'live') live += 1;
        else if (c.phase === 'replaying') {
          replaying += 1;
          if (c.waiting) waitingForClient += 1;
        }
      }
      return { live, replaying, waitingForClient, slowConsumersCut: broadcaster.slowConsumersCut };
    },
    close() {
      closing ??= (async () => {
        upgrader.stop();
        clearInterval(heartbeat);
        unsubscribe();
        await closeClients();
        await upgrader.close();
      })();
      return closing;
    },
  };
}
