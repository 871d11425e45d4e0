/**
 * One live connection: its state (phase, subscription, cursor, strikes, heartbeat answer) and the messages it sends
 * and receives on its own. Replay (`replay.ts`) and broadcast (`broadcast.ts`) read and move the same state; the hub
 * (`hub.ts`) owns the set of clients.
 *
 * On connect the client is sent `hello`. A message from the peer is decoded and validated (`live-protocol.ts`): a
 * `ping` gets a `pong`, the first `subscribe` is handed to `onSubscribe`, anything else gets an `error` and counts as a
 * strike; the strike after `maxInvalid` closes the connection with 1008.
 */
import { WebSocket, type RawData } from 'ws';
import type { ChangeEvent } from '../../core/model/event.js';
import type { ArticleId } from '../../core/model/version.js';
import { matchesFilter, type ChangeFilter } from '../change-filter.js';
import {
  CLOSE_CODES,
  parseClientMessage,
  type HelloMessage,
  type LiveErrorCode,
  type ServerMessage,
  type SubscribeMessage,
} from './live-protocol.js';

/** The logging the hub needs; a pino logger is one. */
export interface HubLogger {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** `new` until it subscribes; `closing` once it must be sent nothing more (cut off, refused, or its socket closed). */
export type Phase = 'new' | 'replaying' | 'live' | 'closing';

export interface Client {
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
  /** False once a heartbeat ping went out, true again when its pong comes back. */
  alive: boolean;
  /** Resolves when the socket has closed. */
  readonly gone: Promise<void>;
}

export interface ClientOptions {
  /** Invalid messages tolerated; the next one closes with 1008. */
  readonly maxInvalid: number;
  /** The `hello` sent on connect. */
  readonly hello: HelloMessage;
  /** The connection's one subscribe (called once; the client's phase is still `new`). */
  readonly onSubscribe: (c: Client, m: SubscribeMessage) => void;
  /** The socket closed (the client is `closing` by then). */
  readonly onClose: (c: Client) => void;
}

/** Wraps a freshly upgraded socket: listens to it and sends `hello`. */
export function openClient(ws: WebSocket, options: ClientOptions): Client {
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
  ws.on('message', (data, isBinary) => onMessage(c, data, isBinary, options));
  ws.on('pong', () => {
    c.alive = true;
  });
  ws.on('error', () => {
    // 'close' follows; errors here are protocol violations by the peer (bad frames, too big) already answered by ws.
  });
  ws.on('close', () => {
    c.phase = 'closing';
    options.onClose(c);
  });
  sendJson(c, options.hello);
  return c;
}

function onMessage(c: Client, raw: RawData, isBinary: boolean, options: ClientOptions): void {
  if (c.phase === 'closing') return;
  if (isBinary) return sendError(c, 'binary-unsupported', 'messages are JSON text frames', options.maxInvalid);
  const text = Array.isArray(raw)
    ? Buffer.concat(raw).toString('utf8')
    : Buffer.from(raw as ArrayBuffer).toString('utf8');
  const parsed = parseClientMessage(text);
  if (!parsed.ok) return sendError(c, parsed.code, parsed.message, options.maxInvalid);
  const m = parsed.message;
  if (m.type === 'ping') return sendJson(c, { type: 'pong' });
  if (c.phase !== 'new') {
    return sendError(
      c,
      'already-subscribed',
      'one subscribe per connection; reconnect to change it',
      options.maxInvalid,
    );
  }
  options.onSubscribe(c, m);
}

/** Sends an `error` for an invalid message and counts the strike; the strike after `maxInvalid` closes with 1008. */
function sendError(c: Client, code: LiveErrorCode, message: string, maxInvalid: number): void {
  c.invalid += 1;
  if (c.invalid > maxInvalid) {
    c.phase = 'closing';
    c.ws.close(CLOSE_CODES.policyViolation, 'too many invalid messages');
    return;
  }
  sendJson(c, { type: 'error', code, message });
}

/** Sends a protocol message when the socket is open (a closed client is sent nothing). */
export function sendJson(c: Client, m: ServerMessage): void {
  if (c.ws.readyState === WebSocket.OPEN) c.ws.send(JSON.stringify(m));
}

/** Whether a replay to `c` may go on: it is still replaying and its socket is open. */
export function stillReplaying(c: Client): boolean {
  return c.phase === 'replaying' && c.ws.readyState === WebSocket.OPEN;
}

export function matchesArticle(c: Client, article: ArticleId): boolean {
  return c.articles === '*' || (c.articles !== undefined && c.articles.has(article));
}

/** Whether the client subscribed to this event: its article, and its filter (kinds, significance). */
export function matches(c: Client, e: ChangeEvent): boolean {
  return matchesArticle(c, e.article) && c.filter !== undefined && matchesFilter(e, c.filter);
}
