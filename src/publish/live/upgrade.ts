/**
 * The handshake of the live stream: the checks an HTTP upgrade must pass before any WebSocket exists, and the
 * WebSocket server that completes it.
 *
 * - In this order: 503 while shutting down, 403 for a browser Origin that is not allowed, 401 without the token (when
 *   one is set). A refusal is a small JSON body written on the raw socket, which is then closed.
 * - The subprotocol answered is `wirediff.live.1` when offered; a token carried as a `wirediff.bearer.…` subprotocol
 *   is never echoed back.
 * - permessage-deflate is off (per-connection compression costs ~240 KB per connection and 5–30× the send time).
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { BEARER_SUBPROTOCOL_PREFIX, originAllowed, tokenMatches, upgradeToken } from '../../lib/access.js';
import { LIVE_SUBPROTOCOL } from './live-protocol.js';

export interface UpgradeOptions {
  /** When set, an upgrade must carry it (Authorization, bearer subprotocol or `?token=`), else 401. */
  readonly token: string | undefined;
  /** When set and non-empty, a browser Origin neither in the list nor the server's own gets 403. */
  readonly allowedOrigins: readonly string[] | undefined;
  /** The server's public origins, always allowed. */
  readonly ownOrigins: readonly string[];
  /** Largest client message in bytes (larger closes with 1009). */
  readonly maxPayload: number;
}

export interface Upgrader {
  /** Checks the upgrade and either refuses it or completes the handshake and hands the socket to `onConnection`. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, onConnection: (ws: WebSocket) => void): void;
  /** From now on every upgrade is refused with 503. */
  stop(): void;
  /** Closes the WebSocket server (after `stop`; the sockets it handed over are the caller's to close). */
  close(): Promise<void>;
}

/** The subprotocol to answer: the live one when offered, else the first offered that does not carry a token. */
export function chooseSubprotocol(offered: ReadonlySet<string>): string | false {
  return offered.has(LIVE_SUBPROTOCOL)
    ? LIVE_SUBPROTOCOL
    : ([...offered].find((p) => !p.startsWith(BEARER_SUBPROTOCOL_PREFIX)) ?? false);
}

/** Answers an upgrade with an HTTP error (a JSON `{error:{code,message}}` body) and closes the socket. */
export function rejectUpgrade(
  socket: Duplex,
  status: number,
  code: string,
  message: string,
  extra: string[] = [],
): void {
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

export function createUpgrader(options: UpgradeOptions): Upgrader {
  const { token, allowedOrigins, ownOrigins } = options;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxPayload,
    perMessageDeflate: false,
    clientTracking: false,
    handleProtocols: chooseSubprotocol,
  });
  let stopped = false;
  return {
    upgrade(req, socket, head, onConnection) {
      if (stopped) return rejectUpgrade(socket, 503, 'E_CLOSED', 'the server is shutting down');
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
    stop() {
      stopped = true;
    },
    close() {
      return new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
