/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-call -- JSON bodies under test */
/**
 * A store on a disk that fills up or turns read-only, for real: a 2 MiB tmpfs mounted for the test (and a read-only
 * bind mount over the articles folder). Pushes go through the real server and ingest pipeline. What must hold:
 * the error and the log name the cause, nothing acknowledged is lost, no temp file is left (store or feeds), reads
 * are served throughout, and writes resume by themselves once space returns, without a restart. The atomic write
 * itself (lib/atomic-write.ts), each way its callers use it, on a full disk too.
 *
 * Mounting needs root (the CI runs as root). Where it is impossible the tests are skipped, saying why.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWirediffError } from '../../src/core/errors.js';
import { writeFileAtomic } from '../../src/lib/atomic-write.js';
import { writeFeedFile } from '../../src/publish/rss/feed-disk.js';
import { createFeedWriter, type FeedWriter } from '../../src/publish/rss/feed-writer.js';
import { startServer, type RunningServer } from '../../src/http/server.js';
import { openFileStore, type FileStore, type StoreLogger } from '../../src/store/open.js';
import { makeEvent, makeVersion } from './fixtures.js';
import { tempDir } from '../support/temp.js';
import { clockedIngest } from '../support/ingest.js';

let work: { dir: string; cleanup: () => Promise<void> };
let cannotMount: string | undefined;
const mounted: string[] = [];

function sh(cmd: string, ...args: string[]): void {
  execFileSync(cmd, args, { stdio: 'pipe' });
}

async function mountTmpfs(dir: string, size: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  sh('mount', '-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir);
  mounted.push(dir);
}

beforeAll(async () => {
  work = await tempDir('wirediff-disk-');
  try {
    await mountTmpfs(join(work.dir, 'probe'), '64k');
  } catch (err) {
    cannotMount = `cannot mount a tmpfs here (${(err as Error).message.split('\n')[0]}): run as root to test a full disk`;
    console.warn(`disk-faults tests skipped: ${cannotMount}`);
  }
});
afterAll(async () => {
  for (const dir of mounted.reverse()) {
    try {
      sh('umount', '-l', dir);
    } catch {
      // Already gone.
    }
  }
  await work.cleanup();
});

/** Every file under `dir` whose name marks a temp file (the store's `.tmp-*`, the feed writer's `.*.tmp`). */
async function tempFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && (e.name.startsWith('.tmp-') || e.name.endsWith('.tmp'))) out.push(join(e.parentPath, e.name));
  }
  return out;
}

/** Fills the file system of `dir` to the last byte with the file `<dir>/filler` (remove it to free the space). */
async function fillDisk(dir: string): Promise<void> {
  const fh = await open(join(dir, 'filler'), 'a');
  try {
    for (const size of [1 << 16, 1 << 12, 1]) {
      const chunk = Buffer.alloc(size, 120);
      for (;;) {
        try {
          await fh.write(chunk);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw err;
        }
      }
    }
  } finally {
    await fh.close();
  }
}

/** A logger that keeps each line. */
function recordingLogger(): StoreLogger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    error: (_o, msg) => void lines.push(`ERROR ${msg}`),
    info: (_o, msg) => void lines.push(`INFO ${msg}`),
  };
}

/** A deterministic, hard-to-compress story: version `n` shares nothing with the others. */
function story(n: number, words = 3000): string {
  let x = (n * 2654435761) >>> 0;
  const paras: string[] = [`Headline of version ${n}`];
  let p: string[] = [];
  for (let i = 0; i < words; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    p.push((x >>> 8).toString(36));
    if (p.length === 60) {
      paras.push(`${p.join(' ')}.`);
      p = [];
    }
  }
  return `${paras.join('\n\n')}\n`;
}

interface Stack {
  fileStore: FileStore;
  feeds: FeedWriter;
  server: RunningServer;
  close(): Promise<void>;
}

async function startStack(root: string, logger: StoreLogger, feedErrors: unknown[]): Promise<Stack> {
  const fileStore = await openFileStore({ dir: join(root, 'snapshots'), logger });
  const { store, log } = fileStore;
  const feeds = createFeedWriter({
    store,
    log,
    dir: join(root, 'feeds'),
    baseUrl: () => 'http://localhost',
    onError: (err) => feedErrors.push(err),
  });
  const server = await startServer({
    store,
    log,
    feeds,
    token: 'tok',
    ingest: clockedIngest(store),
  });
  await feeds.start();
  return {
    fileStore,
    feeds,
    server,
    async close() {
      await server.close();
      await feeds.close();
      await fileStore.close();
    },
  };
}

async function push(s: Stack, article: string, text: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${s.server.url}/api/articles/${article}/versions?force=1`, {
    method: 'POST',
    headers: { Authorization: 'Bearer tok', 'Content-Type': 'text/plain; charset=utf-8' },
    body: text,
  });
  return { status: res.status, body: await res.json() };
}

async function getJson(s: Stack, path: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${s.server.url}${path}`);
  return { status: res.status, body: await res.json() };
}

