/**
 * The feed files on disk, `<dir>/<name>.xml`: written atomically and durably (lib/atomic-write.ts) with their mtime
 * set to the Last-Modified they are served with, so any static server or CDN can serve them.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { tempTargetOf, writeFileAtomic } from '../../lib/atomic-write.js';
import { fsyncDirIfSupported } from '../../lib/dir-sync.js';

export function feedPath(dir: string, name: string): string {
  return path.join(dir, `${name}.xml`);
}

/** The temp files of feed writes by versions before lib/atomic-write.ts, removed as the current ones are. */
const OLD_TEMP_FEED = /^\..+\.xml\.\d+\.[0-9a-f]{12}\.tmp$/;

/** True for the temp file of a feed write cut short (`<name>.xml`'s, as lib/atomic-write.ts names it). */
function isFeedTemp(name: string): boolean {
  return tempTargetOf(name)?.endsWith('.xml') === true || OLD_TEMP_FEED.test(name);
}

/**
 * Writes `<name>.xml` atomically and durably, with its mtime set to the Last-Modified it is served with. The folder
 * fsync is best-effort: the feeds are rebuilt from the store on the next start.
 */
export async function writeFeedFile(dir: string, name: string, body: Buffer, mtimeMs: number): Promise<void> {
  await writeFileAtomic(feedPath(dir, name), body, { mtimeMs, syncDir: fsyncDirIfSupported });
}

/** Creates the folder when missing and removes the temp files of writes cut short by a crash. */
export async function prepareFeedDir(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  for (const name of await fs.readdir(dir)) {
    if (isFeedTemp(name)) await fs.rm(path.join(dir, name), { force: true }).catch(() => undefined);
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
