/**
 * The live WebSocket hub behind `/live`: subscriptions, replay with resume, live broadcast, heartbeats, limits.
 * The protocol is described in `live-protocol.ts` (and the README, "Live stream protocol").
 *
 * - Attached to an HTTP server's `upgrade` by the caller (`handleUpgrade`); the token and the Origin allowlist are
 *   checked first, and a refusal is written on the raw socket (401/403) before any WebSocket exists.
 * - Replay then live without gap or duplicate: while a client replays, live events for it are buffered; every client
 *   has a cursor (the newest event id it was sent) and is only ever sent events with a larger id.
 * - Broadcast serializes an event once and sends the same Buffer to every subscriber (no per-client JSON).
 * - permessage-deflate is off (per-connection compression costs ~240 KB per connection and 5–30× the send time).
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import * as wsModule from 'ws';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import type { ChangeEvent } from '../core/model/event.js';
import type { ArticleId } from '../core/model/version.js';
import type { EventLog, SnapshotStore } from '../store/types.js';
import { originAllowed, requestToken, tokenMatches } from './access.js';
import {
  CLOSE_CODES,
  LIVE_PROTOCOL,
  parseClientMessage,
  serializeEvent,
  type ArticleState,
  type LiveErrorCode,
  type ServerMessage,
  type SubscribeMessage,
} from './live-protocol.js';
import { checkInt, checkOptionalString, checkOrigins } from './options.js';

export interface WsHubOptions {
  readonly log: EventLog;
  /** Used for the `state` message after a reset. */
  readonly store: SnapshotStore;
  /** When set, an upgrade must carry it (`Authorization: Bearer T` or `?token=T`), else 401. */
  readonly token?: string | undefined;
  /** When set and non-empty, a browser Origin not in the list gets 403. */
  readonly allowedOrigins?: readonly string[] | undefined;
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
}

export interface WsHub {
  /** Handles an HTTP upgrade request for the live stream (the caller has matched the path). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Sends an event to every live subscriber (done automatically for events appended to the log). */
  broadcast(e: ChangeEvent): void;
  /** Connected clients. */
  readonly clientCount: number;
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
  /** The newest event id sent (or covered by a state/replay-complete). */
  cursor: number;
  /** Live events that arrived while replaying. */
  pending: { readonly id: number; readonly data: Buffer }[];
  invalid: number;
  alive: boolean;
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

function matches(c: Client, article: ArticleId): boolean {
  return c.articles === '*' || (c.articles !== undefined && c.articles.has(article));
}

export function createWsHub(options: WsHubOptions): WsHub {
  const heartbeatMs = checkInt('heartbeatMs', options.heartbeatMs, 30_000, 10, 3_600_000);
  const maxPayload = checkInt('maxPayload', options.maxPayload, 4096, 256, 1 << 20);
  const maxBufferedBytes = checkInt('maxBufferedBytes', options.maxBufferedBytes, 1 << 20, 1024, 1 << 30);
  const maxInvalid = checkInt('maxInvalidMessages', options.maxInvalidMessages, 10, 0, 1_000_000);
  const replayBatch = checkInt('replayBatch', options.replayBatch, 200, 1, 100_000);
  const token = checkOptionalString('token', options.token);
  const allowedOrigins = checkOrigins('allowedOrigins', options.allowedOrigins);
  const { log, store } = options;

  const wss = new WebSocketServer({ noServer: true, maxPayload, perMessageDeflate: false, clientTracking: false });
  const clients = new Set<Client>();
  let closing: Promise<void> | undefined;

  const sendJson = (c: Client, m: ServerMessage): void => {
    if (c.ws.readyState === WebSocket.OPEN) c.ws.send(JSON.stringify(m));
  };

  /** Sends pre-serialized data; closes a client that is too far behind. */
  const sendData = (c: Client, data: Buffer, frame?: Buffer): void => {
    if (c.ws.readyState !== WebSocket.OPEN || c.phase === 'closing') return;
    if (c.ws.bufferedAmount > maxBufferedBytes) {
      c.phase = 'closing';
      c.pending = [];
      c.ws.close(CLOSE_CODES.slowConsumer, 'slow consumer: reconnect and resume with since');
      // The close frame waits behind the unsent data; a peer that does not read will not see it, so cut it off.
      setTimeout(() => c.ws.terminate(), SLOW_CLOSE_GRACE_MS).unref();
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
        c.pending = [];
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
      .filter((a) => matches(c, a.id))
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
        // Replay what the log holds after the cursor (also covers events appended since `bounds`).
        for (;;) {
          const batch = await log.readAfter(c.cursor, replayBatch);
          if (!stillReplaying(c)) return;
          let lastInBatch = c.cursor;
          let written: Promise<void> | undefined;
          for (const e of batch) {
            lastInBatch = e.id;
            if (!matches(c, e.article) || e.id <= c.cursor) continue;
            c.cursor = e.id;
            replayed += 1;
            // Flow control: wait for the batch's last frame to reach the socket before reading the next batch.
            written = new Promise((resolve) => c.ws.send(serializeEvent(e), () => resolve()));
          }
          // Non-matching events still advance the cursor: they will never be sent to this client.
          c.cursor = Math.max(c.cursor, lastInBatch);
          if (batch.length < replayBatch) break;
          if (written) await written;
          if (!stillReplaying(c)) return;
        }
      }
    } catch (err) {
      c.phase = 'closing';
      c.pending = [];
      sendJson(c, { type: 'error', code: 'unavailable', message: 'the event log could not be read; retry later' });
      c.ws.close(1011, 'event log unavailable');
      void err;
      return;
    }
    sendJson(c, { type: 'replay-complete', last: c.cursor, replayed });
    const pending = c.pending;
    c.pending = [];
    c.phase = 'live';
    for (const p of pending) deliver(c, p.id, p.data);
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
    const c: Client = { ws, phase: 'new', articles: undefined, cursor: 0, pending: [], invalid: 0, alive: true };
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
      c.pending = [];
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
        if (e.id <= c.cursor || !matches(c, e.article)) continue;
        if (data === undefined) {
          data = Buffer.from(serializeEvent(e));
          frame = buildFrame(data);
        }
        deliver(c, e.id, data, frame);
      } else if (c.phase === 'replaying' && matches(c, e.article)) {
        data ??= Buffer.from(serializeEvent(e));
        c.pending.push({ id: e.id, data });
      }
    }
  };

  const unsubscribe = options.followLog === false ? () => {} : log.subscribe(broadcast);

  return {
    handleUpgrade(req, socket, head) {
      if (closing) return rejectUpgrade(socket, 503, 'E_CLOSED', 'the server is shutting down');
      if (!originAllowed(req, allowedOrigins)) {
        return rejectUpgrade(socket, 403, 'E_FORBIDDEN_ORIGIN', 'this Origin is not allowed');
      }
      if (token !== undefined && !tokenMatches(requestToken(req, true), token)) {
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