/** Every event the API serves, paging through `/api/events`. */
async function allEvents(s: Stack): Promise<{ article: string; version: number }[]> {
  return (await s.fileStore.log.readAfter(0)).map((e) => ({ article: e.article, version: e.version }));
}

describe('a store whose disk fills up', () => {
  it('names the cause, loses nothing acknowledged, leaves no temp file, serves reads, and resumes by itself', async (ctx) => {
    if (cannotMount !== undefined) ctx.skip();
    const root = join(work.dir, 'full');
    await mountTmpfs(root, '2m');
    const logger = recordingLogger();
    const feedErrors: unknown[] = [];
    let s = await startStack(root, logger, feedErrors);
    const acked: number[] = [];
    let refused: { status: number; body: any } | undefined;
    for (let n = 1; n <= 200 && refused === undefined; n++) {
      const r = await push(s, 'story', story(n));
      if (r.status === 201) acked.push(r.body.meta.version as number);
      else refused = r;
    }
    expect(acked.length).toBeGreaterThan(2);
    expect(refused).toBeDefined();
    expect(refused!.status).toBe(507);
    expect(refused!.body.error.code).toBe('E_IO');
    expect(refused!.body.error.message).toMatch(/disk is full \(ENOSPC\)/);
    expect(refused!.body.error.message).not.toContain(root);
    expect(logger.lines.some((l) => /^ERROR .*disk is full \(ENOSPC\)/.test(l))).toBe(true);
    // Full to the last byte from here on (a smaller version might still have fitted).
    await fillDisk(root);
    // More pushes keep failing the same way; the log does not get a line for each.
    const errorsBefore = logger.lines.filter((l) => l.startsWith('ERROR store:')).length;
    for (let i = 0; i < 3; i++) expect((await push(s, 'story', story(1000 + i))).status).toBe(507);
    expect(logger.lines.filter((l) => l.startsWith('ERROR store:')).length).toBe(errorsBefore);
    // Reads go on.
    const versions = await getJson(s, '/api/articles/story/versions');
    expect(versions.status).toBe(200);
    expect(versions.body.versions.map((v: { version: number }) => v.version)).toEqual(acked);
    expect((await getJson(s, `/api/articles/story/versions/${acked.length}`)).status).toBe(200);
    expect((await getJson(s, '/api/events?since=0')).status).toBe(200);
    await s.feeds.idle();
    expect(await tempFiles(root)).toEqual([]);

    // A restart while the disk is still full: it opens, serves, and names the cause of a refused write.
    await s.close();
    s = await startStack(root, logger, feedErrors);
    expect((await getJson(s, '/api/articles/story/versions')).body.versions).toHaveLength(acked.length);
    const again = await push(s, 'story', story(2000));
    expect(again.status).toBe(507);
    expect(again.body.error.message).toMatch(/disk is full/);

    // Space returns: the next push succeeds, without a restart.
    await rm(join(root, 'filler'));
    sh('mount', '-o', 'remount,size=16m', root);
    const back = await push(s, 'story', story(3000));
    expect(back.status).toBe(201);
    acked.push(back.body.meta.version as number);
    expect(back.body.meta.version).toBe(acked.length);
    expect(logger.lines.some((l) => /^INFO store: writes work again/.test(l))).toBe(true);
    await s.feeds.idle();
    expect(await tempFiles(root)).toEqual([]);
    const served = await allEvents(s);
    expect(served.map((e) => e.version)).toEqual(acked);

    // Nothing acknowledged is lost across a clean restart either.
    await s.close();
    const reopened = await openFileStore({ dir: join(root, 'snapshots'), logger });
    expect((await reopened.store.listVersions('story')).map((m) => m.version)).toEqual(acked);
    expect((await reopened.log.readAfter(0)).map((e) => e.version)).toEqual(acked);
    expect(reopened.recovery.eventsRebuilt).toBe(0);
    await reopened.close();
    expect(await tempFiles(root)).toEqual([]);
  }, 120_000);
});

describe('the event log on a full disk', () => {
  it('refuses an append naming the cause, then takes writes again once there is space (no restart)', async (ctx) => {
    if (cannotMount !== undefined) ctx.skip();
    const root = join(work.dir, 'log-full');
    await mountTmpfs(root, '1m');
    const logger = recordingLogger();
    const fs = await openFileStore({ dir: join(root, 'snapshots'), logger });
    await fs.store.commitVersion(makeVersion('a', 1), { at: '2026-11-25T03:00:00.000Z' });
    await fillDisk(root);
    // An event larger than what is left of the log's last page.
    const big = { ...makeEvent('a', 1), summary: 'x'.repeat(20_000) };
    const err = await fs.log.append(big).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isWirediffError(err, 'E_IO')).toBe(true);
    expect((err as Error).message).toMatch(/disk is full \(ENOSPC\)/);
    expect(logger.lines.some((l) => /^ERROR event log: .*disk is full \(ENOSPC\)/.test(l))).toBe(true);
    expect((await fs.log.readAfter(0)).map((e) => e.version)).toEqual([1]);
    await rm(join(root, 'filler'));
    const { event } = await fs.store.commitVersion(makeVersion('a', 2, { expectedLatest: 1 }), {
      at: '2026-11-25T03:01:00.000Z',
    });
    const appended = await fs.log.append(big);
    expect(appended.id).toBeGreaterThan(event.id);
    expect((await fs.log.readAfter(0)).map((e) => [e.article, e.version])).toEqual([
      ['a', 1],
      ['a', 2],
      ['a', 1],
    ]);
    expect(logger.lines.some((l) => /^INFO event log: .*works again/.test(l))).toBe(true);
    await fs.close();
    const reopened = await openFileStore({ dir: join(root, 'snapshots'), logger });
    expect((await reopened.log.readAfter(0)).map((e) => e.id)).toEqual([1, event.id, appended.id]);
    expect(reopened.recovery.eventsRebuilt).toBe(0);
    await reopened.close();
  }, 60_000);
});

