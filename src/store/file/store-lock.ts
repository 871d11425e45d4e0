/**
 * One writer per store folder: `<dir>/lock` holds the pid of the process that has the store open for writing.
 * A lock left by a process that no longer runs (a crash, SIGKILL) is taken over, as is one naming this process's pid
 * that this process does not hold (left by an earlier process with the same pid, e.g. pid 1 in a restarted container).
 * A pid reused by an unrelated live process reads as in use: remove `<dir>/lock` by hand then. Two writers would each append to
 * the event log with their own idea of the next id, so a second writer is refused with `E_CONFLICT`; readers open
 * with `readOnly: true` and take no lock.
 */
import { open, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { WirediffError } from '../../core/errors.js';
import { fsyncDir } from './atomic-write.js';
import { LOCK_FILE } from './layout.js';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Folders this process holds (resolved paths): tells our own live lock from a stale one left under the same pid. */
const held = new Set<string>();

export interface StoreLock {
  release(): Promise<void>;
}

export async function acquireStoreLock(dir: string): Promise<StoreLock> {
  const path = join(dir, LOCK_FILE);
  const key = resolve(path);
  if (held.has(key)) {
    throw new WirediffError(
      'E_CONFLICT',
      `openFileStore: ${dir} is already open for writing in this process (pid ${process.pid}); close it first, or open with readOnly: true to read`,
    );
  }
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fh = await open(path, 'wx', 0o644);
      try {
        await fh.writeFile(`${process.pid}\n`);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await fsyncDir(dir);
      held.add(key);
      let released = false;
      return {
        async release() {
          if (released) return;
          released = true;
          held.delete(key);
          const holder = await readFile(path, 'utf8').catch(() => '');
          if (Number.parseInt(holder, 10) === process.pid) await rm(path, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    // Our own pid but not held by us: left by an earlier process that had the same pid (a restarted container).
    if (Number.isSafeInteger(holder) && holder > 0 && holder !== process.pid && isRunning(holder)) {
      throw new WirediffError(
        'E_CONFLICT',
        `the store ${dir} is in use by another wirediff process (pid ${holder}, e.g. "wirediff watch"): stop it first, then try again (reading commands such as status, history and export work meanwhile)`,
      );
    }
    // Stale (its process is gone, or it was an earlier process with our pid) or unreadable/empty: take it over.
    await rm(path, { force: true });
  }
  throw new WirediffError('E_CONFLICT', `openFileStore: could not take the lock ${path}`);
}
