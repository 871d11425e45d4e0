/**
 * The live stream protocol spoken on `/live` (a public, versioned format: `wirediff.live/1`).
 *
 * Every message is one JSON object in one text frame, with a `type`.
 *
 * Client → server:
 * - `{"type":"subscribe","articles":"*"|["id",…],"since"?:N,"kinds"?:["new-top",…]|"*","minSignificance"?:X}` — once
 *   per connection. `since` is the last event id the client saw; the server replays every retained event with a larger
 *   id that passes the filter (in order), then streams live. `kinds` lists the kinds wanted (an event passes when its
 *   kind or one of its facets is listed; `"*"` is every kind); without it every kind but the quiet ones
 *   (timestamp-only, minor) is sent. `minSignificance` (0 … 1) leaves out smaller changes. The cursor moves past events
 *   the filter leaves out, so a resume with the same filter is gap-free for what it lets through.
 * - `{"type":"ping"}` — an application-level ping; answered with `{"type":"pong"}` (WebSocket pings are sent anyway).
 *
 * Server → client:
 * - `hello` — sent on connect: the protocol name and the limits.
 * - `event` — a ChangeEvent (`id`, `article`, `version`, `kind`, `summary`, `changes`…) with `type: "event"`.
 * - `reset` — `since` is outside the retained history: the missed events cannot be replayed. A `state` message follows.
 * - `state` — the current state: the latest version of every subscribed article.
 * - `replay-complete` — everything up to `last` was sent; what follows is live. `last` is the client's new cursor.
 * - `pong`, `error` (`code`, `message`).
 *
 * Close codes: 1001 server shutting down, 1008 repeated invalid messages, 1009 message too big,
 * 1013 slow consumer (resume with `since`).
 */
import type { ChangeKind } from '../../core/model/changeset.js';
import type { ChangeEvent } from '../../core/model/event.js';
import { isArticleId, type ArticleId } from '../../core/model/version.js';
import { FILTER_KINDS, isFilterProblem, makeFilter, type ChangeFilter } from '../change-filter.js';

export const LIVE_PROTOCOL = 'wirediff.live/1' as const;
/** The WebSocket subprotocol name of this protocol, for clients that offer subprotocols (e.g. to carry a token). */
export const LIVE_SUBPROTOCOL = 'wirediff.live.1' as const;

/** Close codes the server uses. */
export const CLOSE_CODES = {
  goingAway: 1001,
  policyViolation: 1008,
  messageTooBig: 1009,
  slowConsumer: 1013,
} as const;

/** At most this many article ids in one subscribe. */
export const MAX_SUBSCRIBE_ARTICLES = 100;

// ---------------------------------------------------------------- client → server

export interface SubscribeMessage {
  readonly type: 'subscribe';
  readonly articles: '*' | readonly ArticleId[];
  readonly since?: number;
  /** Which changes are sent (kinds and a minimum significance); the default leaves out the quiet kinds. */
  readonly filter: ChangeFilter;
}

export interface PingMessage {
  readonly type: 'ping';
}

export type ClientMessage = SubscribeMessage | PingMessage;

// ---------------------------------------------------------------- server → client

export interface HelloMessage {
  readonly type: 'hello';
  readonly protocol: typeof LIVE_PROTOCOL;
  /** Largest client message in bytes. */
  readonly maxPayload: number;
  readonly heartbeatMs: number;
}

export type EventMessage = { readonly type: 'event' } & ChangeEvent;

export interface ResetMessage {
  readonly type: 'reset';
  readonly reason: 'since-before-history' | 'since-after-last';
  /** The `since` the client sent. */
  readonly since: number;
  readonly first: number;
  readonly last: number;
}

export interface ArticleState {
  readonly article: ArticleId;
  readonly version: number;
  readonly title: string;
  readonly kind: ChangeKind;
  readonly summary: string;
  /** ISO 8601 time of the latest change. */
  readonly at: string;
}

export interface StateMessage {
  readonly type: 'state';
  /** The event id this state is current as of; events with a larger id follow. */
  readonly last: number;
  readonly articles: readonly ArticleState[];
}

export interface ReplayCompleteMessage {
  readonly type: 'replay-complete';
  /** The newest event id sent or covered so far (the client's cursor for a later `since`). */
  readonly last: number;
  /** How many events were replayed. */
  readonly replayed: number;
}

