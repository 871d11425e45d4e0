import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isWirediffError } from '../../src/core/errors.js';
import { EVENT_SCHEMA, type ChangeEvent } from '../../src/core/model/event.js';
import { openFileStore } from '../../src/store/open.js';
import type { FileEventLog } from '../../src/store/file/event-log.js';
import { encodeRecord } from '../../src/store/file/record-framing.js';
import { makeEvent } from './fixtures.js';
import { fileStoreEach } from '../support/stores.js';
import { rejectsWith } from '../support/errors.js';

const ctx = fileStoreEach();

describe('file event log', () => {
  it('group-commits concurrent appends in call order, and they survive a reopen', async () => {
    ctx.fs = await openFileStore({ dir: ctx.dir });
    const all = await Promise.all(
      Array.from({ length: 60 }, (_, i) => ctx.fs!.log.append(makeEvent(`art-${i % 3}`, i + 1))),
    );
    expect(all.map((e) => e.id)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(all.map((e) => e.version)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    await ctx.fs.close();
    ctx.fs = await openFileStore({ dir: ctx.dir });
    expect(await ctx.fs.log.readAfter(0)).toEqual(all);
    expect(await ctx.fs.log.bounds()).toEqual({ first: 1, last: 60 });
    const next = await ctx.fs.log.append(makeEvent('x', 1));
    expect(next.id).toBe(61);
  });

  it('reads old events from the file (beyond the in-memory tail), before and after a reopen', async () => {
    ctx.fs = await openFileStore({ dir: ctx.dir });
    const all: ChangeEvent[] = [];
    for (let i = 1; i <= 400; i++) all.push(await ctx.fs.log.append(makeEvent(i % 2 === 0 ? 'even' : 'odd', i)));
    expect(await ctx.fs.log.readAfter(0)).toEqual(all);
    expect(await ctx.fs.log.readAfter(10, 5)).toEqual(all.slice(10, 15));
    expect(await ctx.fs.log.readLatest(3, 'odd')).toEqual([all[394], all[396], all[398]]);
    await ctx.fs.close();
    ctx.fs = await openFileStore({ dir: ctx.dir });
    expect(await ctx.fs.log.readAfter(0)).toEqual(all);
    expect(await ctx.fs.log.readAfter(150, 200)).toEqual(all.slice(150, 350));
    expect(await ctx.fs.log.readLatest(400, 'even')).toEqual(all.filter((e) => e.article === 'even'));
  });

  it('bounds the events it keeps in memory by bytes, not only by count (40 events of 300 KB)', async () => {
    ctx.fs = await openFileStore({ dir: ctx.dir });
    const log = ctx.fs.log as FileEventLog;
    const all: ChangeEvent[] = [];
    for (let i = 1; i <= 40; i++) {
      all.push(await log.append({ ...makeEvent('big', i), summary: `${i} ${'x'.repeat(300_000)}` }));
    }
    expect(log.cached.bytes).toBeLessThanOrEqual((4 << 20) + 310_000);
    expect(log.cached.events).toBeLessThan(20);
    expect(await log.readAfter(0)).toEqual(all);
    await ctx.fs.close();
    ctx.fs = await openFileStore({ dir: ctx.dir });
    const reopened = ctx.fs.log as FileEventLog;
    expect(reopened.cached.bytes).toBeLessThanOrEqual((4 << 20) + 310_000);
    expect(await reopened.readAfter(30)).toEqual(all.slice(30));
  });

  it('opens a log of 200,000 events (its index is not handed over as 200,000 call arguments)', async () => {
    // Written as records directly: 200,000 appends would take minutes. Before, opening threw "Maximum call stack
    // size exceeded".
    const records: Buffer[] = [];
    for (let id = 1; id <= 200_000; id++) {
      const e = { schema: EVENT_SCHEMA, id, ...makeEvent(`story-number-${id % 7}`, 1) };
      records.push(encodeRecord(Buffer.from(JSON.stringify(e), 'utf8')));
    }
    await writeFile(join(ctx.dir, 'events.log'), Buffer.concat(records));
    ctx.fs = await openFileStore({ dir: ctx.dir });
    expect(await ctx.fs.log.bounds()).toEqual({ first: 1, last: 200_000 });
    const [last] = await ctx.fs.log.readLatest(1, 'story-number-6');
    expect(last).toMatchObject({ id: 199_996, article: 'story-number-6' });
    expect((await ctx.fs.log.readAfter(1000, 2)).map((e) => e.id)).toEqual([1001, 1002]);
    expect((await ctx.fs.log.append(makeEvent('next', 1))).id).toBe(200_001);
  }, 120_000);

  it('tells subscribers about each append, once, in order; unsubscribing stops it; a throwing listener is contained', async () => {
    ctx.fs = await openFileStore({ dir: ctx.dir });
    const seen: number[] = [];
    const seenTwice: number[] = [];
    const stop = ctx.fs.log.subscribe((e) => seen.push(e.id));
    ctx.fs.log.subscribe(() => {
      throw new Error('listener fault');
    });
    const stop2 = ctx.fs.log.subscribe((e) => seenTwice.push(e.id));
    await Promise.all([ctx.fs.log.append(makeEvent('a', 1)), ctx.fs.log.append(makeEvent('a', 2))]);
    await ctx.fs.log.append(makeEvent('a', 3));
    stop();
    await ctx.fs.log.append(makeEvent('a', 4));
    stop2();
    stop2();
    await ctx.fs.log.append(makeEvent('a', 5));
    expect(seen).toEqual([1, 2, 3]);
    expect(seenTwice).toEqual([1, 2, 3, 4]);
  });

  it('with retainEvents, serves only the newest events and reports bounds().first accordingly', async () => {
    ctx.fs = await openFileStore({ dir: ctx.dir, retainEvents: 3 });
    for (let i = 1; i <= 5; i++) await ctx.fs.log.append(makeEvent('a', i));
    expect(await ctx.fs.log.bounds()).toEqual({ first: 3, last: 5 });
    expect((await ctx.fs.log.readAfter(0)).map((e) => e.id)).toEqual([3, 4, 5]);
    expect((await ctx.fs.log.readAfter(3)).map((e) => e.id)).toEqual([4, 5]);
    expect((await ctx.fs.log.readLatest(10)).map((e) => e.id)).toEqual([3, 4, 5]);
    expect((await ctx.fs.log.readLatest(10, 'a')).map((e) => e.id)).toEqual([3, 4, 5]);
    await ctx.fs.close();
    // The file keeps everything: reopened without retention, all five are there.
    ctx.fs = await openFileStore({ dir: ctx.dir });
    expect((await ctx.fs.log.readAfter(0)).map((e) => e.id)).toEqual([1, 2, 3, 4, 5]);
  });

  it('with retainBytes, serves the newest events whose records fit in it (always the newest), the tighter bound winning', async () => {
    // Records of 15–20 KB each (random text compresses little): a 35 KB bound keeps two of them.
    const big = (i: number) => ({ ...makeEvent('a', i), summary: randomBytes(15_000).toString('base64') });
    ctx.fs = await openFileStore({ dir: ctx.dir, retainBytes: 35_000 });
    for (let i = 1; i <= 6; i++) await ctx.fs.log.append(big(i));
    expect(await ctx.fs.log.bounds()).toEqual({ first: 5, last: 6 });
    expect((await ctx.fs.log.readAfter(0)).map((e) => e.id)).toEqual([5, 6]);
    await ctx.fs.close();
    // Smaller than one record: the newest event is still served.
    ctx.fs = await openFileStore({ dir: ctx.dir, retainBytes: 1024 });
    expect(await ctx.fs.log.bounds()).toEqual({ first: 6, last: 6 });
    await ctx.fs.close();
    // With retainEvents too, the tighter bound wins either way.
    ctx.fs = await openFileStore({ dir: ctx.dir, retainBytes: 35_000, retainEvents: 1 });
    expect(await ctx.fs.log.bounds()).toEqual({ first: 6, last: 6 });
    await ctx.fs.close();
    ctx.fs = await openFileStore({ dir: ctx.dir, retainBytes: 1_000_000, retainEvents: 3 });
    expect(await ctx.fs.log.bounds()).toEqual({ first: 4, last: 6 });
  });
});

describe('openFileStore options and lifecycle', () => {
  it('validates options, naming the option, the range and the value', async () => {
    const bad: [unknown, RegExp][] = [
      [{ dir: '' }, /^openFileStore: Expected `dir` to be a non-empty string \(a folder path\), got `` \(string\)$/],
      [{ dir: 42 }, /Expected `dir` to be a non-empty string.*, got `42` \(number\)$/],
      [
        { dir: ctx.dir, retainEvents: 0 },
        /Expected `retainEvents` to be an integer from 1 to 9007199254740991.*, got `0` \(number\)$/,
      ],
      [
        { dir: ctx.dir, retainEvents: 2.5 },
        /Expected `retainEvents` to be an integer from 1 to .*, got `2\.5` \(number\)$/,
      ],
      [
        { dir: ctx.dir, retainEvents: '3' },
        /Expected `retainEvents` to be an integer from 1 to .*, got `3` \(string\)$/,
      ],
      [{ dir: ctx.dir, retainBytes: 0 }, /Expected `retainBytes` to be an integer from 1 to .*, got `0` \(number\)$/],
      [{ dir: ctx.dir, readOnly: 'yes' }, /Expected `readOnly` to be true or false, got `yes` \(string\)$/],
    ];
    for (const [options, message] of bad) {
      const err = await openFileStore(options as never).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isWirediffError(err, 'E_USAGE')).toBe(true);
      expect((err as Error).message).toMatch(message);
    }
  });

  it('closes idempotently; every call after close rejects with E_CLOSED', async () => {
    ctx.fs = await openFileStore({ dir: ctx.dir });
    await ctx.fs.log.append(makeEvent('a', 1));
    const { store, log } = ctx.fs;
    await Promise.all([ctx.fs.close(), ctx.fs.close()]);
    await ctx.fs.close();
    await store.close();
    await log.close();
    await rejectsWith(store.listArticles(), 'E_CLOSED');
    await rejectsWith(store.getArticle('a'), 'E_CLOSED');
    await rejectsWith(store.listVersions('a'), 'E_CLOSED');
    await rejectsWith(store.getVersion('a', 1), 'E_CLOSED');
    await rejectsWith(store.getLatest('a'), 'E_CLOSED');
    await rejectsWith(store.getRaw('a', 1), 'E_CLOSED');
    await rejectsWith(store.recordVariant('a', 1, 'x'), 'E_CLOSED');
    await rejectsWith(log.append(makeEvent('a', 2)), 'E_CLOSED');
    await rejectsWith(log.readAfter(0), 'E_CLOSED');
    await rejectsWith(log.readLatest(1), 'E_CLOSED');
    await rejectsWith(log.bounds(), 'E_CLOSED');
    expect(() => log.subscribe(() => undefined)).toThrow(/closed/);
  });

  it('finishes writes accepted before close', async () => {
    ctx.fs = await openFileStore({ dir: ctx.dir });
    const pending = [ctx.fs.log.append(makeEvent('a', 1)), ctx.fs.log.append(makeEvent('a', 2))];
    await ctx.fs.close();
    expect((await Promise.all(pending)).map((e) => e.id)).toEqual([1, 2]);
    ctx.fs = await openFileStore({ dir: ctx.dir });
    expect((await ctx.fs.log.bounds()).last).toBe(2);
  });

  it('allows one writer per folder; a read-only opener sees the data and refuses writes', async () => {
    ctx.fs = await openFileStore({ dir: ctx.dir });
    await ctx.fs.log.append(makeEvent('a', 1));
    await rejectsWith(openFileStore({ dir: ctx.dir }), 'E_STORE_LOCKED');
    const reader = await openFileStore({ dir: ctx.dir, readOnly: true });
    try {
      expect((await reader.log.readAfter(0)).map((e) => e.id)).toEqual([1]);
      await rejectsWith(reader.log.append(makeEvent('a', 2)), 'E_READ_ONLY');
    } finally {
      await reader.close();
    }
    await ctx.fs.close();
    ctx.fs = await openFileStore({ dir: ctx.dir });
    expect((await ctx.fs.log.bounds()).last).toBe(1);
  });
});
