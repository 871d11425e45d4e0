/**
 * `commitVersion`: a version and its change event kept as one durable write. The event's id is recorded in the
 * version's file; the log writes the event without a flush of its own, so an event the log lost (a machine that went
 * down before the kernel wrote it out) is rebuilt on open from the version that names it, and an id whose version
 * never landed becomes a void record that readers skip.
 */
import { mkdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isWirediffError } from '../../src/core/errors.js';
import type { ChangeEvent } from '../../src/core/model/event.js';
import { encodeVersionFile } from '../../src/store/file/version-file.js';
import { openFileStore } from '../../src/store/open.js';
import { makeEvent, makeVersion, readVersionParts } from './fixtures.js';
import { fileStoreEach } from '../support/stores.js';
import { failure } from '../support/errors.js';

const ctx = fileStoreEach();

const at = (minute: number): string => new Date(Date.UTC(2026, 11, 1, 9, minute)).toISOString();

/** The event reference inside a version file's document. */
async function eventRefOf(article: string, n: number): Promise<unknown> {
  return (await readVersionParts(join(ctx.dir, 'articles', article, `${String(n).padStart(6, '0')}.wdv`))).doc.event;
}

describe('commitVersion', () => {
  it('keeps the version and publishes its event, built from the version, with the id named in its file', async () => {
    ctx.fs = await openFileStore({ dir: ctx.dir });
    const seen: ChangeEvent[] = [];
    ctx.fs.log.subscribe((e) => seen.push(e));
    const v2 = makeVersion('story', 2, { expectedLatest: 1 });
    const one = await ctx.fs.store.commitVersion(makeVersion('story', 1), { at: at(1) });
    const two = await ctx.fs.store.commitVersion(v2, { at: at(2) });
    expect(one.meta.version).toBe(1);
    expect(two.event).toEqual({
      schema: 'wirediff.event/1',
      id: 2,
      at: at(2),
      article: 'story',
      version: 2,
      title: two.meta.title,
      kind: two.meta.kind,
      summary: two.meta.summary,
      significance: two.meta.significance,
      changes: v2.changes,
    });
    expect(seen).toEqual([one.event, two.event]);
    expect(await ctx.fs.log.readAfter(0)).toEqual([one.event, two.event]);
    expect(await eventRefOf('story', 2)).toEqual({ id: 2, at: at(2) });
    // Versions appended without an event (imports) name none.
    await ctx.fs.store.appendVersion(makeVersion('quiet', 1));
    expect(await eventRefOf('quiet', 1)).toBeNull();
    await ctx.fs.close();
    ctx.fs = await openFileStore({ dir: ctx.dir });
    expect(ctx.fs.recovery.eventsRebuilt).toBe(0);
    expect(await ctx.fs.log.readAfter(0)).toEqual([one.event, two.event]);
  });

  it('refuses bad input and a stale expectedLatest before taking an id', async () => {
    ctx.fs = await openFileStore({ dir: ctx.dir });
    await ctx.fs.store.commitVersion(makeVersion('a', 1), { at: at(1) });
    const stale = await failure(ctx.fs.store.commitVersion(makeVersion('a', 2, { expectedLatest: 0 }), { at: at(2) }));
    expect(isWirediffError(stale, 'E_CONFLICT')).toBe(true);
    const noTime = await failure(ctx.fs.store.commitVersion(makeVersion('a', 2), {} as { at: string }));
    expect(isWirediffError(noTime, 'E_USAGE')).toBe(true);
    expect((noTime as Error).message).toMatch(/`event` must be \{ at: string \}/);
    // No id was used up by the refusals: the next event is id 2.
    expect((await ctx.fs.store.commitVersion(makeVersion('a', 2), { at: at(2) })).event.id).toBe(2);
    expect((await ctx.fs.log.bounds()).last).toBe(2);
  });

  it('serves events still on their way to the file, and a range that spans the file and them', async () => {
    ctx.fs = await openFileStore({ dir: ctx.dir });
    const ids: number[] = [];
    for (let n = 1; n <= 100; n++) {
      for (const a of ['x', 'y', 'z'])
        ids.push((await ctx.fs.store.commitVersion(makeVersion(a, n), { at: at(n) })).event.id);
    }
    expect(ids).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    // More than the in-memory tail (256): the oldest come from the file, the newest from memory.
    const all = await ctx.fs.log.readAfter(0);
    expect(all.map((e) => e.id)).toEqual(ids);
    expect(all.map((e) => `${e.article}${e.version}`).slice(0, 4)).toEqual(['x1', 'y1', 'z1', 'x2']);
    expect((await ctx.fs.log.readAfter(40, 30)).map((e) => e.id)).toEqual(ids.slice(40, 70));
    expect((await ctx.fs.log.readLatest(2, 'y')).map((e) => e.version)).toEqual([99, 100]);
    await ctx.fs.close();
    // On close every record reached the file: nothing to rebuild, the same events read back.
    ctx.fs = await openFileStore({ dir: ctx.dir });
    expect(ctx.fs.recovery.eventsRebuilt).toBe(0);
    expect(await ctx.fs.log.readAfter(0)).toEqual(all);
  });
});

