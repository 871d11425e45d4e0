/**
 * The feed files on disk, `<dir>/<name>.xml`: written atomically and durably (temp file + fsync + rename + directory
 * fsync) with their mtime set to the Last-Modified they are served with, so any static server or CDN can serve them.
 *
 * `writeFeedFile` is the one place a feed is written (its atomic write is to be shared with the store's later).
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export function feedPath(dir: string, name: string): string {
  return path.join(dir, `${name}.xml`);
}

/** The temp files `writeFeedFile` writes before renaming them into place. */
const TEMP_FEED = /^\..+\.xml\.\d+\.[0-9a-f]{12}\.tmp$/;

/** Writes `<name>.xml` atomically and durably, with its mtime set to the Last-Modified it is served with. */
export async function writeFeedFile(dir: string, name: string, body: Buffer, mtimeMs: number): Promise<void> {
  const target = feedPath(dir, name);
  const tmp = path.join(dir, `.${name}.xml.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fh = await fs.open(tmp, 'w', 0o644);
    try {
      await fh.writeFile(body);
      await fh.utimes(mtimeMs / 1000, mtimeMs / 1000);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, target);
  } catch (err) {
    // A failed write (a full disk) leaves no temp file behind.
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
  const d = await fs.open(dir, 'r');
  try {
    await d.sync();
  } catch {
    // Some filesystems refuse fsync on a directory; the rename is still atomic.
  } finally {
    await d.close();
  }
}

/** Creates the folder when missing and removes the temp files of writes cut short by a crash. */
export async function prepareFeedDir(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  for (const name of await fs.readdir(dir)) {
    if (TEMP_FEED.test(name)) await fs.rm(path.join(dir, name), { force: true }).catch(() => undefined);
  }
}

/**
 * The Last-Modified (whole seconds) of `<name>.xml` when it holds exactly `body`, else undefined (after a restart, an
 * identical file keeps its Last-Modified, and so its ETag and date stay the same for readers).
 */
export async function unchangedSince(dir: string, name: string, body: Buffer): Promise<number | undefined> {
  try {
    const onDisk = await fs.readFile(feedPath(dir, name));
    if (!onDisk.equals(body)) return undefined;
    return Math.floor((await fs.stat(feedPath(dir, name))).mtimeMs / 1000) * 1000;
  } catch {
    return undefined; // no file yet
  }
}
