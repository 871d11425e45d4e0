/**
 * The history commands (ingest, history, reparse, status) on a PostgreSQL store, picked as every command picks it:
 * WIREDIFF_STORE_URL in the environment, or `store` in the config. Each case runs the real CLI (`run`, as `main`
 * does) against a schema of its own on the real server, and checks what PostgreSQL holds, and that no file store
 * was written beside it.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { run } from '../../src/cli/main.js';
import { runHistoryList } from '../../src/cli/commands/history.js';
import { runIngest } from '../../src/cli/commands/ingest.js';
import { openPostgresStore } from '../../src/store/postgres/open.js';
import { TEST_PG_URL, testSchema, type TestSchema } from '../support/stores.js';
import { decodeBody } from '../../src/sources/index.js';
import { ingestVersion } from '../../src/ingest/ingest.js';
import { AP_FILES, apTexts, captureContext } from './helpers.js';
import { tempDir } from '../support/temp.js';

let tmp: { dir: string; cleanup(): Promise<void> };
let pgs: TestSchema;
beforeEach(async () => {
  tmp = await tempDir('wirediff-cli-pg-');
  pgs = await testSchema('cli');
});
afterEach(async () => {
  await pgs.drop();
  await tmp.cleanup();
});

async function cli(argv: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  const ctx = captureContext(tmp.dir, { env });
  const code = await run(argv, ctx);
  return { code, out: ctx.stdoutText(), err: ctx.stderrText() };
}

async function inPostgres<T>(fn: (s: Awaited<ReturnType<typeof openPostgresStore>>) => Promise<T>): Promise<T> {
  const opened = await openPostgresStore(pgs.options);
  try {
    return await fn(opened);
  } finally {
    await opened.close();
  }
}

/** AP v1..v3 of `ap-syria`, stored in the test's schema through the pipeline (so with their events). */
async function seed(): Promise<void> {
  const texts = await apTexts();
  await inPostgres(async (s) => {
    for (const [i, raw] of texts.slice(0, 3).entries()) {
      const at = Date.parse('2013-03-16T12:00:00Z') + (i + 1) * 60_000;
      const o = await ingestVersion(
        s,
        {
          article: 'ap-syria',
          raw: new Uint8Array(raw),
          contentType: 'text/plain',
          text: decodeBody(new Uint8Array(raw), 'text/plain').text,
          origin: { kind: 'push' },
          fetchedAt: new Date(at).toISOString(),
        },
        { variantWindow: 5, now: () => at + 500 },
      );
      expect(o.status).toBe('new-version');
    }
  });
}

