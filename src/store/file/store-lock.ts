/**
 * One writer per store folder: the writer holds an OS-level exclusive lock on `<dir>/lock` (an open-file-description
 * lock, taken with `fs-native-extensions`' `tryLock`), for as long as it keeps the file open. The kernel releases the
 * lock when the holder closes the file or dies in any way (a crash, SIGKILL), so there is no stale lock to detect and
 * nothing to take over: a second opener either gets the lock or is refused at once, however many race for it. The
 * file also holds the holder's pid, for the refusal's message only; the file itself is never removed (removing it
 * would let a later opener lock a fresh file while another still holds the old one).
 *
 * Two writers would each append to the event log with their own idea of the next id, so a second writer is refused
 * with `E_STORE_LOCKED`; readers open with `readOnly: true` and take no lock.
 */
import { constants } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import fsx from 'fs-native-extensions';
import { WirediffError } from '../../core/errors.js';
import { describeIoCause } from './promise-helpers.js';
import { LOCK_FILE } from './layout.js';

export interface StoreLock {
  release(): Promise<void>;
}

function holderOf(text: string): string {
  const pid = Number.parseInt(text, 10);
  return Number.isSafeInteger(pid) && pid > 0 ? `pid ${pid}` : 'a process that has not written its pid yet';
}

export async function acquireStoreLock(dir: string): Promise<StoreLock> {
  const path = join(dir, LOCK_FILE);
  let fh: FileHandle;
  try {
    fh = await open(path, constants.O_RDWR | constants.O_CREAT, 0o644);
  } catch (cause) {
    throw new WirediffError(
      'E_IO',
      `cannot take the store's lock ${path}: ${describeIoCause(cause)}; a store on a read-only file system can only be read (status, history, export)`,
      { cause },
    );
  }
  let locked: boolean;
  try {
    locked = fsx.tryLock(fh.fd);
  } catch (cause) {
    await fh.close();
    throw new WirediffError('E_IO', `cannot lock ${path}: ${describeIoCause(cause)}`, { cause });
  }
  if (!locked) {
    const holder = await readFile(path, 'utf8').catch(() => '');
    await fh.close();
    const who = Number.parseInt(holder, 10) === process.pid ? `this process (pid ${process.pid})` : holderOf(holder);
    throw new WirediffError(
      'E_STORE_LOCKED',
      `the store ${dir} is in use by another wirediff process (${who}, e.g. "wirediff watch"): stop it first, then try again (reading commands such as status, history and export work meanwhile)`,
    );
  }
  try {
    // For the message of a refused opener only: a failure here (a full disk) does not weaken the lock.
    await fh.truncate(0);
    await fh.write(`${process.pid}\n`, 0);
  } catch {
    // The lock is held all the same.
  }
  let released: Promise<void> | undefined;
  return {
    release() {
      released ??= (async () => {
        await fh.truncate(0).catch(() => undefined);
        // Closing the file releases the lock.
        await fh.close();
      })();
      return released;
    },
  };
}
