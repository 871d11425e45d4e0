/**
 * One writer per store folder: `<dir>/lock` holds the pid of the process that has the store open for writing.
 * A lock left by a process that no longer runs (a crash, SIGKILL) is taken over. Two writers would each append to
 * the event log with their own idea of the next id, so a second writer is refused with `E_CONFLICT`; readers open
 * with `readOnly: true` and take no lock.
 */
import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
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

export interface StoreLock {
  release(): Promise<void>;
}

export async function acquireStoreLock(dir: string): Promise<StoreLock> {
  const path = join(dir, LOCK_FILE);
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
      let released = false;
      return {
        async release() {
          if (released) return;
          released = true;
          const holder = await readFile(path, 'utf8').catch(() => '');
          if (Number.parseInt(holder, 10) === process.pid) await rm(path, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    if (Number.isSafeInteger(holder) && holder > 0 && isRunning(holder)) {
      throw new WirediffError(
        'E_CONFLICT',
        `openFileStore: ${dir} is open for writing by process ${holder}${holder === process.pid ? ' (this process)' : ''}; close it first, or open with readOnly: true to read`,
      );
    }
    // Stale (its process is gone) or unreadable/empty (a crash while taking it): take it over.
    await rm(path, { force: true });
  }
  throw new WirediffError('E_CONFLICT', `openFileStore: could not take the lock ${path}`);
}
