/** Picking the store: the config's `store` section, WIREDIFF_STORE_URL, and messages that never show a password. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/config.js';
import { isWirediffError } from '../../../src/core/errors.js';
import { describeStoreTarget, storeTargetFor } from '../../../src/store/open.js';
import { redactUrl } from '../../../src/store/postgres/connection.js';
import { openPostgresStore } from '../../../src/store/postgres/open.js';

describe('store selection', () => {
  it('defaults to the file store under storeDir; a postgres store needs a postgres:// URL', () => {
    const plain = parseConfig({}, 'test', { baseDir: '/srv/news' });
    expect(storeTargetFor(plain, {})).toEqual({ kind: 'file', dir: '/srv/news/snapshots' });
    const pg = parseConfig(
      { store: { kind: 'postgres', url: 'postgres://w@db:5432/news', schema: 'newsroom', poolSize: 4 } },
      'test',
    );
    expect(storeTargetFor(pg, {})).toEqual({
      kind: 'postgres',
      url: 'postgres://w@db:5432/news',
      schema: 'newsroom',
      poolSize: 4,
    });
    for (const [store, message] of [
      [{ kind: 'postgres' }, /Expected `store\.url` to be a postgres:\/\/ URL with kind "postgres", but it is missing/],
      [
        { kind: 'postgres', url: 'mysql://x' },
        /Expected `store\.url` to be a postgres:\/\/user@host:port\/database URL, got `mysql:\/\/x` \(string\)/,
      ],
      [{ kind: 'redis' }, /Expected `store\.kind` to be one of "file", "postgres", got `redis` \(string\)/],
      [
        { kind: 'postgres', url: 'postgres://x/y', schema: 'Bad-Name' },
        /Expected `store\.schema` to be a lower-case .*, got `Bad-Name` \(string\)/,
      ],
      [
        { kidn: 'postgres' },
        /Expected no field `store\.kidn` \(unknown; did you mean "kind"\?\), got `postgres` \(string\)/,
      ],
    ] as const) {
      expect(() => parseConfig({ store }, 'test')).toThrow(message);
    }
  });

  it('WIREDIFF_STORE_URL wins over the config, keeping its schema and pool size', () => {
    const config = parseConfig({ store: { kind: 'file', schema: 'edge', poolSize: 2 } }, 'test', { baseDir: '/x' });
    expect(storeTargetFor(config, { WIREDIFF_STORE_URL: 'postgres://a:b@h/d' })).toEqual({
      kind: 'postgres',
      url: 'postgres://a:b@h/d',
      schema: 'edge',
      poolSize: 2,
    });
    expect(storeTargetFor(config, { WIREDIFF_STORE_URL: '' })).toEqual({ kind: 'file', dir: '/x/snapshots' });
    expect(describeStoreTarget({ kind: 'postgres', url: 'postgres://a:secret@h:5/d', schema: 's' })).toBe(
      'postgres://a@h:5/d (schema s)',
    );
  });

  it('never shows a password, and refuses a bad URL or schema before connecting', async () => {
    expect(redactUrl('postgres://editor:p%40ss@db.example:5432/news?sslmode=require')).toBe(
      'postgres://editor@db.example:5432/news?sslmode=require',
    );
    expect(redactUrl('postgres://db.example/news')).toBe('postgres://db.example/news');
    const bad = await openPostgresStore({ url: 'http://x:secret@y/z' }).catch((e: unknown) => e);
    expect(isWirediffError(bad, 'E_CONFIG')).toBe(true);
    expect((bad as Error).message).not.toContain('secret');
    const reserved = await openPostgresStore({ url: 'postgres://x@y/z', schema: 'pg_catalog' }).catch(
      (e: unknown) => e,
    );
    expect((reserved as Error).message).toMatch(/store\.schema: .* not starting with a digit or pg_/);
  });
});
