/**
 * The live WebSocket hub behind `/live`: subscriptions, replay with resume, live broadcast, heartbeats, limits.
 * The protocol is described in `live-protocol.ts` (and the README, "Live stream protocol").
 *
 * - Attached to an HTTP server's `upgrade` by the caller (`handleUpgrade`); the token and the Origin allowlist are
 *   checked first, and a refusal is written on the raw socket (401/403) before any WebSocket exists.
 * - Replay then live without gap or duplicate: every client has a cursor (the newest event id it was sent) and is only
 *   ever sent events with a larger id. A replaying client holds no queue of live events: the log has them, so the
 *   replay reads on until it has every event published so far (it notes the newest live id it saw meanwhile), then
 *   switches to live in the same tick as its last read.
 * - Flow control: a replay waits for the client to read (its send buffer to drain below half of `maxBufferedBytes`)
 *   and never cuts off a client that reads; a live client whose buffer passes `maxBufferedBytes` is cut off at once
 *   (it leaves the broadcast set, gets 1013, and its socket is destroyed after a short grace).
 * - Broadcast serializes an event once and sends the same Buffer to every subscriber (no per-client JSON).
 * - permessage-deflate is off (per-connection compression costs ~240 KB per connection and 5–30× the send time).
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import * as wsModule from 'ws';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import type { ChangeEvent } from '../../core/model/event.js';
import type { ArticleId } from '../../core/model/version.js';
import type { EventLog, SnapshotStore } from '../../store/types.js';
import { matchesFilter, type ChangeFilter } from '../change-filter.js';
import { BEARER_SUBPROTOCOL_PREFIX, originAllowed, tokenMatches, upgradeToken } from '../../http/access.js';
import {
  CLOSE_CODES,
  LIVE_PROTOCOL,
  LIVE_SUBPROTOCOL,
  parseClientMessage,
  serializeEvent,
  type ArticleState,
  type LiveErrorCode,
  type ServerMessage,
  type SubscribeMessage,
} from './live-protocol.js';
import { checkInt, checkOptionalString, checkOrigins } from '../options.js';

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

/** The logging the hub needs; a pino logger is one. */
export interface HubLogger {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
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

/** How long a slow consumer gets to read its close frame before its socket is destroyed. */
const SLOW_CLOSE_GRACE_MS = 1000;

type Phase = 'new' | 'replaying' | 'live' | 'closing';

interface Client {
  readonly ws: WebSocket;
  phase: Phase;
  articles: '*' | ReadonlySet<ArticleId> | undefined;
  filter: ChangeFilter | undefined;
  /** The newest event id sent (or covered by a state/replay-complete). */
  cursor: number;
  /** While replaying: the newest id broadcast meanwhile (the replay reads on until its cursor reaches it). */
  seenLive: number;
  /** While replaying: waiting for the client to read. */
  waiting: boolean;
  invalid: number;
  alive: boolean;
  /** Resolves when the socket has closed. */
  readonly gone: Promise<void>;
}

function rejectUpgrade(socket: Duplex, status: number, code: string, message: string, extra: string[] = []): void {
  const body = JSON.stringify({ error: { code, message } });
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    'Connection: close',
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'X-Content-Type-Options: nosniff',
    ...extra,
  ];
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.once('finish', () => socket.destroy());
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}

/**
 * The frame for a broadcast, built once: ws's `Sender.frame` (exported by ws, absent from its type declarations)
 * gives the header and payload of an unmasked, uncompressed text frame, which every server-side socket can send as is.
 */
interface SenderInternals {
  _state?: number;
  sendFrame?: (list: Buffer[], cb?: () => void) => void;
}
const SenderClass = (wsModule as unknown as { Sender?: { frame?: (data: Buffer, options: object) => Buffer[] } })
  .Sender;

