/**
 * PostgreSQL for tests: the server on 127.0.0.1:5432 (trust auth; `WIREDIFF_TEST_PG_URL` to use another), one fresh
 * schema per test case (tests run in parallel), dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { PostgresStoreOptions } from '../../../src/store/postgres/connection.js';

export const TEST_PG_URL = process.env.WIREDIFF_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestSchema {
  readonly options: PostgresStoreOptions;
  readonly schema: string;
  /** Runs one statement on the test database (outside any store). */
  sql(text: string, params?: unknown[]): Promise<pg.QueryResultRow[]>;
  drop(): Promise<void>;
}

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
