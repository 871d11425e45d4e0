import { spawnSync } from 'node:child_process';
import { appendFile, readdir, readFile, rename, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isWirediffError } from '../../src/core/errors.js';
import type { ChangeEvent } from '../../src/core/model/event.js';
import { encodeVersionFile } from '../../src/store/file/version-file.js';
import { openFileStore } from '../../src/store/open.js';
import type { FileStore } from '../../src/store/open.js';
import { makeEvent, makeVersion, readVersionParts } from './fixtures.js';
import { fileStoreEach } from '../support/stores.js';

const ctx = fileStoreEach();

async function openError(options: Parameters<typeof openFileStore>[0]): Promise<unknown> {
  return openFileStore(options).then(
    async (s) => {
      await s.close();
      return undefined;
    },
    (e: unknown) => e,
  );
}

/** Writes `n` events and closes; returns them and the log's size. */
async function seedLog(n: number): Promise<{ events: ChangeEvent[]; size: number; logPath: string }> {
  const s = await openFileStore({ dir: ctx.dir });
  const events: ChangeEvent[] = [];
  for (let i = 1; i <= n; i++) events.push(await s.log.append(makeEvent(`art-${i % 2}`, i)));
  await s.close();
  const logPath = join(ctx.dir, 'events.log');
  return { events, size: (await stat(logPath)).size, logPath };
}

