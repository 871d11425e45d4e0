/**
 * Versioned schema migrations. Each migration runs in its own transaction and is recorded in
 * `wirediff_migrations`; `migrate` applies the missing ones in order under a session advisory lock, so two processes
 * starting at once do not race (the second waits, then finds nothing to do). Run by `wirediff migrate` and on every
 * open. A database migrated by a newer wirediff (a version this one does not know) is refused, not guessed at.
 */
import type pg from 'pg';
import { WirediffError } from '../../core/errors.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * What wirediff_commit (migration 3) and wirediff_commit_v2 (migration 4) share, as applied (the migrations' SQL is
 * these strings spliced in, byte for byte): the parameters, the article row locked (created when new) and
 * expectedLatest checked.
 */
const COMMIT_PRELUDE_SQL = `        p_article text, p_expected integer, p_meta json, p_doc bytea, p_raw bytea, p_event bytea, p_channel text,
        p_no_changes boolean
      ) returns bigint language plpgsql volatile as $fn$
      declare
        cur record;
        v_n integer := p_expected + 1;
        v_at text := p_meta->>'fetchedAt';
        v_ev bigint;
      begin
        select a.versions, a.summary into cur from articles a where a.id = p_article for update;
        if not found then
          insert into articles (id) values (p_article) on conflict (id) do nothing;
          select a.versions, a.summary into cur from articles a where a.id = p_article for update;
        end if;
        if cur.versions <> p_expected then
          raise exception using errcode = 'WD409',
            message = format('%s is at version %s, the caller expected %s', p_article, cur.versions, p_expected);
        end if;
        if v_n > 1 and p_no_changes then
          raise exception using errcode = 'WD400', message = format(
            'changes must be a ChangeSet against version %s for version %s of %s, received null', p_expected, v_n, p_article);
        end if;
`;

/** ...and the article row's summary extended with the new version. */
const EXTEND_SUMMARY_SQL = `        update articles a set versions = v_n, last_change = v_at, summary = json_build_object(
            'id', p_article,
            'title', p_meta->>'title',
            'versions', v_n,
            'firstSeen', coalesce(cur.summary->>'firstSeen', v_at),
            'lastChange', v_at,
            'lastKind', p_meta->>'kind',
            'lastSummary', p_meta->>'summary',
            'history', (coalesce((cur.summary->'history')::jsonb, '[]'::jsonb) || jsonb_build_array(jsonb_build_object(
              'version', v_n, 'at', v_at, 'kind', p_meta->>'kind', 'significance', (p_meta::jsonb)->'significance'
            )))::json)
          where a.id = p_article;
`;

/**
 * Tables (one schema per store):
 * - `articles`: one row per article with at least one version; `summary` is the `ArticleSummary` kept up to date by
 *   every write (without `variantsSeen`, which is `variants_total`), so listing reads one row per article.
 * - `versions`: one row per version. `meta` is the `VersionMeta` as JSON text (key order kept); `doc` the article and
 *   ChangeSet, and `raw` the source bytes, both through codec.ts (deflated when that pays). `event_id` names the
 *   event the version was committed with.
 * - `variants`: sightings of known variants per version.
 * - `events`: the event log. `id` is assigned under the event-commit lock (event-ids.ts), so id order is commit order;
 *   `body` is the event as stored (codec.ts). One event per (article, version).
 * - `leases`: who polls what (leases.ts); `watch_state`: poll schedules, back-off and held changes shared by watchers.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'store and event log',
    sql: `
      create table articles (
        id text primary key,
        versions integer not null default 0,
        variants_total integer not null default 0,
        last_change text not null default '',
        summary json
      );
      create index articles_last_change on articles (last_change desc, id);
      create table versions (
        article text not null references articles (id),
        n integer not null,
        meta json not null,
        doc bytea not null,
        raw bytea not null,
        event_id bigint,
        primary key (article, n)
      );
      create table variants (
        article text not null,
        n integer not null,
        count integer not null,
        last_seen text not null,
        primary key (article, n),
        foreign key (article, n) references versions (article, n)
      );
      create table events (
        id bigint primary key,
        article text not null,
        version integer not null,
        body bytea not null,
        committed_at timestamptz not null default clock_timestamp()
      );
      create unique index events_article_version on events (article, version);
      create index events_article_id on events (article, id);
    `,
  },
  {
    version: 2,
    name: 'shared watch state and leases',
    sql: `
      create table leases (
        key text primary key,
        holder text not null,
        expires_at timestamptz not null
      );
      create table watch_state (
        key text primary key,
        state json not null,
        updated_at timestamptz not null default clock_timestamp()
      );
    `,
  },
  {
    version: 3,
    name: 'commit in one round trip',
    // A version (and its event) in one call: the article row locked, expectedLatest checked (SQLSTATE WD409 when
    // stale; WD400 for a later version without a ChangeSet), the version inserted, the summary extended, and, with an event, the event lock taken, the id assigned
    // and the NOTIFY sent. Each statement of a VOLATILE function takes a fresh snapshot, so max(id) is read after
    // the lock is held (events.ts explains why that makes id order commit order).
    sql: `
      create function wirediff_commit(
${COMMIT_PRELUDE_SQL}        insert into versions (article, n, meta, doc, raw) values (p_article, v_n, p_meta, p_doc, p_raw);
${EXTEND_SUMMARY_SQL}        if p_event is null then
          return null;
        end if;
        perform pg_advisory_xact_lock(hashtext('wirediff.events:' || current_schema()));
        select coalesce(max(e.id), 0) + 1 into v_ev from events e;
        insert into events (id, article, version, body) values (v_ev, p_article, v_n, p_event);
        update versions v set event_id = v_ev where v.article = p_article and v.n = v_n;
        perform pg_notify(p_channel, v_ev::text);
        return v_ev;
      end
      $fn$;
    `,
  },
  {
    version: 4,
    name: 'commit without a second write of the version',
    // wirediff_commit_v2 does what wirediff_commit does, in an order that writes the version row once: the article
    // row locked and checked, its summary extended, then (with an event) the event lock taken and the id assigned
    // BEFORE the version is inserted, so the version carries its event_id from the start instead of being inserted
    // and then updated (an UPDATE writes the whole row, bytes and all, a second time). The event lock is held for the
    // version INSERT too (a few tens of microseconds; the COMMIT's WAL flush, which the lock spans anyway, is
    // milliseconds).
    // wirediff_commit stays for processes of the previous release still running against this schema.
    // raw and doc are compressed by codec.ts (or kept plain when that does not pay): storage EXTERNAL stops
    // PostgreSQL from trying to compress them a second time when a row is TOASTed.
    sql: `
      create function wirediff_commit_v2(
${COMMIT_PRELUDE_SQL}${EXTEND_SUMMARY_SQL}        if p_event is not null then
          perform pg_advisory_xact_lock(hashtext('wirediff.events:' || current_schema()));
          select coalesce(max(e.id), 0) + 1 into v_ev from events e;
        end if;
        insert into versions (article, n, meta, doc, raw, event_id) values (p_article, v_n, p_meta, p_doc, p_raw, v_ev);
        if p_event is not null then
          insert into events (id, article, version, body) values (v_ev, p_article, v_n, p_event);
          perform pg_notify(p_channel, v_ev::text);
        end if;
        return v_ev;
      end
      $fn$;
      alter table versions alter column raw set storage external, alter column doc set storage external;
    `,
  },
];

/** The advisory-lock key of migrations in this schema. */
const LOCK_SQL = `select pg_advisory_lock(hashtext('wirediff.migrate:' || $1::text))`;
const UNLOCK_SQL = `select pg_advisory_unlock(hashtext('wirediff.migrate:' || $1::text))`;

