/**
 * The replay of a subscribe: what the client missed, from the log, then the switch to live without gap or duplicate.
 *
 * - A replaying client holds no queue of live events: the log has them. The replay reads on until it has every event
 *   published so far (the broadcast notes the newest live id on the client, `seenLive`), then switches the client to
 *   live in the same tick as its last read, so the next broadcast finds it live.
 * - A `since` outside the retained history (before the first retained event, or after the last) gets `reset`, then
 *   `state` (the latest version of every subscribed article), then the events from now on.
 * - Paced: when the client's send buffer is above half of `maxBufferedBytes` the replay waits for the client to read
 *   (or leave); a client that reads is never cut off.
 * - A log that cannot be read ends the connection: `error` (`unavailable`), then close 1011.
 */
import type { EventLog, SnapshotStore } from '../../store/types.js';
import { serializeEvent, type ArticleState, type SubscribeMessage } from './live-protocol.js';
import { matches, matchesArticle, sendJson, stillReplaying, type Client, type HubLogger } from './client.js';

export interface ReplayOptions {
  readonly log: EventLog;
  /** Used for the `state` message after a reset. */
  readonly store: SnapshotStore;
  /** Events read from the log per step. */
  readonly batch: number;
  /** The replay waits while the client's send buffer is above this (half of `maxBufferedBytes`). */
  readonly highWater: number;
  readonly logger?: HubLogger | undefined;
}

/** Subscribes `c` as `m` asks and replays to it; resolves once it is live, or gone. */
export type Replay = (c: Client, m: SubscribeMessage) => Promise<void>;

export function createReplay(options: ReplayOptions): Replay {
  const { log, store, batch: replayBatch, highWater } = options;

  /**
   * Sends one replayed event. When the client's buffer is above the high water, waits until it has read it all (the
   * send callback fires once this frame, and so every one before it, is handed to the kernel) or is gone. False when
   * the replay must stop.
   */
  const sendPaced = async (c: Client, data: string): Promise<boolean> => {
    if (!stillReplaying(c)) return false;
    const flushed = new Promise<void>((resolve) => c.ws.send(data, () => resolve()));
    if (c.ws.bufferedAmount > highWater) {
      c.waiting = true;
      await Promise.race([flushed, c.gone]);
      c.waiting = false;
    }
    return stillReplaying(c);
  };

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

  /** Places the cursor where the replay starts (sending `reset` and `state` when `since` cannot be replayed from). */
  const start = async (c: Client, since: number | undefined): Promise<boolean> => {
    const { first, last } = await log.bounds();
    if (!stillReplaying(c)) return false;
    if (since === undefined) {
      c.cursor = Math.max(c.cursor, last);
      return true;
    }
    // Events since+1 … last were missed; the log retains first … last.
    const gap = first > 0 && since + 1 < first;
    const ahead = since > last;
    if (!gap && !ahead) {
      c.cursor = since;
      return true;
    }
    sendJson(c, { type: 'reset', reason: gap ? 'since-before-history' : 'since-after-last', since, first, last });
    const articles = await currentState(c);
    if (!stillReplaying(c)) return false;
    c.cursor = Math.max(c.cursor, last);
    sendJson(c, { type: 'state', last, articles });
    return true;
  };

  /**
   * Replays what the log holds after the cursor, then whatever was published while replaying: every event a
   * subscriber is told of is already readable, so reading on until the cursor reaches the newest id seen leaves no
   * gap. Without `since` only the events published since `bounds` are read. Once caught up, switches the client to
   * live and sends `replay-complete` with no await since the last check, so the next broadcast finds it live and
   * nothing live is sent before `replay-complete`.
   */
  const readUntilCaughtUp = async (c: Client): Promise<void> => {
    let replayed = 0;
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
    c.phase = 'live';
    sendJson(c, { type: 'replay-complete', last: c.cursor, replayed });
  };

  return async (c, m) => {
    c.articles = m.articles === '*' ? '*' : new Set(m.articles);
    c.filter = m.filter;
    c.phase = 'replaying';
    try {
      if (await start(c, m.since)) await readUntilCaughtUp(c);
    } catch (err) {
      c.phase = 'closing';
      options.logger?.error({ err }, 'live replay failed: the event log could not be read');
      sendJson(c, { type: 'error', code: 'unavailable', message: 'the event log could not be read; retry later' });
      c.ws.close(1011, 'event log unavailable');
    }
  };
}
