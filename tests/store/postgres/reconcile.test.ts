/**
 * The watcher's start-up check (watcher/reconcile.ts) on PostgreSQL: the newest version of an article stored without
 * its event gets it, once, exactly as on the file store, and the check reads every article's last event in one
 * query (`EventLog.lastEventVersions`) instead of one `readLatest` per article.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { EventLog } from '../../../src/store/types.js';
import { openPostgresStore, type PostgresStore } from '../../../src/store/postgres/open.js';
import { reconcileEvents } from '../../../src/ingest/reconcile.js';
import { makeVersion } from '../fixtures.js';
import { testSchema, type TestSchema } from '../../support/stores.js';

let t: TestSchema;
let opened: PostgresStore;
beforeEach(async () => {
  t = await testSchema('reconcile');
  opened = await openPostgresStore(t.options);
});
afterEach(async () => {
  await opened.close();
  await t.drop();
});

/** The real log, counting the calls the check makes to it. */
function counted(log: EventLog): { log: EventLog; calls: Record<string, number> } {
  const calls: Record<string, number> = {};
  const wrapped = new Proxy(log, {
    get(target, name, receiver) {
      const v: unknown = Reflect.get(target, name, receiver);
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        calls[String(name)] = (calls[String(name)] ?? 0) + 1;
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { log: wrapped, calls };
}

test('the newest version stored without its event gets it, once, with one read of the last events', async () => {
  const { store, log } = opened;
  const at = { at: '2026-01-01T01:00:00.000Z' };
  await store.appendVersion(makeVersion('a', 1)); // a: v1 without its event
  await store.commitVersion(makeVersion('b', 1), at);
  await store.appendVersion(makeVersion('b', 2)); // b: v2 without its event
  await store.commitVersion(makeVersion('c', 1), at);
  await store.commitVersion(makeVersion('c', 2), at); // c: complete
  await store.appendVersion(makeVersion('d', 1));
  await store.appendVersion(makeVersion('d', 2)); // d: two without events: not a crash the check repairs
  for (let i = 0; i < 20; i++) await store.commitVersion(makeVersion(`many-${i}`, 1), at);

  expect(Object.fromEntries(await log.lastEventVersions!())).toEqual({
    b: 1,
    c: 2,
    ...Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`many-${i}`, 1])),
  });

  const first = counted(log);
  const appended = await reconcileEvents({ store, log: first.log }, () => Date.parse('2026-01-02T00:00:00Z'));
  expect(appended.map((e) => `${e.article}@${e.version}`).sort()).toEqual(['a@1', 'b@2']);
  expect(first.calls).toMatchObject({ lastEventVersions: 1, append: 2 });
  expect(first.calls['readLatest']).toBeUndefined();

  const second = counted(log);
  expect(await reconcileEvents({ store, log: second.log }, () => Date.now())).toEqual([]);
  expect(second.calls).toEqual({ bounds: 1, lastEventVersions: 1 });

  // Each version of a and b has exactly one event now (the order is listArticles' order: newest change first).
  const events = await log.readAfter(0);
  const ab = events.filter((e) => e.article === 'a' || e.article === 'b').map((e) => `${e.article}@${e.version}`);
  expect(ab.sort()).toEqual(['a@1', 'b@1', 'b@2']);
});
