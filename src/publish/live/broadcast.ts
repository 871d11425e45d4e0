/**
 * Live fan-out: every published event goes to the live clients whose subscription it matches, and marks the replaying
 * ones (the replay reads on until it has it, `replay.ts`).
 *
 * - An event is serialized once, and its frame built once, for all the clients it goes to (no per-client JSON).
 * - A client is only ever sent events with a larger id than its cursor (no duplicate after its replay).
 * - Slow consumer: a live client whose unsent data passed `maxBufferedBytes` is cut off at once: it gets nothing more
 *   (its phase is `closing`), a 1013 close is queued, and its socket is destroyed after a short grace (the close frame
 *   waits behind the unsent data, so a peer that does not read would never see it).
 */
import * as wsModule from 'ws';
import { WebSocket } from 'ws';
import type { ChangeEvent } from '../../core/model/event.js';
import { CLOSE_CODES, serializeEvent } from './live-protocol.js';
import { matches, type Client, type HubLogger } from './client.js';

/** How long a slow consumer gets to read its close frame before its socket is destroyed. */
export const SLOW_CLOSE_GRACE_MS = 1000;

export interface BroadcasterOptions {
  /** The connected clients (the hub's set; read on every broadcast). */
  readonly clients: ReadonlySet<Client>;
  /** A live client whose unsent data exceeds this is cut off. */
  readonly maxBufferedBytes: number;
  readonly logger?: HubLogger | undefined;
}

export interface Broadcaster {
  /** Sends `e` to every live client it matches; notes it on every replaying client. */
  broadcast(e: ChangeEvent): void;
  /** Clients cut off so far because their send buffer passed the cap. */
  readonly slowConsumersCut: number;
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

export function buildFrame(data: Buffer): Buffer | undefined {
  if (typeof SenderClass?.frame !== 'function') return undefined;
  return Buffer.concat(SenderClass.frame(data, { fin: true, rsv1: false, opcode: 1, mask: false, readOnly: false }));
}

/**
 * Sends a pre-built frame through the socket's own sender when it is idle (no compression or queued blob; deflate is
 * off here), which is exactly what `ws.send(data)` ends up doing minus the per-client framing; otherwise `ws.send`.
 */
export function sendPrebuilt(ws: WebSocket, frame: Buffer | undefined, data: Buffer): void {
  const sender = (ws as unknown as { _sender?: SenderInternals })._sender;
  if (frame !== undefined && sender?._state === 0 && typeof sender.sendFrame === 'function') {
    sender.sendFrame([frame]);
  } else {
    ws.send(data, { binary: false });
  }
}

export function createBroadcaster(options: BroadcasterOptions): Broadcaster {
  const { clients, maxBufferedBytes, logger } = options;
  let slowConsumersCut = 0;

  const cutOff = (c: Client): void => {
    c.phase = 'closing';
    slowConsumersCut += 1;
    logger?.warn(
      { buffered: c.ws.bufferedAmount, maxBufferedBytes, cursor: c.cursor },
      'live client cut off: it did not read its events (slow consumer; it can resume with since)',
    );
    c.ws.close(CLOSE_CODES.slowConsumer, 'slow consumer: reconnect and resume with since');
    setTimeout(() => c.ws.terminate(), SLOW_CLOSE_GRACE_MS).unref();
  };

  /** Moves the cursor and sends the pre-serialized event, or cuts off a client that is too far behind. */
  const deliver = (c: Client, id: number, data: Buffer, frame: Buffer | undefined): void => {
    if (id <= c.cursor) return;
    c.cursor = id;
    if (c.ws.readyState !== WebSocket.OPEN || c.phase === 'closing') return;
    if (c.ws.bufferedAmount > maxBufferedBytes) {
      cutOff(c);
      return;
    }
    sendPrebuilt(c.ws, frame, data);
  };

  return {
    broadcast(e) {
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
    },
    get slowConsumersCut() {
      return slowConsumersCut;
    },
  };
}
