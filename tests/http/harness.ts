/**
 * Test harness for the publish and server tests: a real file store in a temp folder, the real ingest pipeline,
 * the feed writer and a real server on port 0; and a small `ws` client that collects messages.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach } from 'vitest';
import { WebSocket, type ClientOptions } from 'ws';
import type { ServerMessage } from '../../src/publish/live/live-protocol.js';
import { createFeedWriter, type FeedWriter, type FeedWriterOptions } from '../../src/publish/rss/feed-writer.js';
import { createWsHub, type WsHub, type WsHubOptions } from '../../src/publish/live/hub.js';
import { startServer, type RunningServer, type ServerOptions } from '../../src/http/server.js';
import { openFileStore, type FileStore } from '../../src/store/open.js';
import type { IngestOutcome } from '../../src/ingest/ingest.js';
import { clockedIngest } from '../support/ingest.js';

export const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures');

export async function fixture(name: string): Promise<string> {
  return fs.readFile(path.join(FIXTURES, name), 'utf8');
}

export interface Harness {
  readonly dir: string;
  readonly fileStore: FileStore;
  readonly feeds: FeedWriter;
  readonly server: TestServer;
  /** Stores a version of `article` through the real ingest pipeline. */
  add(article: string, text: string, contentType?: string): Promise<IngestOutcome>;
  close(): Promise<void>;
}

/** The running server and the live hub the harness gave it. */
export type TestServer = RunningServer & { readonly hub: WsHub };

export interface HarnessOptions extends Partial<Omit<ServerOptions, 'store' | 'log' | 'feeds' | 'live'>> {
  /** Browser origins allowed to open `/live` (none: all). */
  readonly allowedOrigins?: readonly string[];
  /** Whether `/live` requires the token too. Default true when a token is set. */
  readonly liveRequiresToken?: boolean;
  /** Live hub settings. */
  readonly live?: Omit<WsHubOptions, 'log' | 'store' | 'token' | 'allowedOrigins'>;
  readonly retainEvents?: number;
  readonly maxItems?: number;
  /** Named feeds for the feed writer. */
  readonly named?: FeedWriterOptions['named'];
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wirediff-publish-'));
  const fileStore = await openFileStore({
    dir: path.join(dir, 'snapshots'),
    ...(options.retainEvents !== undefined ? { retainEvents: options.retainEvents } : {}),
  });
  const { store, log } = fileStore;
  let base = 'http://localhost';
  const feeds = createFeedWriter({
    store,
    log,
    dir: path.join(dir, 'feeds'),
    baseUrl: () => base,
    ...(options.maxItems !== undefined ? { maxItems: options.maxItems } : {}),
    ...(options.named !== undefined ? { named: options.named } : {}),
  });
  const ingest = clockedIngest(store);
  const {
    retainEvents: _r,
    maxItems: _m,
    named: _n,
    allowedOrigins,
    liveRequiresToken,
    live,
    ...serverOptions
  } = options;
  // Built the way the app builds it: the server knows the hub only as its live endpoint.
  const hub = createWsHub({
    ...live,
    log,
    store,
    token: liveRequiresToken === false ? undefined : options.token,
    allowedOrigins,
  });
  const running = await startServer({ ingest, ...serverOptions, store, log, feeds, live: hub });
  const server: TestServer = Object.assign(running, { hub });
  base = server.url;
  await feeds.start();
  let closing: Promise<void> | undefined;
  return {
    dir,
    fileStore,
    feeds,
    server,
    add: (article, text, contentType = 'text/plain; charset=utf-8') =>
      ingest(article, new TextEncoder().encode(text), contentType),
    close() {
      closing ??= (async () => {
        await server.close();
        await feeds.close();
        await fileStore.close();
        await fs.rm(dir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}

/** Registers an afterEach that closes every harness the returned function started during the test. */
export function harnessEach(): (options?: HarnessOptions) => Promise<Harness> {
  const open: Harness[] = [];
  afterEach(async () => {
    for (const h of open.splice(0)) await h.close();
  });
  return async (options = {}) => {
    const h = await startHarness(options);
    open.push(h);
    return h;
  };
}

/** A live-stream client that queues every message and close. */
export class LiveClient {
  readonly ws: WebSocket;
  readonly messages: ServerMessage[] = [];
  closed: { code: number; reason: string } | undefined;
  private waiters: (() => void)[] = [];

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data) => {
      const text = Array.isArray(data)
        ? Buffer.concat(data).toString('utf8')
        : Buffer.from(data as ArrayBuffer).toString('utf8');
      this.messages.push(JSON.parse(text) as ServerMessage);
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: String(reason) };
      this.wake();
    });
  }

  static connect(url: string, options: ClientOptions = {}): Promise<LiveClient> {
    const ws = new WebSocket(url, options);
    const client = new LiveClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Waits until `predicate` holds over the messages received so far (or the socket closes). */
  async until(predicate: (messages: readonly ServerMessage[]) => boolean): Promise<void> {
    while (!predicate(this.messages)) {
      if (this.closed) throw new Error(`closed (${this.closed.code} ${this.closed.reason}) while waiting`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Waits for a message of a type and returns it. */
  async next<T extends ServerMessage['type']>(type: T, after = 0): Promise<Extract<ServerMessage, { type: T }>> {
    let found: ServerMessage | undefined;
    await this.until((ms) => {
      found = ms.slice(after).find((m) => m.type === type);
      return found !== undefined;
    });
    return found as Extract<ServerMessage, { type: T }>;
  }

  async waitClosed(): Promise<{ code: number; reason: string }> {
    while (!this.closed) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.closed;
  }

  events() {
    return this.messages.filter((m) => m.type === 'event');
  }

  send(value: unknown): void {
    this.ws.send(typeof value === 'string' ? value : JSON.stringify(value));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.ws.close();
    await this.waitClosed();
  }
}

export function liveUrl(server: RunningServer, query = ''): string {
  return `${server.url.replace(/^http/, 'ws')}/live${query}`;
}

/**
 * Opens a WebSocket to `url` and says how the upgrade was answered: 101 (and the subprotocol the server chose) or the
 * HTTP status of the refusal. The socket is closed either way.
 */
export function upgradeStatus(
  url: string,
  options: { readonly headers?: Record<string, string>; readonly protocols?: string[] } = {},
): Promise<{ status: number; protocol: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options.protocols ?? [], { headers: options.headers ?? {} });
    ws.on('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0, protocol: '' });
      res.resume();
      ws.terminate();
    });
    ws.on('open', () => {
      resolve({ status: 101, protocol: ws.protocol });
      ws.close();
    });
    ws.on('error', (err) => {
      if (!String(err.message).includes('Unexpected server response')) reject(err);
    });
  });
}
