/**
 * Atomic, durable file writes: each file is written to a temp file in the same folder, fsynced, renamed over its
 * final name, and then the folder is fsynced so the rename itself survives a crash. A reader (or a recovery after a
 * crash) sees either the old file or the whole new one under the final name, never a part of it.
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

/** Writes `data` to a new file at `path` and fsyncs it (the file must not exist). */
async function writeAndSync(path: string, data: Uint8Array): Promise<void> {
  const handle = await open(path, 'wx', 0o644);
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
}

export interface AtomicFile {
  /** Final path; every file of one call must live in the same folder. */
  readonly path: string;
  readonly data: Uint8Array;
}

/**
 * Writes several files of one folder atomically and durably, in order: all temp files are written and fsynced first,
 * then renamed one by one in the given order, then the folder is fsynced once. So a later file in the list is never
 * visible without the earlier ones having been complete first (renames on one folder are ordered by the journal on
 * ext4/xfs; recovery also checks). On failure the temp files are removed and the error is rethrown.
 */
export async function writeFilesAtomic(files: readonly AtomicFile[]): Promise<void> {
  if (files.length === 0) return;
  const dir = dirname(files[0]!.path);
  for (const f of files) {
    if (dirname(f.path) !== dir) throw new Error(`writeFilesAtomic: ${f.path} is not in ${dir}`);
  }
  const temps = files.map((f) => tempPathFor(f.path));
  let renamed = 0;
  try {
    await Promise.all(files.map((f, i) => writeAndSync(temps[i]!, f.data)));
    for (let i = 0; i < files.length; i++) {
      await rename(temps[i]!, files[i]!.path);
      renamed = i + 1;
    }
  } catch (err) {
    await Promise.all(temps.slice(renamed).map((t) => rm(t, { force: true }).catch(() => undefined)));
    throw err;
  }
  await fsyncDir(dir);
}

/** Writes one file atomically and durably (see `writeFilesAtomic`). */
export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  await writeFilesAtomic([{ path, data }]);
}