function buildFrame(data: Buffer): Buffer | undefined {
  if (typeof SenderClass?.frame !== 'function') return undefined;
  return Buffer.concat(SenderClass.frame(data, { fin: true, rsv1: false, opcode: 1, mask: false, readOnly: false }));
}

/**
 * Sends a pre-built frame through the socket's own sender when it is idle (no compression or queued blob; deflate is
 * off here), which is exactly what `ws.send(data)` ends up doing minus the per-client framing; otherwise `ws.send`.
 */
function sendPrebuilt(ws: WebSocket, frame: Buffer | undefined, data: Buffer): void {
  const sender = (ws as unknown as { _sender?: SenderInternals })._sender;
  if (frame !== undefined && sender?._state === 0 && typeof sender.sendFrame === 'function') {
    sender.sendFrame([frame]);
  } else {
    ws.send(data, { binary: false });
  }
}

function matchesArticle(c: Client, article: ArticleId): boolean {
  return c.articles === '*' || (c.articles !== undefined && c.articles.has(article));
}

/** Whether the client subscribed to this event: its article, and its filter (kinds, significance). */
function matches(c: Client, e: ChangeEvent): boolean {
  return matchesArticle(c, e.article) && c.filter !== undefined && matchesFilter(e, c.filter);
}

export function createWsHub(options: WsHubOptions): WsHub {
  const heartbeatMs = checkInt('heartbeatMs', options.heartbeatMs, 30_000, 10, 3_600_000);
  const maxPayload = checkInt('maxPayload', options.maxPayload, 4096, 256, 1 << 20);
  const maxBufferedBytes = checkInt('maxBufferedBytes', options.maxBufferedBytes, 1 << 20, 1024, 1 << 30);
  const maxInvalid = checkInt('maxInvalidMessages', options.maxInvalidMessages, 10, 0, 1_000_000);
  const replayBatch = checkInt('replayBatch', options.replayBatch, 200, 1, 100_000);
  const replayHighWater = Math.floor(maxBufferedBytes / 2);
  const token = checkOptionalString('token', options.token);
  const allowedOrigins = checkOrigins('allowedOrigins', options.allowedOrigins);
  const ownOrigins = checkOrigins('ownOrigins', options.ownOrigins) ?? [];
  const { log, store } = options;

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload,
    perMessageDeflate: false,
    clientTracking: false,
    // Answer with the live protocol when offered; a token carried as a subprotocol is never echoed back.
    handleProtocols: (offered) =>
      offered.has(LIVE_SUBPROTOCOL)
        ? LIVE_SUBPROTOCOL
        : ([...offered].find((p) => !p.startsWith(BEARER_SUBPROTOCOL_PREFIX)) ?? false),
  });
  const clients = new Set<Client>();
  let closing: Promise<void> | undefined;

  let slowConsumersCut = 0;

  /**
   * Cuts off a client whose unsent data passed the cap: from now on it gets nothing more (its phase is `closing`, which
   * every send checks), a 1013 close is queued, and the socket is destroyed after a grace (the close frame waits behind
   * the unsent data, so a peer that does not read would never see it).
   */
  const cutOff = (c: Client): void => {
    c.phase = 'closing';
    slowConsumersCut += 1;
    options.logger?.warn(
      { buffered: c.ws.bufferedAmount, maxBufferedBytes, cursor: c.cursor },
      'live client cut off: it did not read its events (slow consumer; it can resume with since)',
    );
    c.ws.close(CLOSE_CODES.slowConsumer, 'slow consumer: reconnect and resume with since');
    setTimeout(() => c.ws.terminate(), SLOW_CLOSE_GRACE_MS).unref();
  };

  /**
   * Sends one replayed event. When the client's buffer is above half the cap, waits until it has read it all (the
   * send callback fires once this frame, and so every one before it, is handed to the kernel) or is gone. False when
   * the replay must stop.
   */
  const sendPaced = async (c: Client, data: string): Promise<boolean> => {
    if (!stillReplaying(c)) return false;
    const flushed = new Promise<void>((resolve) => c.ws.send(data, () => resolve()));
    if (c.ws.bufferedAmount > replayHighWater) {
      c.waiting = true;
      await Promise.race([flushed, c.gone]);
      c.waiting = false;
    }
    return stillReplaying(c);
  };

  const sendJson = (c: Client, m: ServerMessage): void => {
    if (c.ws.readyState === WebSocket.OPEN) c.ws.send(JSON.stringify(m));
  };

  /** Sends pre-serialized data; closes a client that is too far behind. */
  const sendData = (c: Client, data: Buffer, frame?: Buffer): void => {
    if (c.ws.readyState !== WebSocket.OPEN || c.phase === 'closing') return;
    if (c.ws.bufferedAmount > maxBufferedBytes) {
      cutOff(c);
      return;
    }
    sendPrebuilt(c.ws, frame, data);
  };

  const deliver = (c: Client, id: number, data: Buffer, frame?: Buffer): void => {
    if (id <= c.cursor) return;
    c.cursor = id;
    sendData(c, data, frame);
  };

  const sendError = (c: Client, code: LiveErrorCode, message: string, strike: boolean): void => {
    if (c.phase === 'closing') return;
    if (strike) {
      c.invalid += 1;
      if (c.invalid > maxInvalid) {
        c.phase = 'closing';
        c.ws.close(CLOSE_CODES.policyViolation, 'too many invalid messages');
        return;
      }
    }
    sendJson(c, { type: 'error', code, message });
  };

  const stillReplaying = (c: Client): boolean => c.phase === 'replaying' && c.ws.readyState === WebSocket.OPEN;

  const currentState = async (c: Client): Promise<ArticleState[]> => {
    const all = await store.listArticles();
    return all
      .filter((a) => matchesArticle(c, a.id))
      .map((a) => ({
        article: a.id,
        version: a.versions,
        title: a.title,
        kind: a.lastKind,
        summary: a.lastSummary,
        at: a.lastChange,
      }));
  };

  const subscribe = async (c: Client, m: SubscribeMessage): Promise<void> => {
    c.articles = m.articles === '*' ? '*' : new Set(m.articles);
    c.filter = m.filter;
    c.phase = 'replaying';
    let replayed = 0;
    try {
      const { first, last } = await log.bounds();
      if (!stillReplaying(c)) return;
      if (m.since === undefined) {
        c.cursor = Math.max(c.cursor, last);
      } else {
        // Events since+1 … last were missed; the log retains first … last.
        const gap = first > 0 && m.since + 1 < first;
        const ahead = m.since > last;
        if (gap || ahead) {
          sendJson(c, {
            type: 'reset',
            reason: gap ? 'since-before-history' : 'since-after-last',
            since: m.since,
            first,
            last,
          });
          const articles = await currentState(c);
          if (!stillReplaying(c)) return;
          c.cursor = Math.max(c.cursor, last);
          sendJson(c, { type: 'state', last, articles });
        } else {
          c.cursor = m.since;
        }
      }
      // Replay what the log holds after the cursor, then whatever was published while replaying: every event a
      // subscriber is told of is already readable, so reading on until the cursor reaches the newest id seen leaves
      // no gap. Without `since` only the events published since `bounds` are read.
      for (;;) {
        const seenBefore = c.seenLive;
        const batch = await log.readAfter(c.cursor, replayBatch);
        if (!stillReplaying(c)) return;
        for (const e of batch) {
          if (e.id <= c.cursor) continue;
          // Non-matching events advance the cursor too: they will never be sent to this client.
          c.cursor = e.id;
          if (!matches(c, e)) continue;
          replayed += 1;
          if (!(await sendPaced(c, serializeEvent(e)))) return;
        }
        if (batch.length === replayBatch) continue;
        // A short read is the end of the log as it was when the read began; read again only if an event was published
        // after that (an event the log does not hold, such as a direct `broadcast`, costs one more read at most).
        if (c.seenLive <= seenBefore || c.seenLive <= c.cursor) break;
      }
    } catch (err) {
      c.phase = 'closing';
      options.logger?.error({ err }, 'live replay failed: the event log could not be read');
      sendJson(c, { type: 'error', code: 'unavailable', message: 'the event log could not be read; retry later' });
      c.ws.close(1011, 'event log unavailable');
      return;
    }
    // No await since the last read: the next broadcast finds this client live.
    c.phase = 'live';
    sendJson(c, { type: 'replay-complete', last: c.cursor, replayed });
  };

  const onMessage = (c: Client, raw: RawData, isBinary: boolean): void => {
    if (c.phase === 'closing') return;
    if (isBinary) return sendError(c, 'binary-unsupported', 'messages are JSON text frames', true);
    const text = Array.isArray(raw)
      ? Buffer.concat(raw).toString('utf8')
      : Buffer.from(raw as ArrayBuffer).toString('utf8');
    const parsed = parseClientMessage(text);
    if (!parsed.ok) return sendError(c, parsed.code, parsed.message, true);
    const m = parsed.message;
    if (m.type === 'ping') return sendJson(c, { type: 'pong' });
    if (c.phase !== 'new') {
      return sendError(c, 'already-subscribed', 'one subscribe per connection; reconnect to change it', true);
    }
    void subscribe(c, m);
  };

  const onConnection = (ws: WebSocket): void => {
    const gone = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    const c: Client = {
      ws,
      phase: 'new',
      articles: undefined,
      filter: undefined,
      cursor: 0,
      seenLive: 0,
      waiting: false,
      invalid: 0,
      alive: true,
      gone,
    };
    clients.add(c);
    ws.on('message', (data, isBinary) => onMessage(c, data, isBinary));
    ws.on('pong', () => {
      c.alive = true;
    });
    ws.on('error', () => {
      // 'close' follows; errors here are protocol violations by the peer (bad frames, too big) already answered by ws.
    });
    ws.on('close', () => {
      c.phase = 'closing';
      clients.delete(c);
    });
    sendJson(c, { type: 'hello', protocol: LIVE_PROTOCOL, maxPayload, heartbeatMs });
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
    if (closing) return;
    let data: Buffer | undefined;
    let frame: Buffer | undefined;
    for (const c of clients) {
      if (c.phase === 'live') {
        if (e.id <= c.cursor || !matches(c, e)) continue;
        if (data === undefined) {
          data = Buffer.from(serializeEvent(e));
          frame = buildFrame(data);
        }
        deliver(c, e.id, data, frame);
      } else if (c.phase === 'replaying') {
        c.seenLive = Math.max(c.seenLive, e.id);
      }
    }
  };

  const unsubscribe = options.followLog === false ? () => {} : log.subscribe(broadcast);

  return {
    handleUpgrade(req, socket, head) {
      if (closing) return rejectUpgrade(socket, 503, 'E_CLOSED', 'the server is shutting down');
      if (!originAllowed(req, allowedOrigins, ownOrigins)) {
        return rejectUpgrade(socket, 403, 'E_FORBIDDEN_ORIGIN', 'this Origin is not allowed');
      }
      if (token !== undefined && !tokenMatches(upgradeToken(req, true), token)) {
        return rejectUpgrade(socket, 401, 'E_UNAUTHORIZED', 'a valid token is required', [
          'WWW-Authenticate: Bearer realm="wirediff"',
        ]);
      }
      wss.handleUpgrade(req, socket, head, onConnection);
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
      return { live, replaying, waitingForClient, slowConsumersCut };
    },
    close() {
      closing ??= (async () => {
        clearInterval(heartbeat);
        unsubscribe();
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
        }, 2000);
        await Promise.all(closed);
        clearTimeout(timer);
        await new Promise<void>((resolve) => wss.close(() => resolve()));
      })();
      return closing;
    },
  };
}
