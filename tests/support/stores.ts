/**
 * Stores for tests, one per test case (tests run in parallel in forked workers):
 * - a file store in a fresh temp folder, closed and the folder removed after the test (`fileStoreEach`);
 * - a fresh PostgreSQL schema on the server at 127.0.0.1:5432 (trust auth; `WIREDIFF_TEST_PG_URL` to use another),
 *   dropped afterwards (`testSchema`, or `pgSchemaEach` for one per test with what the test opened closed first).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, beforeEach } from 'vitest';
import type { FileStore } from '../../src/store/open.js';
import type { PostgresStoreOptions } from '../../src/store/postgres/connection.js';
import { tempDir, type TempDir } from './temp.js';

export const TEST_PG_URL = process.env.WIREDIFF_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** What a file-store test has while it runs. */
export interface FileStoreCase {
  /** The test's own folder (fresh; removed after the test). */
  readonly dir: string;
  /** The store the test opened in `dir`, if any: closed after the test, before the folder is removed. */
  fs: FileStore | undefined;
}

/** Registers hooks that give every test a fresh folder for a file store (see `FileStoreCase`). */
export function fileStoreEach(prefix = 'wirediff-store-'): FileStoreCase {
  let temp: TempDir | undefined;
  const current: { fs: FileStore | undefined; readonly dir: string } = {
    fs: undefined,
    get dir(): string {
      if (temp === undefined) throw new Error('fileStoreEach: .dir is only there while a test runs');
      return temp.dir;
    },
  };
  beforeEach(async () => {
    temp = await tempDir(prefix);
  });
  afterEach(async () => {
    await current.fs?.close();
    current.fs = undefined;
    await temp?.cleanup();
    temp = undefined;
  });
  return current;
}

export interface TestSchema {
  readonly options: PostgresStoreOptions;
  readonly schema: string;
  /** Runs one statement on the test database (outside any store). */
  sql(text: string, params?: unknown[]): Promise<pg.QueryResultRow[]>;
  drop(): Promise<void>;
}

/** A fresh schema name on the test database (created by the store that opens it); `drop` removes it. */
export function testSchema(prefix = 't'): Promise<TestSchema> {
  const schema = `${prefix}_${process.pid}_${randomBytes(5).toString('hex')}`;
  const sql = async (text: string, params: unknown[] = []): Promise<pg.QueryResultRow[]> => {
    const c = new pg.Client({ connectionString: TEST_PG_URL });
    await c.connect();
    try {
      const res: pg.QueryResult = await c.query(text, params);
      return res.rows as pg.QueryResultRow[];
    } finally {
      await c.end();
    }
  };
  return Promise.resolve({
    schema,
    options: { url: TEST_PG_URL, schema, poolSize: 4 },
    sql,
    drop: async () => {
      await sql(`drop schema if exists "${schema}" cascade`);
    },
  });
}

/** What a PostgreSQL test has while it runs: its schema, and a list of things to close before it is dropped. */
export interface SchemaCase extends TestSchema {
  /** Closes `thing` after the test (the last one given first), before the schema is dropped; returns it. */
  closeAfter<T extends { close(): unknown }>(thing: T): T;
}

/**
 * Registers hooks that give every test a fresh schema (see `SchemaCase`). Hooks registered after this one run their
 * clean-up first (vitest runs afterEach hooks in reverse order).
 */
export function pgSchemaEach(prefix: string): SchemaCase {
  let t: TestSchema | undefined;
  const toClose: { close(): unknown }[] = [];
  const now = (): TestSchema => {
    if (t === undefined) throw new Error('pgSchemaEach: the schema is only there while a test runs');
    return t;
  };
  beforeEach(async () => {
    t = await testSchema(prefix);
  });
  afterEach(async () => {
    try {
      for (const c of toClose.splice(0).reverse()) await c.close();
    } finally {
      await t?.drop();
      t = undefined;
    }
  });
  return {
    get options() {
      return now().options;
    },
    get schema() {
      return now().schema;
    },
    sql: (text, params) => now().sql(text, params),
    drop: () => now().drop(),
    closeAfter(thing) {
      toClose.push(thing);
      return thing;
    },
  };
}
