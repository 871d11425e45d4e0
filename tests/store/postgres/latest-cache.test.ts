/**
 * `getLatest` on PostgreSQL always gives what is committed now: another process's commit or re-extraction
 * (replaceDerived, same version number) is seen at once, and callers get their own objects. Also: a committed
 * version carries its event id from its INSERT (migration 4 writes the row once), an appended one none.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { openPostgresStore, type PostgresStore } from '../../../src/store/postgres/open.js';
import { makeArticle, makeVersion } from '../fixtures.js';
import { testSchema, type TestSchema } from '../../support/stores.js';

let t: TestSchema;
let a: PostgresStore;
let b: PostgresStore;
beforeEach(async () => {
  t = await testSchema('latest');
  a = await openPostgresStore(t.options);
  b = await openPostgresStore(t.options);
});
afterEach(async () => {
  await a.close();
  await b.close();
  await t.drop();
});

const at = { at: '2026-01-01T01:00:00.000Z' };

test("another process's commit and re-extraction are seen by the next getLatest", async () => {
  await a.store.commitVersion(makeVersion('s', 1), at);
  const first = await a.store.getLatest('s');
  expect(first?.meta.version).toBe(1);
  expect(first).toEqual(await b.store.getLatest('s'));

  // A copy: what the caller does with it does not reach the next read.
  Object.assign(first!.article, { title: 'Changed by the caller' });
  expect((await a.store.getLatest('s'))!.article.title).toBe('Headline 1');

  // Process b commits version 2: a's cached version 1 is no longer the latest.
  await b.store.commitVersion(makeVersion('s', 2), at);
  expect((await a.store.getLatest('s'))?.meta.version).toBe(2);

  // Process b re-extracts version 2 (same n, a new row version): a sees the new extraction.
  const v2 = (await b.store.getVersion('s', 2))!;
  await b.store.replaceDerived('s', 2, makeArticle('Re-extracted headline', ['Only paragraph.']), v2.changes);
  const seen = await a.store.getLatest('s');
  expect(seen?.article.title).toBe('Re-extracted headline');
  expect(seen).toEqual(await b.store.getVersion('s', 2));

  // a's own commit of version 3 then b's re-extraction of it.
  await a.store.commitVersion(makeVersion('s', 3), at);
  expect(await a.store.getLatest('s')).toEqual(await b.store.getVersion('s', 3));
  await b.store.replaceDerived(
    's',
    3,
    makeArticle('Third, re-extracted', ['P.']),
    (await b.store.getVersion('s', 3))!.changes,
  );
  expect((await a.store.getLatest('s'))?.article.title).toBe('Third, re-extracted');
  expect(await a.store.getLatest('s')).toEqual(await b.store.getVersion('s', 3));
});

test('each committed version carries the id of its event; an appended one none', async () => {
  await a.store.commitVersion(makeVersion('e', 1), at);
  await a.store.appendVersion(makeVersion('e', 2));
  await b.store.commitVersion(makeVersion('e', 3), at);
  const rows = await t.sql(
    `select n, event_id::int as event from "${t.schema}".versions where article = 'e' order by n`,
  );
  const events = await a.log.readAfter(0);
  expect(rows.map((r): unknown[] => [r.n, r.event])).toEqual([
    [1, events.find((e) => e.version === 1)!.id],
    [2, null],
    [3, events.find((e) => e.version === 3)!.id],
  ]);
});