describe('events the log lost', () => {
  /** Commits a, b, a (events 1, 2, 3), appends an imported event (4), closes, and returns the events. */
  async function seed(): Promise<ChangeEvent[]> {
    const s = await openFileStore({ dir: ctx.dir });
    const events = [
      (await s.store.commitVersion(makeVersion('a', 1), { at: at(1) })).event,
      (await s.store.commitVersion(makeVersion('b', 1), { at: at(2) })).event,
      (await s.store.commitVersion(makeVersion('a', 2), { at: at(3) })).event,
      await s.log.append(makeEvent('imported', 1)),
    ];
    await s.close();
    return events;
  }

  it('rebuilds them on open from the versions that name them, with their ids, times and content', async () => {
    const events = await seed();
    // The machine went down before the kernel wrote the log out: only the first event reached the disk.
    const logPath = join(ctx.dir, 'events.log');
    const first = (await readFile(logPath)).indexOf('WDR1', 4);
    await truncate(logPath, first);
    ctx.fs = await openFileStore({ dir: ctx.dir });
    expect(ctx.fs.recovery.eventsRebuilt).toBe(2);
    expect(ctx.fs.recovery.eventsVoided).toBe(0);
    // The imported event was appended durably by its own caller; in this simulated loss it is gone with the rest,
    // which is what an fdatasync'd append can never suffer: events 2 and 3 come back, 4 does not exist.
    expect(await ctx.fs.log.readAfter(0)).toEqual(events.slice(0, 3));
    expect((await ctx.fs.store.commitVersion(makeVersion('b', 2), { at: at(9) })).event.id).toBe(4);
    await ctx.fs.close();
    ctx.fs = await openFileStore({ dir: ctx.dir });
    expect(ctx.fs.recovery.eventsRebuilt).toBe(0);
    expect((await ctx.fs.log.readAfter(0)).map((e) => e.id)).toEqual([1, 2, 3, 4]);
  });

  it('voids an id whose version never landed; readers skip it and ids go on after it', async () => {
    await seed();
    await truncate(join(ctx.dir, 'events.log'), 0);
    // b's only version (event 2) is gone too, as if its rename never reached the disk.
    await rm(join(ctx.dir, 'articles', 'b'), { recursive: true });
    ctx.fs = await openFileStore({ dir: ctx.dir });
    expect(ctx.fs.recovery).toMatchObject({ eventsRebuilt: 2, eventsVoided: 1 });
    const events = await ctx.fs.log.readAfter(0);
    expect(events.map((e) => [e.id, e.article, e.version])).toEqual([
      [1, 'a', 1],
      [3, 'a', 2],
    ]);
    expect(await ctx.fs.log.bounds()).toEqual({ first: 1, last: 3 });
    // A limit counts events, not ids: the void id takes no room.
    expect((await ctx.fs.log.readAfter(0, 2)).map((e) => e.id)).toEqual([1, 3]);
    expect((await ctx.fs.log.readAfter(1, 1)).map((e) => e.id)).toEqual([3]);
    expect((await ctx.fs.log.readLatest(2)).map((e) => e.id)).toEqual([1, 3]);
    expect((await ctx.fs.log.readLatest(1)).map((e) => e.id)).toEqual([3]);
    expect((await ctx.fs.store.commitVersion(makeVersion('a', 3), { at: at(9) })).event.id).toBe(4);
  });

  it('refuses (E_CORRUPT) two versions naming one lost event id rather than guessing', async () => {
    await seed();
    await truncate(join(ctx.dir, 'events.log'), 0);
    // b's version 1 rewritten to name event 3, which a's version 2 names too.
    const path = join(ctx.dir, 'articles', 'b', '000001.wdv');
    const { doc, raw } = await readVersionParts(path);
    doc.event.id = 3;
    await writeFile(path, encodeVersionFile(Buffer.from(JSON.stringify(doc)), raw));
    const err = await failure(openFileStore({ dir: ctx.dir }));
    expect(isWirediffError(err, 'E_CORRUPT')).toBe(true);
    expect((err as Error).message).toMatch(/a version 2 and b version 1 both name event 3/);
  });

  it('gives up the id of a commit whose write fails: no event for it, later commits go on', async () => {
    ctx.fs = await openFileStore({ dir: ctx.dir });
    const seen: number[] = [];
    ctx.fs.log.subscribe((e) => seen.push(e.id));
    await ctx.fs.store.commitVersion(makeVersion('a', 1), { at: at(1) });
    // A folder where version 2's file must go: the rename fails.
    await mkdir(join(ctx.dir, 'articles', 'a', '000002.wdv', 'blocker'), { recursive: true });
    const err = await failure(ctx.fs.store.commitVersion(makeVersion('a', 2), { at: at(2) }));
    expect(isWirediffError(err, 'E_IO')).toBe(true);
    const next = await ctx.fs.store.commitVersion(makeVersion('b', 1), { at: at(3) });
    expect(next.event.id).toBe(3);
    expect(seen).toEqual([1, 3]);
    expect((await ctx.fs.log.readAfter(0)).map((e) => e.id)).toEqual([1, 3]);
    expect(await ctx.fs.store.listVersions('a')).toHaveLength(1);
    await ctx.fs.close();
    await rm(join(ctx.dir, 'articles', 'a', '000002.wdv'), { recursive: true });
    ctx.fs = await openFileStore({ dir: ctx.dir });
    expect((await ctx.fs.log.readAfter(0)).map((e) => e.id)).toEqual([1, 3]);
    expect((await ctx.fs.store.commitVersion(makeVersion('a', 2), { at: at(4) })).event.id).toBe(4);
  });
});
