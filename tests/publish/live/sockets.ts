/** Real WebSocket pairs for the live hub's parts: an HTTP server on port 0 whose upgrades become server-side sockets. */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ChangeEvent } from '../../../src/core/model/event.js';
import { LiveClient } from '../../http/harness.js';

export interface SocketServer {
  readonly url: string;
  /** Connects a client; resolves with it and the server-side socket `onSocket` was given. */
  pair(query?: string): Promise<{ client: LiveClient; server: WebSocket }>;
  close(): Promise<void>;
}

type UpgradeHandler = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * Starts an HTTP server on 127.0.0.1:0. Its upgrades go to `handle` when given, else to a plain ws server; every
 * server-side socket is passed to `onSocket` (in the same tick as the handshake completes) and to `pair`.
 */
export async function startSocketServer(
  onSocket: (ws: WebSocket) => void = () => undefined,
  handle?: (req: http.IncomingMessage, socket: Duplex, head: Buffer, done: (ws: WebSocket) => void) => void,
): Promise<SocketServer> {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, clientTracking: false });
  const accepted: WebSocket[] = [];
  const waiting: ((ws: WebSocket) => void)[] = [];
  const sockets = new Set<Duplex>();
  const done = (ws: WebSocket): void => {
    onSocket(ws);
    const w = waiting.shift();
    if (w) w(ws);
    else accepted.push(ws);
  };
  const upgrade: UpgradeHandler = (req, socket, head) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    if (handle) handle(req, socket, head, done);
    else wss.handleUpgrade(req, socket, head, done);
  };
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', upgrade);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients: LiveClient[] = [];
  return {
    url,
    async pair(query = '') {
      const server = new Promise<WebSocket>((resolve) => {
        const ws = accepted.shift();
        if (ws) resolve(ws);
        else waiting.push(resolve);
      });
      const client = await LiveClient.connect(`${url}/live${query}`);
      clients.push(client);
      return { client, server: await server };
    },
    async close() {
      for (const c of clients) c.ws.terminate();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** A logger that keeps what it is told. */
export function recordingLogger(): {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
  readonly lines: { level: 'warn' | 'error'; fields: object; message: string }[];
} {
  const lines: { level: 'warn' | 'error'; fields: object; message: string }[] = [];
  return {
    lines,
    warn: (fields, message) => void lines.push({ level: 'warn', fields, message }),
    error: (fields, message) => void lines.push({ level: 'error', fields, message }),
  };
}

/** A stored-looking event (for broadcasts that do not go through a log). */
export function liveEvent(id: number, over: Partial<ChangeEvent> = {}): ChangeEvent {
  return {
    schema: 'wirediff.event/1',
    id,
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, id)).toISOString(),
    article: 'story',
    version: id,
    title: 't',
    kind: 'update',
    summary: `change ${id}`,
    significance: 0.5,
    changes: null,
    ...over,
  };
}
