/**
 * Folder fsyncs, which make the creations and renames inside a folder durable: `fsyncDir` once, `DirSyncer` through
 * handles kept open (each version the store writes costs an fsync of its article's folder, and opening and closing
 * the folder around every fsync would double the system calls of a write).
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';

/** fsyncs a folder so that renames and creations inside it are durable (opens, fsyncs and closes it). */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * `fsyncDir` for files rebuilt from the store on the next run (the feeds, status.json): some file systems refuse to
 * fsync a folder, and the rename before it is atomic all the same, so a failure is ignored.
 */
export async function fsyncDirIfSupported(dir: string): Promise<void> {
  await fsyncDir(dir).catch(() => undefined);
}

interface Entry {
  readonly handle: Promise<FileHandle>;
  users: number;
  /** Taken out of `entries` (evicted, or failed): its handle is closed once no user is left. */
  dropped: boolean;
}

/**
 * Keeps an open handle on the `max` most recently used folders; a handle in use is never closed under its user.
 */
export class DirSyncer {
  /** In least-recently-used order (Map keeps insertion order; a use re-inserts). */
  private readonly entries = new Map<string, Entry>();
  /** Closes of evicted handles still in flight. */
  private readonly closing = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly max: number) {}

  /** fsyncs `dir`, so that creations and renames inside it are durable. */
  async sync(dir: string): Promise<void> {
    if (this.closed) throw new Error('DirSyncer: closed');
    let entry = this.entries.get(dir);
    if (entry) this.entries.delete(dir);
    else entry = { handle: open(dir, 'r'), users: 0, dropped: false };
    this.entries.set(dir, entry);
    entry.users++;
    try {
      const handle = await entry.handle;
      await handle.sync();
    } catch (err) {
      // A handle that failed (to open or to fsync) is not kept: the next sync opens the folder afresh.
      if (this.entries.get(dir) === entry) this.entries.delete(dir);
      entry.dropped = true;
      throw err;
    } finally {
      entry.users--;
      if (entry.dropped && entry.users === 0) this.closeHandle(entry);
      this.evict();
    }
  }

  private evict(): void {
    for (const [dir, entry] of this.entries) {
      if (this.entries.size <= this.max) break;
      if (entry.users > 0) continue;
      this.entries.delete(dir);
      entry.dropped = true;
      this.closeHandle(entry);
    }
  }

  private closeHandle(entry: Entry): void {
    const done: Promise<void> = entry.handle
      .then((h) => h.close())
      .catch(() => undefined)
      .finally(() => this.closing.delete(done));
    this.closing.add(done);
  }

  /** Resolves once the handles evicted so far are closed. */
  async evicted(): Promise<void> {
    await Promise.all([...this.closing]);
  }

  /** Closes every handle (waiting for none: call it once no write is in flight). Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    const handles = [...this.entries.values()].map((e) => e.handle);
    this.entries.clear();
    await Promise.all(handles.map((h) => h.then((x) => x.close()).catch(() => undefined)));
    await this.evicted();
  }
}
