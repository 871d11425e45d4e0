/**
 * `SnapshotStore` on PostgreSQL. Every write is one transaction that locks the article's row (`FOR UPDATE`), so
 * writers in any number of processes serialize per article and `expectedLatest` is checked against what is
 * committed (`E_CONFLICT` otherwise, nothing stored). `commitVersion` inserts the version and its event in the same
 * transaction (events.ts assigns the id as its last step), so both commit or neither.
 *
 * The article row keeps its `ArticleSummary` up to date, so listing reads one row per article.
 */
import type pg from 'pg';
import { WirediffError } from '../../core/errors.js';
import type { Article } from '../../core/model/article.js';
import type { ChangeSet } from '../../core/model/changeset.js';
import { eventForVersion } from '../../core/model/event.js';
import type { ArticleId, ArticleSummary, StoredVersion, VersionMeta } from '../../core/model/version.js';
import type { CommittedVersion, NewVersion, RawSource, SnapshotStore } from '../types.js';
import { newVersionMeta, rawBuffer, rederivedMeta } from '../version-meta.js';
import {
  checkArticleId,
  checkCommitEvent,
  checkNewVersion,
  checkRecordVariant,
  checkReplaceDerived,
} from '../file/input-checks.js';
import { summarize } from '../file/summary.js';
import { packBytes, packJson, unpackBytes, unpackJson } from './codec.js';
import type { PgDb } from './db.js';
import { eventOf, packEventBody } from './events.js';
import type { EventTail } from './tail.js';

/** What `versions.doc` holds. */
interface VersionDoc {
  readonly article: Article;
  readonly changes: ChangeSet | null;
}

type Summary = Omit<ArticleSummary, 'variantsSeen'>;

function withVariants(summary: Summary, variants: number): ArticleSummary {
  const { history, ...rest } = summary;
  // Entries appended by wirediff_commit come back with jsonb's key order: put them in the model's.
  const entries = history.map((h) => ({ version: h.version, at: h.at, kind: h.kind, significance: h.significance }));
  return { ...rest, history: entries, variantsSeen: variants };
}

export class PgSnapshotStore implements SnapshotStore {
  private closing: Promise<void> | undefined;

  constructor(
    private readonly db: PgDb,
    private readonly tail: EventTail,
  ) {}

  async listArticles(): Promise<ArticleSummary[]> {
    const rows = await this.db.query<{ summary: Summary; variants_total: number }>(
      'SnapshotStore.listArticles',
      'select summary, variants_total from articles where versions > 0 order by last_change desc, id',
    );
    return rows.map((r) => withVariants(r.summary, r.variants_total));
  }

  async getArticle(id: ArticleId): Promise<ArticleSummary | undefined> {
    const [row] = await this.articleRows<{ summary: Summary; variants_total: number }>(
      'SnapshotStore.getArticle',
      id,
      'select summary, variants_total from articles where id = $1 and versions > 0',
    );
    return row ? withVariants(row.summary, row.variants_total) : undefined;
  }

  async listVersions(id: ArticleId): Promise<VersionMeta[]> {
    const rows = await this.articleRows<{ meta: VersionMeta }>(
      'SnapshotStore.listVersions',
      id,
      'select meta from versions where article = $1 order by n',
    );
    return rows.map((r) => r.meta);
  }

  async getVersion(id: ArticleId, n: number): Promise<StoredVersion | undefined> {
    const row = await this.versionRow<{ meta: VersionMeta; doc: Buffer }>('SnapshotStore.getVersion', id, n, 'doc');
    return row ? this.decode(row) : undefined;
  }

  async getLatest(id: ArticleId): Promise<StoredVersion | undefined> {
    const [row] = await this.articleRows<{ meta: VersionMeta; doc: Buffer }>(
      'SnapshotStore.getLatest',
      id,
      'select meta, doc from versions where article = $1 order by n desc limit 1',
    );
    return row ? this.decode(row) : undefined;
  }