export interface PongMessage {
  readonly type: 'pong';
}

export type LiveErrorCode =
  'bad-json' | 'bad-message' | 'unknown-type' | 'binary-unsupported' | 'already-subscribed' | 'unavailable';

export interface ErrorMessage {
  readonly type: 'error';
  readonly code: LiveErrorCode;
  readonly message: string;
}

export type ServerMessage =
  HelloMessage | EventMessage | ResetMessage | StateMessage | ReplayCompleteMessage | PongMessage | ErrorMessage;

// ---------------------------------------------------------------- validation

export type ParseResult =
  | { readonly ok: true; readonly message: ClientMessage }
  | { readonly ok: false; readonly code: LiveErrorCode; readonly message: string };

function fail(code: LiveErrorCode, message: string): ParseResult {
  return { ok: false, code, message };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Validates a client message (already decoded to text). Never throws. */
export function parseClientMessage(text: string): ParseResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return fail('bad-json', 'the message is not valid JSON');
  }
  if (!isRecord(data)) return fail('bad-message', 'a message is a JSON object with a "type"');
  const type = data.type;
  if (type === 'ping') return { ok: true, message: { type: 'ping' } };
  if (type !== 'subscribe') {
    return fail('unknown-type', `unknown message type; expected "subscribe" or "ping"`);
  }
  for (const key of Object.keys(data)) {
    if (!SUBSCRIBE_FIELDS.includes(key)) {
      return fail(
        'bad-message',
        `subscribe: unknown field "${key.slice(0, 40)}"; the fields are ${SUBSCRIBE_FIELDS.join(', ')}`,
      );
    }
  }
  const articles = data.articles;
  let list: '*' | ArticleId[];
  if (articles === '*') {
    list = '*';
  } else if (Array.isArray(articles)) {
    if (articles.length === 0 || articles.length > MAX_SUBSCRIBE_ARTICLES) {
      return fail('bad-message', `subscribe: "articles" must list 1 to ${MAX_SUBSCRIBE_ARTICLES} ids`);
    }
    for (const a of articles) {
      if (!isArticleId(a)) return fail('bad-message', 'subscribe: "articles" holds an invalid article id');
    }
    list = [...new Set(articles as ArticleId[])];
  } else {
    return fail('bad-message', 'subscribe: "articles" must be "*" or an array of article ids');
  }
  const since = data.since;
  if (since !== undefined && (typeof since !== 'number' || !Number.isSafeInteger(since) || since < 0)) {
    return fail('bad-message', 'subscribe: "since" must be a non-negative integer event id');
  }
  const filter = parseFilter(data.kinds, data.minSignificance);
  if (typeof filter === 'string') return fail('bad-message', filter);
  return {
    ok: true,
    message:
      since === undefined
        ? { type: 'subscribe', articles: list, filter }
        : { type: 'subscribe', articles: list, since, filter },
  };
}

const SUBSCRIBE_FIELDS: readonly string[] = ['type', 'articles', 'since', 'kinds', 'minSignificance'];

/** The filter of a subscribe message, or what is wrong with it. */
function parseFilter(kinds: unknown, minSignificance: unknown): ChangeFilter | string {
  let names: readonly string[] | null = null;
  if (kinds === '*') names = FILTER_KINDS;
  else if (Array.isArray(kinds) && kinds.length <= FILTER_KINDS.length && kinds.every((k) => typeof k === 'string')) {
    names = kinds;
  } else if (kinds !== undefined) {
    return `subscribe: "kinds" must be "*" or an array of kind names (${FILTER_KINDS.join(', ')})`;
  }
  if (minSignificance !== undefined && typeof minSignificance !== 'number') {
    return 'subscribe: "minSignificance" must be a number from 0 to 1';
  }
  const filter = makeFilter(names, minSignificance);
  if (!isFilterProblem(filter)) return filter;
  const field = filter.param === 'min' ? 'minSignificance' : filter.param;
  return `subscribe: "${field}" is wrong: ${filter.allowed.replace(/^a comma-separated list/, 'a list')}; received ${filter.received.slice(0, 100)}`;
}

/** The wire form of an event (serialized once per broadcast). */
export function serializeEvent(e: ChangeEvent): string {
  return JSON.stringify({ type: 'event', ...e });
}
