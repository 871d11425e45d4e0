/**
 * A live-stream client for the multi-edge tests: connects to an edge's /live, subscribes (optionally `since`),
 * records every event id in arrival order, and lets a test wait for a condition (no timed waits).
 */
import { WebSocket } from 'ws';

export interface LiveClient {
  /** Event ids in arrival order. */
  readonly ids: number[];
  /** The events' article and version, in arrival order. */
  readonly events: { id: number; article: string; version: number }[];
  /** Every message, parsed. */
  readonly messages: { type: string; id?: number; last?: number }[];
  /** The highest id received. */
  readonly last: number;
  /** Resolves once `pred` holds (checked after each message and when the socket closes). */
  until(pred: () => boolean): Promise<void>;
  /** Resolves once the socket has closed. */
  readonly closed: Promise<void>;
  close(): void;
}

export function liveUrl(httpUrl: string): string {
  return `${httpUrl.replace(/^http/, 'ws')}/live`;
}

export async function connectLive(httpUrl: string, since?: number): Promise<LiveClient> {
  const ws = new WebSocket(liveUrl(httpUrl));
  const ids: number[] = [];
  const events: { id: number; article: string; version: number }[] = [];
  const messages: { type: string; id?: number; last?: number }[] = [];
  const waiters = new Set<{ pred: () => boolean; resolve: () => void }>();
  const check = (): void => {
    for (const w of [...waiters]) {
      if (w.pred()) {
        waiters.delete(w);
        w.resolve();
      }
    }
  };
  let isClosed = false;
  const closed = new Promise<void>((resolve) =>
    ws.on('close', () => {
      isClosed = true;
      check();
      resolve();
    }),
  );
  ws.on('error', () => undefined);
  ws.on('message', (data) => {
    const m = JSON.parse(Buffer.from(data as Buffer).toString('utf8')) as {
      type: string;
      id?: number;
      last?: number;
      article?: string;
      version?: number;
    };
    messages.push(m);
    if (m.type === 'hello') {
      ws.send(
        JSON.stringify(
          since === undefined ? { type: 'subscribe', articles: '*' } : { type: 'subscribe', articles: '*', since },
        ),
      );
    }
    if (m.type === 'event' && m.id !== undefined) {
      ids.push(m.id);
      events.push({ id: m.id, article: m.article ?? '', version: m.version ?? 0 });
    }
    check();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  // Subscribed once the server says the replay is complete.
  await new Promise<void>((resolve) => {
    const w = { pred: () => messages.some((m) => m.type === 'replay-complete') || isClosed, resolve };
    waiters.add(w);
    check();
  });
  return {
    ids,
    events,
    messages,
    get last() {
      return ids.length === 0 ? (since ?? 0) : ids[ids.length - 1]!;
    },
    until(pred) {
      return new Promise<void>((resolve) => {
        const w = { pred: () => pred() || isClosed, resolve };
        waiters.add(w);
        check();
      });
    },
    closed,
    close() {
      ws.close();
    },
  };
}
