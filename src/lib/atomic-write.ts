/**
 * The one atomic file write of wirediff (the store's versions and indexes, the feed files, status.json, the config
 * that `add` edits, `export --out`, the demo's articles): the data goes to a temp file in the same folder, is made
 * durable, is renamed over its final name, and then the folder is fsynced so the rename itself survives a crash. A
 * reader (or a recovery after a crash) sees either the old file or the whole new one under the final name, never a
 * part of it; a failed write removes its temp file and leaves the old file as it was.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fsyncDir } from './dir-sync.js';

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

/** A temp file name as `tempPathFor` makes it: the final name, then the process tag and the counter. */
const TEMP_NAME = /^\.tmp-(.+)-\d+-[0-9a-f]{8}-[0-9a-z]+$/;

/** The final name a temp file (name, not path) was written for; undefined for a name that is not such a temp file. */
export function tempTargetOf(name: string): string | undefined {
  return TEMP_NAME.exec(name)?.[1];
}

export interface AtomicWriteOptions {
  /**
   * False: atomic but not durable (no fsync of the file or the folder): for scratch files a crash may lose, as the
   * demo's. Default true.
   */
  readonly durable?: boolean;
  /**
   * fsyncs the folder after the rename (when durable). Default `fsyncDir`, which opens, fsyncs and closes it and
   * throws when that fails; the store passes its `DirSyncer` (handles kept open), files rebuilt from the store on the
   * next run (feeds, status) pass `fsyncDirIfSupported`.
   */
  readonly syncDir?: (dir: string) => Promise<void>;
  /** Permission bits of the file (the process umask applies). Default 0o644; user files pass 0o666, as `writeFile`. */
  readonly mode?: number;
  /** The file's modification time (ms since the epoch), set before it is renamed into place. */
  readonly mtimeMs?: number;
}

/** Writes the content of the temp file through its handle (for content written in parts, as an export's lines). */
export type ContentWriter = (handle: FileHandle) => Promise<void>;

/** Create the temp file exclusively, for writing. */
const TEMP_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL;

async function writeAll(handle: FileHandle, data: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < data.byteLength) {
    const { bytesWritten } = await handle.write(data, offset, data.byteLength - offset);
    offset += bytesWritten;
  }
}

/**
 * Writes `content` (bytes, text as UTF-8, or a `ContentWriter`) to `path` atomically and, unless `durable: false`,
 * durably. Bytes written in one go use O_DSYNC (the write returns once the data, and what is needed to read it back,
 * is on disk: the fsync of the usual sequence without a call of its own); content written in parts, or with an mtime
 * to keep, is fsynced once at the end instead. Then the temp file is renamed into place (its handle closing
 * meanwhile) and the folder is fsynced. On failure the temp file is removed and the error is rethrown (a
 * `ContentWriter`'s own errors included); if only the folder fsync fails, the new file may already be in place.
 */
export async function writeFileAtomic(
  path: string,
  content: Uint8Array | string | ContentWriter,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const durable = options.durable ?? true;
  const oneWrite = typeof content !== 'function';
  const syncEachWrite = durable && oneWrite && options.mtimeMs === undefined;
  const temp = tempPathFor(path);
  try {
    const handle = await open(temp, TEMP_FLAGS | (syncEachWrite ? constants.O_DSYNC : 0), options.mode ?? 0o644);
    let closing: Promise<void> | undefined;
    try {
      if (!oneWrite) await content(handle);
      else await writeAll(handle, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
      if (options.mtimeMs !== undefined) await handle.utimes(options.mtimeMs / 1000, options.mtimeMs / 1000);
      if (durable && !syncEachWrite) await handle.sync();
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
  if (durable) await (options.syncDir ?? fsyncDir)(dirname(path));
}