/** The migrations `schema` has; E_STORE_TOO_NEW when one is newer than this wirediff knows. */
async function appliedMigrations(client: pg.ClientBase, schema: string): Promise<Set<number>> {
  const { rows } = await client.query<{ version: number }>(
    `select version from "${schema}".wirediff_migrations order by version`,
  );
  const have = new Set(rows.map((r) => r.version));
  const known = new Set(MIGRATIONS.map((m) => m.version));
  const unknown = [...have].filter((v) => !known.has(v));
  if (unknown.length > 0) {
    throw new WirediffError(
      'E_STORE_TOO_NEW',
      `the PostgreSQL schema "${schema}" has migration ${Math.max(...unknown)}, newer than this wirediff knows (up to ${MIGRATIONS.length}); upgrade wirediff`,
    );
  }
  return have;
}

/**
 * For a read-only open: checks that `schema` has every migration this wirediff knows, changing nothing. A schema
 * without wirediff's tables, or behind, is E_STORE_OUTDATED (run `wirediff migrate`, or start a watcher, first).
 */
export async function checkMigrated(client: pg.ClientBase, schema: string): Promise<void> {
  const { rows } = await client.query<{ present: boolean }>(`select to_regclass($1) is not null as present`, [
    `"${schema}".wirediff_migrations`,
  ]);
  if (rows[0]?.present !== true) {
    throw new WirediffError(
      'E_STORE_OUTDATED',
      `the PostgreSQL schema "${schema}" holds no wirediff history yet; a read-only command does not create it: run "wirediff migrate" (or start a watcher) first`,
    );
  }
  const have = await appliedMigrations(client, schema);
  const missing = MIGRATIONS.filter((m) => !have.has(m.version)).map((m) => m.version);
  if (missing.length > 0) {
    throw new WirediffError(
      'E_STORE_OUTDATED',
      `the PostgreSQL schema "${schema}" lacks migration ${missing.join(', ')}; a read-only command does not change it: run "wirediff migrate" first`,
    );
  }
}

/** Applies the missing migrations to `schema` (created when absent); returns the versions applied now. */
export async function migrate(client: pg.ClientBase, schema: string): Promise<number[]> {
  await client.query(LOCK_SQL, [schema]);
  try {
    await client.query(`create schema if not exists "${schema}"`);
    await client.query(`create table if not exists "${schema}".wirediff_migrations (
      version integer primary key,
      name text not null,
      applied_at timestamptz not null default now()
    )`);
    const have = await appliedMigrations(client, schema);
    const applied: number[] = [];
    for (const m of MIGRATIONS) {
      if (have.has(m.version)) continue;
      await client.query('begin');
      try {
        await client.query(`set local search_path to "${schema}"`);
        await client.query(m.sql);
        await client.query(`insert into wirediff_migrations (version, name) values ($1, $2)`, [m.version, m.name]);
        await client.query('commit');
      } catch (err) {
        await client.query('rollback').catch(() => undefined);
        throw err;
      }
      applied.push(m.version);
    }
    return applied;
  } finally {
    await client.query(UNLOCK_SQL, [schema]).catch(() => undefined);
  }
}
