import { mkdir, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DirSyncer } from '../../src/lib/dir-sync.js';
import { tempDir } from '../support/temp.js';

let dir: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('wirediff-dirsync-'));
});
afterEach(async () => {
  await cleanup();
});

/** How many of this process's open file descriptors point into `root`. */
async function openUnder(root: string): Promise<number> {
  let n = 0;
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    if (target.startsWith(root)) n++;
  }
  return n;
}

it('keeps at most `max` folder handles open, never closes one in use, and closes all on close()', async () => {
  const folders = Array.from({ length: 10 }, (_, i) => join(dir, `f${i}`));
  for (const f of folders) await mkdir(f);
  const syncer = new DirSyncer(3);
  // Concurrent syncs of every folder (more than `max` in use at once), twice over.
  await Promise.all([...folders, ...folders].map((f) => syncer.sync(f)));
  await syncer.evicted();
  expect(await openUnder(dir)).toBe(3);
  await syncer.sync(folders[0]!);
  await syncer.sync(folders[0]!);
  await syncer.evicted();
  expect(await openUnder(dir)).toBe(3);
  await syncer.close();
  expect(await openUnder(dir)).toBe(0);
  await expect(syncer.sync(folders[1]!)).rejects.toThrow(/closed/);
});

it('reports a folder that cannot be opened, and forgets it', async () => {
  const syncer = new DirSyncer(2);
  await expect(syncer.sync(join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  await mkdir(join(dir, 'missing'));
  await syncer.sync(join(dir, 'missing'));
  await syncer.close();
});

it('closes the handle of a folder whose fsync fails (no leaked descriptor)', async () => {
  // procfs refuses fsync (EINVAL): a real failing sync() on a handle that did open.
  const fdsOnProc = async (): Promise<number> => {
    let n = 0;
    for (const fd of await readdir('/proc/self/fd')) {
      if ((await readlink(`/proc/self/fd/${fd}`).catch(() => '')) === '/proc') n++;
    }
    return n;
  };
  const before = await fdsOnProc();
  const syncer = new DirSyncer(4);
  await Promise.all([1, 2, 3].map(() => expect(syncer.sync('/proc')).rejects.toMatchObject({ code: 'EINVAL' })));
  await syncer.evicted();
  expect(await fdsOnProc()).toBe(before);
  await syncer.close();
});
