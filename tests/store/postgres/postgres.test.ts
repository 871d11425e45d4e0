/**
 * What only the PostgreSQL store does: many processes (here: separate pools) writing and reading one log, with ids
 * in commit order; migrations racing; subscribers hearing other processes' commits; a clear error when PostgreSQL
 * cannot be reached.
 */
import { describe, expect, it } from 'vitest';
import { isWirediffError } from '../../../src/core/errors.js';
import type { ChangeEvent } from '../../../src/core/model/event.js';
import { MIGRATIONS } from '../../../src/store/postgres/migrations.js';
import { migratePostgres, openPostgresStore } from '../../../src/store/postgres/open.js';
import type { PostgresStore } from '../../../src/store/postgres/open.js';
import { makeVersion } from '../fixtures.js';
import { pgSchemaEach } from '../../support/stores.js';

const t = pgSchemaEach('pgstore');

async function openOne(): Promise<PostgresStore> {
  return t.closeAfter(await openPostgresStore(t.options));
}

/** Resolves once `pred` holds for `seen` (checked after each event). */
function until(seen: ChangeEvent[], subscribe: (l: (e: ChangeEvent) => void) => () => void, pred: () => boolean) {
  return new Promise<void>((resolve) => {
    if (pred()) return resolve();
    const stop = subscribe(() => {
      if (pred()) {
        stop();
        resolve();
      }
    });
    void seen;
  });
}

