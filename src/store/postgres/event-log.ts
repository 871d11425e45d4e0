/** `EventLog` on PostgreSQL: appends through events.ts, reads by id, and follows other processes' commits (tail.ts). */
import { WirediffError } from '../../core/errors.js';
import type { ChangeEvent, NewChangeEvent } from '../../core/model/event.js';
import type { ArticleId } from '../../core/model/version.js';
import type { EventLog } from '../types.js';
import { checkArticleId, checkInteger, checkNewEvent } from '../file/input-checks.js';
import type { PgDb } from './db.js';
import { decodeEventRow, insertEvent } from './events.js';
import { EventTail } from './tail.js';

async function decodeAll(rows: readonly { id: string; body: Buffer }[]): Promise<ChangeEvent[]> {
  const out: ChangeEvent[] = [];
  for (const row of rows) out.push(await decodeEventRow(row));
  return out;
}

export class PgEventLog implements EventLog {
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly db: PgDb,
    readonly tail: EventTail,
  ) {}

  static async open(db: PgDb): Promise<PgEventLog> {
    const rows = await db.query<{ last: string | null }>('EventLog.open', 'select max(id) as last from events');
    return new PgEventLog(db, new EventTail(db, Number(rows[0]?.last ?? 0)));
  }

  /**
   * Appends `e` (one event per article version: an event already stored for the same version is returned as it is,
   * so two watchers repairing the same crash publish it once). Resolves once durable and handed to the listeners.
   */
  async append(e: NewChangeEvent): Promise<ChangeEvent> {
    this.db.checkOpen('EventLog.append');
    checkNewEvent(e, 'EventLog.append');
    const event = await this.db.tx('EventLog.append', (client) =>
      insertEvent(client, this.db.channel, e, { ifAbsent: true }),
    );
    await this.tail.reach(event.id);
    return event;
  }

  async readAfter(afterId: number, limit?: number): Promise<ChangeEvent[]> {
    this.db.checkOpen('EventLog.readAfter');
    checkInteger('afterId', afterId, 0, 'EventLog.readAfter');
    if (limit !== undefined) checkInteger('limit', limit, 0, 'EventLog.readAfter');
    if (limit === 0) return [];
    const rows = await this.db.query<{ id: string; body: Buffer }>(
      'EventLog.readAfter',
      `select id, body from events where id > $1 order by id ${limit === undefined ? '' : 'limit $2'}`,
      limit === undefined ? [afterId] : [afterId, limit],
    );
    return decodeAll(rows);
  }

  async readLatest(limit: number, article?: ArticleId): Promise<ChangeEvent[]> {
    this.db.checkOpen('EventLog.readLatest');
    checkInteger('limit', limit, 0, 'EventLog.readLatest');
    if (article !== undefined) checkArticleId(article, 'EventLog.readLatest');
    if (limit === 0) return [];
    const rows = await this.db.query<{ id: string; body: Buffer }>(
      'EventLog.readLatest',
      article === undefined
        ? 'select id, body from events order by id desc limit $1'
        : 'select id, body from events where article = $2 order by id desc limit $1',
      article === undefined ? [limit] : [limit, article],
    );
    return decodeAll(rows.reverse());
  }

  async bounds(): Promise<{ readonly first: number; readonly last: number }> {
    this.db.checkOpen('EventLog.bounds');
    const rows = await this.db.query<{ first: string | null; last: string | null }>(
      'EventLog.bounds',
      'select min(id) as first, max(id) as last from events',
    );
    return { first: Number(rows[0]?.first ?? 0), last: Number(rows[0]?.last ?? 0) };
  }

  /** One query (the `events (article, id)` index): each article's newest event's version, no body decoded. */
  async lastEventVersions(): Promise<ReadonlyMap<ArticleId, number>> {
    this.db.checkOpen('EventLog.lastEventVersions');
    const rows = await this.db.query<{ article: string; version: number }>(
      'EventLog.lastEventVersions',
      'select distinct on (article) article, version from events order by article, id desc',
    );
    return new Map(rows.map((r) => [r.article, r.version]));
  }

  subscribe(listener: (e: ChangeEvent) => void): () => void {
    this.db.checkOpen('EventLog.subscribe');
    if (typeof listener !== 'function') {
      throw new WirediffError(
        'E_USAGE',
        `EventLog.subscribe: listener must be a function, received ${typeof listener}`,
      );
    }
    return this.tail.subscribe(listener);
  }

  close(): Promise<void> {
    this.closing ??= this.tail.close();
    return this.closing;
  }
}
