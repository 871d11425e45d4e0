/**
 * Atomic, durable file writes: the file is written to a temp file in the same folder, made durable (O_DSYNC writes,
 * the same guarantee as an fdatasync), renamed over its final name, and then the folder is fsynced so the rename
 * itself survives a crash. A reader (or a recovery after a crash) sees either the old file or the whole new one under
 * the final name, never a part of it.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Temp files start with this prefix; recovery removes every file that does. Article ids cannot start with `.`. */
export const TEMP_PREFIX = '.tmp-';

/** True when `name` (a file name, not a path) is one of our temp files. */
export function isTempName(name: string): boolean {
  return name.startsWith(TEMP_PREFIX);
}

/** Temp names are unique per process: a random tag drawn once, then a counter (no randomness per write). */
const PROCESS_TAG = `${process.pid}-${randomBytes(4).toString('hex')}`;
let tempCounter = 0;

/** A fresh temp path beside `finalPath`, unique to this process and call. */
export function tempPathFor(finalPath: string): string {
  const name = `${TEMP_PREFIX}${basename(finalPath)}-${PROCESS_TAG}-${(tempCounter++).toString(36)}`;
  return join(dirname(finalPath), name);
}

/** fsyncs a folder so that renames and creations inside it are durable. */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export interface AtomicWriteOptions {
  /** fsyncs the folder after the rename; the default opens, fsyncs and closes it (dir-sync.ts keeps handles open). */
  readonly syncDir?: (dir: string) => Promise<void>;
}

/** Create the temp file exclusively, for writing, with synchronous data writes (each write returns once durable). */
const TEMP_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_DSYNC;

/**
 * Writes `data` to `path` atomically and durably: the temp file is opened with O_DSYNC, so the write itself returns
 * only once the data (and what is needed to read it back) is on disk, the fsync of the usual sequence without a call
 * of its own; then it is renamed into place (closing the handle meanwhile) and the folder is fsynced. On failure the
 * temp file is removed and the error is rethrown; if only the folder fsync fails, the new file may already be in place.
 */
export async function writeFileAtomic(path: string, data: Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const temp = tempPathFor(path);
  try {
    const handle = await open(temp, TEMP_FLAGS, 0o644);
    let closing: Promise<void> | undefined;
    try {
      let offset = 0;
      while (offset < data.byteLength) {
        const { bytesWritten } = await handle.write(data, offset, data.byteLength - offset);
        offset += bytesWritten;
      }
      // A whole file, durable: its handle can close while it is renamed into place.
      closing = handle.close();
      await rename(temp, path);
    } finally {
      await (closing ?? handle.close());
    }
  } catch (err) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
  await (options.syncDir ?? fsyncDir)(dirname(path));
}