  /**
   * The rows `sql` selects for article `id` (`$1`) and, with `version`, its version `n` (`$2`: none when `n` is not a
   * version number), once the store is open and `id` is an article id (checked for `where`).
   */
  private async articleRows<T extends pg.QueryResultRow>(
    where: string,
    id: ArticleId,
    sql: string,
    version?: { readonly n: number },
  ): Promise<T[]> {
    this.db.checkOpen(where);
    checkArticleId(id, where);
    if (version === undefined) return this.db.query<T>(where, sql, [id]);
    const { n } = version;
    if (!Number.isSafeInteger(n) || n < 1) return [];
    return this.db.query<T>(where, sql, [id, n]);
  }

  /** Version `n` of `id`: its meta and `column` (checked for `where`). */
  private async versionRow<T extends pg.QueryResultRow>(
    where: string,
    id: ArticleId,
    n: number,
    column: 'doc' | 'raw',
  ): Promise<T | undefined> {
    const sql = `select meta, ${column} from versions where article = $1 and n = $2`;
    return (await this.articleRows<T>(where, id, sql, { n }))[0];
  }

  private async decode(row: { meta: VersionMeta; doc: Buffer }): Promise<StoredVersion> {
    const doc = await unpackJson<VersionDoc>(row.doc, `versions ${row.meta.article} ${row.meta.version}`);
    return { meta: row.meta, article: doc.article, changes: doc.changes };
  }

  async getRaw(id: ArticleId, n: number): Promise<RawSource | undefined> {
    const row = await this.versionRow<{ meta: VersionMeta; raw: Buffer }>('SnapshotStore.getRaw', id, n, 'raw');
    if (!row) return undefined;
    const bytes = await unpackBytes(row.raw, `versions ${id} ${n} raw`);
    if (bytes.byteLength !== row.meta.rawBytes) {
      throw new WirediffError(
        'E_CORRUPT',
        `versions ${id} ${n}: raw source is ${bytes.byteLength} bytes, its meta says ${row.meta.rawBytes}`,
      );
    }
    return {
      contentType: row.meta.contentType,
      bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    };
  }

  async appendVersion(v: NewVersion): Promise<VersionMeta> {
    this.db.checkOpen('SnapshotStore.appendVersion');
    checkNewVersion(v, 'SnapshotStore.appendVersion');
    return (await this.db.accept('SnapshotStore.appendVersion', () => this.write(v, undefined))).meta;
  }

  async commitVersion(v: NewVersion, event: { readonly at: string }): Promise<CommittedVersion> {
    this.db.checkOpen('SnapshotStore.commitVersion');
    checkNewVersion(v, 'SnapshotStore.commitVersion');
    checkCommitEvent(event);
    const done = await this.db.accept('SnapshotStore.commitVersion', () => this.write(v, event.at));
    await this.tail.reach(done.event!.id);
    return { meta: done.meta, event: done.event! };
  }

  /** Keeps version `expectedLatest + 1` in one transaction, with its event when `eventAt` is given. */
  private async write(
    v: NewVersion,
    eventAt: string | undefined,
  ): Promise<{ meta: VersionMeta; event?: CommittedVersion['event'] }> {
    const id = v.article;
    const raw = rawBuffer(v);
    // The slow part (compression) before the transaction: locks are held for the SQL only.
    const [rawPacked, docPacked] = await Promise.all([
      packBytes(raw),
      packJson({ article: v.parsed, changes: v.changes } satisfies VersionDoc),
    ]);
    const where = eventAt === undefined ? 'SnapshotStore.appendVersion' : 'SnapshotStore.commitVersion';
    const n = v.expectedLatest + 1;
    const meta = newVersionMeta(v, n, raw);
    const stored: StoredVersion = { meta, article: v.parsed, changes: v.changes };
    const newEvent = eventAt === undefined ? undefined : eventForVersion(stored, eventAt);
    const eventBody = newEvent === undefined ? null : await packEventBody(newEvent);
    // One round trip: migrations.ts (wirediff_commit_v2) locks the article, checks expectedLatest, keeps the version
    // and, with an event, assigns its id under the event lock and notifies.
    const rows = await this.db.queryAccepted<{ id: string | null }>(
      where,
      'select wirediff_commit_v2($1, $2, $3, $4, $5, $6, $7, $8) as id',
      [
        id,
        v.expectedLatest,
        JSON.stringify(meta),
        docPacked,
        rawPacked,
        eventBody,
        this.db.channel,
        v.changes === null,
      ],
    );
    if (newEvent === undefined) return { meta };
    return { meta, event: eventOf(Number(rows[0]!.id), newEvent) };
  }

