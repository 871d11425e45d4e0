import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isTempName, tempPathFor, tempTargetOf, writeFileAtomic } from '../../src/lib/atomic-write.js';
import { tempDir } from '../support/temp.js';

let dir: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('wirediff-atomic-'));
});
afterEach(async () => {
  await cleanup();
});

const T = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('writeFileAtomic', () => {
  it('writes bytes, text and content written in parts, replacing the old file, and leaves no temp file', async () => {
    const file = join(dir, 'a.json');
    await writeFileAtomic(file, new Uint8Array([0x7b, 0x7d]));
    expect(await readFile(file, 'utf8')).toBe('{}');
    await writeFileAtomic(file, 'héllo');
    expect(await readFile(file, 'utf8')).toBe('héllo');
    await writeFileAtomic(file, async (fh) => {
      for (const line of ['one\n', 'two\n', 'three\n']) await fh.write(line);
    });
    expect(await readFile(file, 'utf8')).toBe('one\ntwo\nthree\n');
    await writeFileAtomic(file, 'scratch', { durable: false });
    expect(await readFile(file, 'utf8')).toBe('scratch');
    expect(await readdir(dir)).toEqual(['a.json']);
  });

  it('gives the file its mode (0o644 by default, the umask applying) and the mtime asked for', async () => {
    const umask = process.umask();
    const file = join(dir, 'feed.xml');
    await writeFileAtomic(file, '<rss/>');
    expect((await stat(file)).mode & 0o777).toBe(0o644 & ~umask);
    await writeFileAtomic(file, '<rss/>', { mode: 0o600, mtimeMs: T });
    const st = await stat(file);
    expect(st.mode & 0o777).toBe(0o600 & ~umask);
    expect(st.mtimeMs).toBe(T);
    await writeFileAtomic(file, async (fh) => void (await fh.write('x')), { mtimeMs: T + 1000 });
    expect((await stat(file)).mtimeMs).toBe(T + 1000);
  });

  it('fsyncs the folder after the rename (through the syncDir given), and not at all when not durable', async () => {
    const synced: string[] = [];
    const syncDir = (d: string): Promise<void> => {
      synced.push(d);
      return Promise.resolve();
    };
    const file = join(dir, 'x');
    await writeFileAtomic(file, 'a', { syncDir });
    await writeFileAtomic(file, async (fh) => void (await fh.write('b')), { syncDir });
    expect(synced).toEqual([dir, dir]);
    await writeFileAtomic(file, 'c', { syncDir, durable: false });
    expect(synced).toEqual([dir, dir]);
    // A failed folder fsync is thrown; the file is already in place.
    const failing = (): Promise<void> => Promise.reject(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }));
    await expect(writeFileAtomic(file, 'd', { syncDir: failing })).rejects.toMatchObject({ code: 'EIO' });
    expect(await readFile(file, 'utf8')).toBe('d');
    expect(await readdir(dir)).toEqual(['x']);
  });

  describe('a failed write leaves the old file as it was and no temp file', () => {
    it('when the rename fails (a folder holds the final name)', async () => {
      const busy = join(dir, 'busy');
      await mkdir(busy);
      await writeFile(join(busy, 'inside'), 'x');
      await expect(writeFileAtomic(busy, 'new')).rejects.toMatchObject({
        code: expect.stringMatching(/EISDIR|ENOTEMPTY|EEXIST/),
      });
      await expect(writeFileAtomic(busy, async (fh) => void (await fh.write('new')))).rejects.toMatchObject({
        code: expect.stringMatching(/EISDIR|ENOTEMPTY|EEXIST/),
      });
      expect(await readdir(dir)).toEqual(['busy']);
      expect(await readdir(busy)).toEqual(['inside']);
    });

    it('when the content writer fails half-way (its own error is thrown)', async () => {
      const file = join(dir, 'export.jsonl');
      await writeFile(file, 'old\n');
      const boom = new Error('the store could not be read');
      await expect(
        writeFileAtomic(file, async (fh) => {
          await fh.write('half of the new file\n');
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(await readFile(file, 'utf8')).toBe('old\n');
      expect(await readdir(dir)).toEqual(['export.jsonl']);
    });

    it('when the temp file cannot be created (no such folder)', async () => {
      await expect(writeFileAtomic(join(dir, 'nowhere', 'f'), 'x')).rejects.toMatchObject({ code: 'ENOENT' });
      expect(await readdir(dir)).toEqual([]);
    });
  });
});

describe('temp names', () => {
  it('are hidden, unique, beside the final file, and name the file they were written for', () => {
    const a = tempPathFor(join(dir, 'all.xml'));
    const b = tempPathFor(join(dir, 'all.xml'));
    expect(a).not.toBe(b);
    for (const p of [a, b]) {
      const name = p.slice(dir.length + 1);
      expect(p.startsWith(`${dir}/`)).toBe(true);
      expect(isTempName(name)).toBe(true);
      expect(tempTargetOf(name)).toBe('all.xml');
    }
    expect(tempTargetOf(tempPathFor(join(dir, 'my-story-2.txt')).slice(dir.length + 1))).toBe('my-story-2.txt');
    for (const other of ['all.xml', '.all.xml.tmp', '.tmp-', '.tmp-all.xml', 'x.tmp-all.xml-1-0123abcd-0']) {
      expect(tempTargetOf(other)).toBeUndefined();
    }
    expect(isTempName('all.xml')).toBe(false);
  });
});