describe('a read-only store', () => {
  it('names the cause at open, and refuses writes while its folder is read-only, serving reads, until it is not', async (ctx) => {
    if (cannotMount !== undefined) ctx.skip();
    const root = join(work.dir, 'ro');
    await mountTmpfs(root, '8m');
    const logger = recordingLogger();
    let s = await startStack(root, logger, []);
    for (let n = 1; n <= 3; n++) expect((await push(s, 'story', story(n, 200))).status).toBe(201);
    await s.close();

    // The whole store on a read-only file system: opening it for writing says so; reading it works.
    sh('mount', '-o', 'remount,ro', root);
    const err = await openFileStore({ dir: join(root, 'snapshots'), logger }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isWirediffError(err, 'E_IO')).toBe(true);
    expect((err as Error).message).toMatch(/read-only \(EROFS\)/);
    const reader = await openFileStore({ dir: join(root, 'snapshots'), readOnly: true });
    expect(await reader.store.listVersions('story')).toHaveLength(3);
    await reader.close();
    sh('mount', '-o', 'remount,rw', root);

    // The articles folder turns read-only while the server runs.
    s = await startStack(root, logger, []);
    const articles = join(root, 'snapshots', 'articles');
    sh('mount', '--bind', articles, articles);
    mounted.push(articles);
    sh('mount', '-o', 'remount,bind,ro', articles);
    const refused = await push(s, 'story', story(10, 200));
    expect(refused.status).toBe(503);
    expect(refused.body.error.message).toMatch(/read-only \(EROFS\)/);
    expect(logger.lines.some((l) => /^ERROR .*read-only \(EROFS\)/.test(l))).toBe(true);
    expect((await getJson(s, '/api/articles/story/versions/3')).status).toBe(200);
    sh('umount', articles);
    mounted.pop();
    const back = await push(s, 'story', story(11, 200));
    expect(back.status).toBe(201);
    expect(back.body.meta.version).toBe(4);
    expect((await allEvents(s)).map((e) => e.version)).toEqual([1, 2, 3, 4]);
    await s.close();
    expect(await tempFiles(root)).toEqual([]);
  }, 60_000);
});

describe('the one atomic write (lib/atomic-write.ts) on a full disk', () => {
  it('every way of writing fails with ENOSPC, keeps the old file whole and leaves no temp file; works once there is space', async (ctx) => {
    if (cannotMount !== undefined) ctx.skip();
    const root = join(work.dir, 'atomic-full');
    await mountTmpfs(root, '1m');
    const big = Buffer.alloc(64 * 1024, 'y');
    const ways: Record<string, (file: string) => Promise<void>> = {
      'bytes (O_DSYNC)': (file) => writeFileAtomic(file, big),
      'text, with an mtime': (file) => writeFileAtomic(file, big.toString(), { mtimeMs: Date.UTC(2026, 0, 1) }),
      'in parts': (file) =>
        writeFileAtomic(file, async (fh) => {
          for (let i = 0; i < 16; i++) await fh.write(big.subarray(0, 4096));
        }),
      'not durable': (file) => writeFileAtomic(file, big, { durable: false }),
      'a feed file': () => writeFeedFile(root, 'feed', big, Date.UTC(2026, 0, 1)),
    };
    const fileOf = (way: string): string => (way === 'a feed file' ? join(root, 'feed.xml') : join(root, `${way}.out`));
    for (const way of Object.keys(ways)) await writeFile(fileOf(way), `old ${way}`);
    await fillDisk(root);
    for (const [way, write] of Object.entries(ways)) {
      await expect(write(fileOf(way)), way).rejects.toMatchObject({ code: 'ENOSPC' });
      expect(await readFile(fileOf(way), 'utf8'), way).toBe(`old ${way}`);
      expect(await tempFiles(root), way).toEqual([]);
    }
    await rm(join(root, 'filler'));
    for (const [way, write] of Object.entries(ways)) {
      await write(fileOf(way));
      expect((await readFile(fileOf(way))).equals(big), way).toBe(true);
    }
    expect(await tempFiles(root)).toEqual([]);
  }, 60_000);
});