describe('recovery of the event log', () => {
  it('truncates garbage appended after the last record, keeping every whole record', async () => {
    const { events, size, logPath } = await seedLog(5);
    await appendFile(logPath, Buffer.from('this is not a record \x00\xff garbage'.repeat(3), 'latin1'));
    ctx.fs = await openFileStore({ dir: ctx.dir });
    expect(ctx.fs.recovery.truncatedLogBytes).toBeGreaterThan(0);
    expect((await stat(logPath)).size).toBe(size);
    expect(await ctx.fs.log.readAfter(0)).toEqual(events);
    expect((await ctx.fs.log.append(makeEvent('next', 1))).id).toBe(6);
    await ctx.fs.close();
    ctx.fs = await openFileStore({ dir: ctx.dir });
    expect(ctx.fs.recovery.truncatedLogBytes).toBe(0);
    expect((await ctx.fs.log.readAfter(0)).map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('truncates a record cut in its payload or in its header (a torn append)', async () => {
    const { events, size, logPath } = await seedLog(4);
    const lastLen = Buffer.byteLength(JSON.stringify(events[3])) + 12;
    for (const cut of [Math.floor(lastLen / 2), 5, 1, lastLen - 1]) {
      await truncate(logPath, size - lastLen + cut);
      const s = await openFileStore({ dir: ctx.dir });
      try {
        expect(s.recovery.truncatedLogBytes).toBe(cut);
        expect(await s.log.readAfter(0)).toEqual(events.slice(0, 3));
        expect((await stat(logPath)).size).toBe(size - lastLen);
        // Put the record back for the next cut.
        expect((await s.log.append(makeEvent(events[3]!.article, events[3]!.version))).id).toBe(4);
      } finally {
        await s.close();
      }
      expect((await stat(logPath)).size).toBe(size);
    }
  });

  it('truncates a zero-filled tail (size extended before the data reached the disk)', async () => {
    const { events, size, logPath } = await seedLog(3);
    await appendFile(logPath, Buffer.alloc(4096));
    ctx.fs = await openFileStore({ dir: ctx.dir });
    expect(ctx.fs.recovery.truncatedLogBytes).toBe(4096);
    expect((await stat(logPath)).size).toBe(size);
    expect(await ctx.fs.log.readAfter(0)).toEqual(events);
  });

  it('refuses (E_CORRUPT) a damaged record followed by valid ones, and changes nothing', async () => {
    const { size, logPath } = await seedLog(5);
    const bytes = await readFile(logPath);
    bytes[Math.floor(size / 2)]! ^= 0x20;
    await writeFile(logPath, bytes);
    const err = await openError({ dir: ctx.dir });
    expect(isWirediffError(err, 'E_CORRUPT')).toBe(true);
    expect((err as Error).message).toMatch(/refusing to drop them/);
    expect((await readFile(logPath)).equals(bytes)).toBe(true);
  });

  it('read-only open serves the whole records of a torn log and leaves the file as it is', async () => {
    const { events, size, logPath } = await seedLog(3);
    await appendFile(logPath, Buffer.from('WDR1\x00\x00', 'latin1'));
    const r = await openFileStore({ dir: ctx.dir, readOnly: true });
    try {
      expect(await r.log.readAfter(0)).toEqual(events);
      expect(r.recovery.truncatedLogBytes).toBe(6);
    } finally {
      await r.close();
    }
    expect((await stat(logPath)).size).toBe(size + 6);
  });
});

describe('recovery of the snapshot folders', () => {
  async function seedStore(): Promise<void> {
    const s = await openFileStore({ dir: ctx.dir });
    await s.store.appendVersion(makeVersion('story', 1));
    await s.store.appendVersion(makeVersion('story', 2));
    await s.store.appendVersion(makeVersion('other', 1));
    await s.close();
  }

  /** Every version of the seeded store as read back: metas, documents and raw bytes. */
  async function readBack(opened?: FileStore): Promise<unknown[]> {
    const s = opened ?? (await openFileStore({ dir: ctx.dir, readOnly: true }));
    try {
      const out: unknown[] = [];
      for (const [id, n] of [
        ['story', 1],
        ['story', 2],
        ['other', 1],
      ] as const) {
        const raw = await s.store.getRaw(id, n);
        out.push(await s.store.getVersion(id, n), raw?.contentType, Buffer.from(raw!.bytes).toString('hex'));
      }
      return out;
    } finally {
      if (!opened) await s.close();
    }
  }

  /** Rewrites every version file as the older layout's pair (`.raw` + a `.json` document without an event). */
  async function toTwoFileLayout(): Promise<void> {
    for (const id of ['story', 'other']) {
      const articleDir = join(ctx.dir, 'articles', id);
      for (const name of await readdir(articleDir)) {
        const path = join(articleDir, name);
        if (name === 'index.json') await rm(path);
        if (!name.endsWith('.wdv')) continue;
        const parts = await readVersionParts(path);
        const { event: _event, ...doc } = parts.doc;
        await writeFile(path.replace(/\.wdv$/, '.json'), JSON.stringify(doc));
        await writeFile(path.replace(/\.wdv$/, '.raw'), parts.raw);
        await rm(path);
      }
    }
  }

  it('removes leftover temp files everywhere and rebuilds the index from the files', async () => {
    await seedStore();
    const temps = [
      join(ctx.dir, '.tmp-events.log-1-abc'),
      join(ctx.dir, 'articles', '.tmp-000001.wdv-1-abc'),
      join(ctx.dir, 'articles', 'story', '.tmp-000003.wdv-77-deadbeef'),
      join(ctx.dir, 'articles', 'story', '.tmp-variants.json-77-0'),
    ];
    for (const t of temps) await writeFile(t, 'partial');
    ctx.fs = await openFileStore({ dir: ctx.dir });
    expect([...ctx.fs.recovery.removed].sort()).toEqual([...temps].sort());
    expect((await readdir(join(ctx.dir, 'articles', 'story'))).sort()).toEqual([
      '000001.wdv',
      '000002.wdv',
      'index.json',
    ]);
    expect((await ctx.fs.store.listArticles()).map((a) => [a.id, a.versions])).toEqual([
      ['story', 2],
      ['other', 1],
    ]);
    expect((await ctx.fs.store.getVersion('story', 2))?.meta.title).toBe('Headline 2');
  });

  it('converts a store of the older two-file layout (.raw + .json per version), dropping a half-written newest pair', async () => {
    await seedStore();
    const expected = await readBack();
    const storyDir = join(ctx.dir, 'articles', 'story');
    await toTwoFileLayout();
    await writeFile(join(storyDir, '000003.raw'), 'half of a version: its document never landed');
    // A read-only open cannot convert: it says what to do.
    const ro = await openError({ dir: ctx.dir, readOnly: true });
    expect(isWirediffError(ro, 'E_STORE_OUTDATED')).toBe(true);
    expect((ro as Error).message).toMatch(/older wirediff.*open the store once for writing/);
    ctx.fs = await openFileStore({ dir: ctx.dir });
    expect(ctx.fs.recovery.converted).toBe(3);
    expect(ctx.fs.recovery.removed).toContain(join(storyDir, '000003.raw'));
    expect((await readdir(storyDir)).sort()).toEqual(['000001.wdv', '000002.wdv']);
    expect(await readBack(ctx.fs)).toEqual(expected);
    // The number is free again, and the converted store reopens without converting anything.
    expect((await ctx.fs.store.appendVersion(makeVersion('story', 3))).version).toBe(3);
    await ctx.fs.close();
    ctx.fs = await openFileStore({ dir: ctx.dir });
    expect(ctx.fs.recovery.converted).toBe(0);
    expect(await ctx.fs.store.listVersions('story')).toHaveLength(3);
  });

  it('finishes a conversion cut short: a version file beside leftovers of its old pair wins', async () => {
    await seedStore();
    const expected = await readBack();
    const storyDir = join(ctx.dir, 'articles', 'story');
    const wdv1 = await readFile(join(storyDir, '000001.wdv'));
    await toTwoFileLayout();
    await writeFile(join(storyDir, '000001.wdv'), wdv1); // converted, but the old pair not yet removed
    ctx.fs = await openFileStore({ dir: ctx.dir });
    expect(ctx.fs.recovery.converted).toBe(2); // story 2 and other 1
    expect((await readdir(storyDir)).sort()).toEqual(['000001.wdv', '000002.wdv']);
    expect(await readBack(ctx.fs)).toEqual(expected);
  });

  it('refuses (E_CORRUPT) a missing older version or a damaged version file instead of guessing', async () => {
    await seedStore();
    const storyDir = join(ctx.dir, 'articles', 'story');
    const file1 = await readFile(join(storyDir, '000001.wdv'));
    await rm(join(storyDir, '000001.wdv'));
    const e1 = await openError({ dir: ctx.dir });
    expect(isWirediffError(e1, 'E_CORRUPT')).toBe(true);
    expect((e1 as Error).message).toMatch(/version 1 is missing while version 2 exists/);
    await writeFile(join(storyDir, '000001.wdv'), file1.subarray(0, 20));
    const e2 = await openError({ dir: ctx.dir });
    expect(isWirediffError(e2, 'E_CORRUPT')).toBe(true);
    await writeFile(join(storyDir, '000001.wdv'), Buffer.concat([Buffer.from('XXXX'), file1.subarray(4)]));
    const e3 = await openError({ dir: ctx.dir });
    expect((e3 as Error).message).toMatch(/not a wirediff version file/);
    await writeFile(join(storyDir, '000001.wdv'), Buffer.concat([file1, Buffer.from('bytes too many')]));
    const e4 = await openError({ dir: ctx.dir });
    expect(isWirediffError(e4, 'E_CORRUPT')).toBe(true);
    // The same in the uncompressed layout: a raw length that disagrees with the meta is named.
    await writeFile(join(storyDir, '000001.wdv'), file1);
    const parts = await readVersionParts(join(storyDir, '000001.wdv'));
    await writeFile(
      join(storyDir, '000001.wdv'),
      encodeVersionFile(Buffer.from(JSON.stringify(parts.doc)), Buffer.concat([parts.raw, Buffer.from('x')])),
    );
    const e5 = await openError({ dir: ctx.dir });
    expect(isWirediffError(e5, 'E_CORRUPT')).toBe(true);
    expect((e5 as Error).message).toMatch(/raw bytes, its meta says/);
    await writeFile(join(storyDir, '000001.wdv'), file1);
    ctx.fs = await openFileStore({ dir: ctx.dir });
    expect(await ctx.fs.store.listVersions('story')).toHaveLength(2);
  });

  it('opens over a lock file left by a process that is gone, an empty one, or one naming this pid', async () => {
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const deadPid = Number(child.stdout);
    expect(deadPid).toBeGreaterThan(0);
    await seedStore();
    await writeFile(join(ctx.dir, 'lock'), `${deadPid}\n`);
    ctx.fs = await openFileStore({ dir: ctx.dir });
    expect((await readFile(join(ctx.dir, 'lock'), 'utf8')).trim()).toBe(String(process.pid));
    await ctx.fs.close();
    // The file stays (only the OS lock on it is released), emptied of the pid.
    expect(await readFile(join(ctx.dir, 'lock'), 'utf8')).toBe('');
    ctx.fs = await openFileStore({ dir: ctx.dir });
    expect((await ctx.fs.store.getArticle('story'))?.versions).toBe(2);
    await ctx.fs.close();
    // A lock naming this very pid that this process does not hold: an earlier process with the same pid left it.
    await writeFile(join(ctx.dir, 'lock'), `${process.pid}\n`);
    ctx.fs = await openFileStore({ dir: ctx.dir });
    expect((await ctx.fs.store.getArticle('story'))?.versions).toBe(2);
  });

  it('takes metas from the index cache only while each document is unchanged', async () => {
    await seedStore();
    ctx.fs = await openFileStore({ dir: ctx.dir });
    // Closed cleanly: every meta comes from the cache, no document is read.
    expect(ctx.fs.recovery).toMatchObject({ metasFromIndex: 3, docsRead: 0 });
    const before = await ctx.fs.store.listArticles();
    await ctx.fs.close();
    // A version file replaced behind the cache's back (as a crash after replaceDerived would leave it).
    const path = join(ctx.dir, 'articles', 'story', '000002.wdv');
    const { doc, raw } = await readVersionParts(path);
    doc.meta.title = 'Re-extracted headline';
    await writeFile(`${path}.new`, encodeVersionFile(Buffer.from(JSON.stringify(doc)), raw));
    await rename(`${path}.new`, path);
    ctx.fs = await openFileStore({ dir: ctx.dir });
    expect(ctx.fs.recovery).toMatchObject({ metasFromIndex: 2, docsRead: 1 });
    expect((await ctx.fs.store.getArticle('story'))?.title).toBe('Re-extracted headline');
    await ctx.fs.close();
    // A garbage cache is ignored; the index is rebuilt from the documents and rewritten.
    await writeFile(join(ctx.dir, 'articles', 'story', 'index.json'), '{"schema": "wirediff.meta-index/1", "entr');
    ctx.fs = await openFileStore({ dir: ctx.dir });
    expect(ctx.fs.recovery).toMatchObject({ metasFromIndex: 1, docsRead: 2 });
    expect((await ctx.fs.store.listArticles()).map((a) => [a.id, a.versions, a.title])).toEqual(
      before.map((a) => [a.id, a.versions, a.id === 'story' ? 'Re-extracted headline' : a.title]),
    );
    await ctx.fs.close();
    ctx.fs = await openFileStore({ dir: ctx.dir });
    expect(ctx.fs.recovery).toMatchObject({ metasFromIndex: 3, docsRead: 0 });
  });

  it('keeps the cache honest when it lists a version whose file is gone', async () => {
    await seedStore();
    const storyDir = join(ctx.dir, 'articles', 'story');
    // An index that claims a third version whose file is not there.
    const s = await openFileStore({ dir: ctx.dir });
    await s.store.appendVersion(makeVersion('story', 3));
    await s.close();
    await rm(join(storyDir, '000003.wdv'));
    ctx.fs = await openFileStore({ dir: ctx.dir });
    expect((await ctx.fs.store.listVersions('story')).map((m) => m.version)).toEqual([1, 2]);
    expect((await ctx.fs.store.appendVersion(makeVersion('story', 3, { contentHash: 'again' }))).contentHash).toBe(
      'again',
    );
    await ctx.fs.close();
    ctx.fs = await openFileStore({ dir: ctx.dir });
    expect((await ctx.fs.store.getVersion('story', 3))?.meta.contentHash).toBe('again');
    expect(ctx.fs.recovery.docsRead).toBe(0);
  });
});