describe('history commands on PostgreSQL (WIREDIFF_STORE_URL)', () => {
  // The schema comes from the config; the URL from the environment (which picks PostgreSQL).
  const env = { WIREDIFF_STORE_URL: TEST_PG_URL };
  beforeEach(async () => {
    await writeFile(path.join(tmp.dir, 'wirediff.config.json'), JSON.stringify({ store: { schema: pgs.schema } }));
  });

  test('ingest stores versions and their events in PostgreSQL, not in a file store', async () => {
    for (const [i, file] of AP_FILES.slice(0, 3).entries()) {
      const r = await cli(['ingest', 'ap-syria', file], env);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(new RegExp(`^ap-syria: stored version ${i + 1} \\(.*\\[event ${i + 1}\\]\n$`));
    }
    // Unchanged content: read back from PostgreSQL, nothing stored.
    const again = await cli(['ingest', 'ap-syria', AP_FILES[2]!], env);
    expect(again.out).toMatch(/^ap-syria: unchanged \(same content as version 3\)/);
    expect(existsSync(path.join(tmp.dir, 'snapshots'))).toBe(false);
    const stored = await inPostgres(async (s) => ({
      versions: (await s.store.listVersions('ap-syria')).map((v) => v.version),
      events: (await s.log.readAfter(0)).map((e) => `${e.article}@${e.version}`),
    }));
    expect(stored).toEqual({ versions: [1, 2, 3], events: ['ap-syria@1', 'ap-syria@2', 'ap-syria@3'] });
  });

  test('history lists the articles and versions stored in PostgreSQL', async () => {
    await seed();
    const list = await cli(['history', '--json'], env);
    expect(list.err).toBe('');
    expect(list.code).toBe(0);
    expect((JSON.parse(list.out) as { id: string; versions: number }[]).map((a) => [a.id, a.versions])).toEqual([
      ['ap-syria', 3],
    ]);
    const one = await cli(['history', 'ap-syria', '--json'], env);
    expect(one.code).toBe(0);
    expect((JSON.parse(one.out) as { versions: { version: number }[] }).versions.map((v) => v.version)).toEqual([
      1, 2, 3,
    ]);
    const missing = await cli(['history', 'ap-syri'], env);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no article "ap-syri" in postgres:\/\/.*schema cli_.*did you mean ap-syria/);
    expect(existsSync(path.join(tmp.dir, 'snapshots'))).toBe(false);
  });

  test('status reports what the shared history in PostgreSQL holds', async () => {
    await seed();
    // No watcher ran on this machine, but the shared history is there.
    const status = await cli(['status'], env);
    expect(status.code).toBe(0);
    expect(status.out).toMatch(
      /^Shared history in postgres:\/\/\S+ \(schema cli_\w+\): 1 article\(s\), 3 version\(s\), last event 3\.\nNo watcher status in /,
    );
    const statusJson = await cli(['status', '--json'], env);
    expect(JSON.parse(statusJson.out)).toMatchObject({
      alive: false,
      store: { articles: 1, versions: 3, lastEventId: 3 },
    });
  });

  test('reparse rebuilds the extractions stored in PostgreSQL', async () => {
    await seed();
    // A stored extraction that differs from what the extractor gives now.
    const title = await inPostgres(async (s) => {
      const v2 = (await s.store.getVersion('ap-syria', 2))!;
      await s.store.replaceDerived('ap-syria', 2, { ...v2.article, title: 'An old title' }, v2.changes);
      return v2.article.title;
    });
    const rep = await cli(['reparse', '--quiet', '--json'], env);
    expect(rep.err).toBe('');
    expect(rep.code).toBe(0);
    expect(JSON.parse(rep.out)).toMatchObject({ articles: 1, versions: 3, changed: 1, unchanged: 2, failed: [] });
    expect(await inPostgres(async (s) => (await s.store.getVersion('ap-syria', 2))!.article.title)).toBe(title);
    expect(existsSync(path.join(tmp.dir, 'snapshots'))).toBe(false);
  });

  test('a PostgreSQL that cannot be reached: a clear error naming the URL without its password, exit 2', async () => {
    const down = { WIREDIFF_STORE_URL: 'postgres://wd:s3cret@127.0.0.1:1/test' };
    const r = await cli(['history'], down);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cannot reach PostgreSQL at postgres:\/\/wd(:\*+)?@127\.0\.0\.1:1\/test/);
    expect(r.err).not.toContain('s3cret');
    const s = await cli(['status'], down);
    expect(s.code).toBe(2);
    expect(s.out).toMatch(/^Shared history in postgres:\/\/wd\S*@127\.0\.0\.1:1\/test .*: cannot be read \(E_IO: /);
    expect(s.out).not.toContain('s3cret');
  });
});

describe('history commands on PostgreSQL (config "store")', () => {
  test('runIngest and runHistoryList go to the store the config names', async () => {
    await writeFile(
      path.join(tmp.dir, 'wirediff.config.json'),
      JSON.stringify({ store: { kind: 'postgres', url: TEST_PG_URL, schema: pgs.schema } }),
    );
    const o = await runIngest({ cwd: tmp.dir, article: 'quake', file: AP_FILES[0]! });
    expect(o.status).toBe('new-version');
    const list = await runHistoryList({ cwd: tmp.dir });
    expect(list.articles.map((a) => a.id)).toEqual(['quake']);
    expect(list.storeDir).toMatch(/^postgres:\/\/.* \(schema cli_/);
    expect(await inPostgres(async (s) => (await s.store.listArticles()).map((a) => a.id))).toEqual(['quake']);
    expect(existsSync(path.join(tmp.dir, 'snapshots'))).toBe(false);
  });
});