  async recordVariant(id: ArticleId, n: number, at: string): Promise<void> {
    this.db.checkOpen('SnapshotStore.recordVariant');
    checkRecordVariant(id, n, at);
    await this.db.tx('SnapshotStore.recordVariant', async (client) => {
      const prev = await lockArticle(client, id, false);
      if (!prev || n > prev.versions) {
        throw new WirediffError('E_NOT_FOUND', `SnapshotStore.recordVariant: ${id} has no version ${n}`);
      }
      await client.query(
        `with up as (
           insert into variants (article, n, count, last_seen) values ($1, $2, 1, $3)
           on conflict (article, n) do update set count = variants.count + 1, last_seen = excluded.last_seen)
         update articles set variants_total = variants_total + 1 where id = $1`,
        [id, n, at],
      );
    });
  }

  async replaceDerived(id: ArticleId, n: number, parsed: Article, changes: ChangeSet | null): Promise<VersionMeta> {
    this.db.checkOpen('SnapshotStore.replaceDerived');
    checkReplaceDerived(id, n, parsed, changes);
    const docPacked = await packJson({ article: parsed, changes } satisfies VersionDoc);
    return this.db.tx('SnapshotStore.replaceDerived', async (client) => {
      const prev = await lockArticle(client, id, false);
      const { rows } = await client.query<{ meta: VersionMeta }>(
        'select meta from versions where article = $1 and n = $2',
        [id, n],
      );
      const old = rows[0]?.meta;
      if (!prev || !old) {
        throw new WirediffError('E_NOT_FOUND', `SnapshotStore.replaceDerived: ${id} has no version ${n}`);
      }
      const meta = rederivedMeta(old, n, parsed, changes);
      await client.query('update versions set meta = $3, doc = $4 where article = $1 and n = $2', [
        id,
        n,
        JSON.stringify(meta),
        docPacked,
      ]);
      const all = await client.query<{ meta: VersionMeta }>('select meta from versions where article = $1 order by n', [
        id,
      ]);
      const { variantsSeen: _v, ...summary } = summarize(
        all.rows.map((r) => r.meta),
        0,
      );
      await client.query('update articles set summary = $2 where id = $1', [id, JSON.stringify(summary)]);
      return meta;
    });
  }

  close(): Promise<void> {
    this.closing ??= Promise.resolve();
    return this.closing;
  }
}

/**
 * Locks the article's row for the rest of the transaction (creating it first when `create`); undefined when the
 * article has no row.
 */
async function lockArticle(
  client: pg.ClientBase,
  id: ArticleId,
  create: boolean,
): Promise<{ versions: number; summary: Summary | null } | undefined> {
  const select = 'select versions, summary from articles where id = $1 for update';
  const { rows } = await client.query<{ versions: number; summary: Summary | null }>(select, [id]);
  if (rows[0] || !create) return rows[0];
  // A new article: another writer may be creating it at the same moment; the loser waits, then sees its row.
  await client.query('insert into articles (id) values ($1) on conflict (id) do nothing', [id]);
  return (await client.query<{ versions: number; summary: Summary | null }>(select, [id])).rows[0];
}