describe('PostgreSQL store', () => {
  it('keeps ids in commit order: concurrent writers in four pools, readers never see an id appear below one seen', async () => {
    const writers = await Promise.all([openOne(), openOne(), openOne(), openOne()]);
    const PER_LOOP = 12;
    const LOOPS_PER_WRITER = 4;
    const total = writers.length * LOOPS_PER_WRITER * PER_LOOP;
    // Subscribers on two of the pools (each hears every process's commits).
    const heard: number[][] = [[], []];
    writers[0].log.subscribe((e) => heard[0]!.push(e.id));
    writers[3].log.subscribe((e) => heard[1]!.push(e.id));
    let writing = true;
    const readers = [0, 1, 2].map(async (r) => {
      const reader = r === 2 ? writers[1] : await openOne();
      const seen: number[] = [];
      let cursor = 0;
      while (writing || cursor < total) {
        const batch = await reader.log.readAfter(cursor, 1 + r * 5);
        for (const e of batch) {
          // A reader that has seen `cursor` must never see an id at or below it again, nor skip one.
          expect(e.id).toBe(cursor + 1);
          cursor = e.id;
          seen.push(e.id);
        }
      }
      return seen;
    });
    const loops = writers.flatMap((w, wi) =>
      Array.from({ length: LOOPS_PER_WRITER }, async (_, li) => {
        const article = `w${wi}-l${li}`;
        for (let n = 1; n <= PER_LOOP; n++) {
          await w.store.commitVersion(makeVersion(article, n), { at: new Date().toISOString() });
        }
      }),
    );
    await Promise.all(loops);
    writing = false;
    const seen = await Promise.all(readers);
    const all = Array.from({ length: total }, (_, i) => i + 1);
    for (const s of seen) expect(s).toEqual(all);
    await Promise.all(
      heard.map((h) =>
        until(
          [],
          (l) => writers[0].log.subscribe(l),
          () => h.length >= total,
        ),
      ),
    );
    for (const h of heard) expect(h).toEqual(all);
    const events = await writers[2].log.readAfter(0);
    // Every version has exactly its one event, and each article's events go in version order.
    const byArticle = new Map<string, number[]>();
    for (const e of events) byArticle.set(e.article, [...(byArticle.get(e.article) ?? []), e.version]);
    expect(byArticle.size).toBe(writers.length * LOOPS_PER_WRITER);
    for (const versions of byArticle.values()) {
      expect(versions).toEqual(Array.from({ length: PER_LOOP }, (_, i) => i + 1));
    }
  });

  it('applies migrations once when several processes start at the same time', async () => {
    const results = await Promise.all([1, 2, 3, 4].map(() => migratePostgres(t.options)));
    expect(results.flat().sort()).toEqual(MIGRATIONS.map((m) => m.version));
    const rows = await t.sql(`select version from "${t.schema}".wirediff_migrations order by version`);
    expect(rows.map((r) => r.version as number)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await migratePostgres(t.options)).toEqual([]);
    // A schema migrated by a newer wirediff is refused rather than guessed at.
    await t.sql(`insert into "${t.schema}".wirediff_migrations (version, name) values (999, 'future')`);
    const err = await migratePostgres(t.options).catch((e: unknown) => e);
    expect(isWirediffError(err, 'E_STORE_TOO_NEW')).toBe(true);
    expect((err as Error).message).toMatch(/migration 999, newer than this wirediff knows/);
  });

  it('a read-only open creates and migrates nothing: a missing or behind schema is E_STORE_OUTDATED', async () => {
    const missing = await openPostgresStore(t.options, { readOnly: true }).catch((e: unknown) => e);
    expect(isWirediffError(missing, 'E_STORE_OUTDATED')).toBe(true);
    expect((missing as Error).message).toMatch(/holds no wirediff history yet.*wirediff migrate/);
    expect(await t.sql(`select 1 from pg_namespace where nspname = $1`, [t.schema])).toEqual([]);

    await migratePostgres(t.options);
    const last = MIGRATIONS.at(-1)!.version;
    await t.sql(`delete from "${t.schema}".wirediff_migrations where version = $1`, [last]);
    const behind = await openPostgresStore(t.options, { readOnly: true }).catch((e: unknown) => e);
    expect(isWirediffError(behind, 'E_STORE_OUTDATED')).toBe(true);
    expect((behind as Error).message).toContain(`lacks migration ${last}`);
    expect(await t.sql(`select 1 from "${t.schema}".wirediff_migrations where version = $1`, [last])).toEqual([]);

    await t.sql(`insert into "${t.schema}".wirediff_migrations (version, name) values ($1, 'put back')`, [last]);
    const reader = await openPostgresStore(t.options, { readOnly: true });
    try {
      expect(reader.migrated).toEqual([]);
      expect(await reader.store.listArticles()).toEqual([]);
    } finally {
      await reader.close();
    }
  });

  it('stores raw bytes and documents compactly (deflated bytea when it pays)', async () => {
    const o = await openOne();
    const page = Buffer.from('<p>' + 'Officials said the strike hit the city centre. '.repeat(2000) + '</p>');
    await o.store.appendVersion(makeVersion('big', 1, { raw: page }));
    const [row] = await t.sql(
      `select octet_length(raw) as raw, octet_length(doc) as doc from "${t.schema}".versions where article = 'big'`,
    );
    expect(row!.raw as number).toBeLessThan(page.length / 10);
    expect(Buffer.from((await o.store.getRaw('big', 1))!.bytes).equals(page)).toBe(true);
  });

  it('publishes one event per version: two processes repairing the same missing event append it once', async () => {
    const [a, b] = await Promise.all([openOne(), openOne()]);
    await a.store.appendVersion(makeVersion('lost', 1));
    const v = (await a.store.getVersion('lost', 1))!;
    const e = {
      at: '2026-12-01T00:00:00.000Z',
      article: 'lost',
      version: 1,
      title: v.meta.title,
      kind: v.meta.kind,
      summary: v.meta.summary,
      significance: v.meta.significance,
      changes: null,
    };
    const [x, y] = await Promise.all([a.log.append(e), b.log.append(e)]);
    expect(x).toEqual(y);
    expect((await a.log.readAfter(0)).length).toBe(1);
  });

  it('names the URL without its password, as E_IO, when PostgreSQL cannot be reached', async () => {
    const err = await openPostgresStore({
      url: 'postgres://editor:s3cret-pw@127.0.0.1:1/news',
      schema: t.schema,
      connectTimeoutMs: 2000,
    }).catch((e: unknown) => e);
    expect(isWirediffError(err, 'E_IO')).toBe(true);
    const message = (err as Error).message;
    expect(message).toContain('cannot reach PostgreSQL at postgres://editor@127.0.0.1:1/news');
    expect(message).not.toContain('s3cret-pw');
  });
});
