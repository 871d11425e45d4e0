/**
 * Atomic, durable file writes: the file is written to a temp file in the same folder, fsynced, renamed over its final
 * name, and then the folder is fsynced so the rename itself survives a crash. A reader (or a recovery after a crash)
 * sees either the old file or the whole new one under the final name, never a part of it.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Temp files start with this prefix; recovery removes every file that does. Article ids cannot start with `.`. */
export const TEMP_PREFIX = '.tmp-';

/** True when `name` (a file name, not a path) is one of our temp files. */
export function isTempName(name: string): boolean {
  return name.startsWith(TEMP_PREFIX);
}

/** A fresh temp path beside `finalPath`, unique to this process and call. */
export function tempPathFor(finalPath: string): string {
  const name = `${TEMP_PREFIX}${basename(finalPath)}-${process.pid}-${randomBytes(6).toString('hex')}`;
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

/**
 * Writes `data` to `path` atomically and durably. On failure the temp file is removed and the error is rethrown; if
 * only the folder fsync fails, the new file may already be in place.
 */
export async function writeFileAtomic(path: string, data: Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const temp = tempPathFor(path);
  try {
    const handle = await open(temp, 'wx', 0o644);
    try {
      let offset = 0;
      while (offset < data.byteLength) {
        const { bytesWritten } = await handle.write(data, offset, data.byteLength - offset);
        offset += bytesWritten;
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
  await (options.syncDir ?? fsyncDir)(dirname(path));
}
