/**
 * The crash test: a child process writes versions, events and variants in a loop and prints a line after each
 * acknowledged write; it is killed with SIGKILL at random (seeded) moments, many times, on one store folder. After
 * each kill, before recovery, every file under a final name must be whole; then the store is reopened (recovery) and
 * every acknowledged version must be intact (raw bytes and document), the event log valid and holding every
 * acknowledged event, every version committed with commitVersion holding exactly one event (never a version without
 * its event nor an event without its version), and no temp file left.
 *
 * WIREDIFF_CRASH_SEED and WIREDIFF_CRASH_KILLS change the seed (default 20261125) and the number of kills (default 60).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openFileStore } from '../../src/store/open.js';
import { seededRandom } from '../../src/watch/backoff.js'; // mulberry32: a failing run replays with its seed
import { articleFor, changesFor, rawFor, rawHashFor } from './crash-content.js';
import { readVersionParts } from './fixtures.js';
import { transpileForChild } from './transpile-for-child.js';
import { tempDir } from '../support/temp.js';

const SEED = Number(process.env.WIREDIFF_CRASH_SEED ?? 20261125);
const KILLS = Number(process.env.WIREDIFF_CRASH_KILLS ?? 60); // the issue asks for at least 50
const ARTICLES = ['alpha', 'beta', 'gamma'];
/** Written with appendVersion then EventLog.append (the import path); the others with commitVersion. */
const APPENDERS = ['gamma'];
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let work: { dir: string; cleanup: () => Promise<void> };
let writerJs: string;

beforeAll(async () => {
  work = await tempDir('wirediff-crash-');
  writerJs = await transpileForChild(join(ROOT, 'tests/store/crash-writer.ts'), ROOT, join(work.dir, 'build'));
});
afterAll(async () => {
  await work.cleanup();
});

interface Run {
  lines: string[];
  stderr: string;
  killedBeforeReady: boolean;
  msToReady: number;
  signal: NodeJS.Signals | null;
  code: number | null;
}

/** Runs the writer until a random moment, kills it with SIGKILL, and returns what it printed. */
async function runAndKill(storeDir: string, rand: () => number): Promise<Run> {
  const child = spawn(process.execPath, [writerJs, storeDir, ARTICLES.join(','), APPENDERS.join(',')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let stderr = '';
  let ready = false;
  const started = performance.now();
  let msToReady = 0;
  let onReady: () => void = () => undefined;
  const readyP = new Promise<void>((r) => (onReady = r));
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    out += chunk;
    if (!ready && out.startsWith('READY\n')) {
      ready = true;
      msToReady = performance.now() - started;
      onReady();
    }
  });
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  const closed = new Promise<[number | null, NodeJS.Signals | null]>((r) => child.on('close', (c, s) => r([c, s])));
  // Mostly kill while writing; sometimes while starting up and recovering.
  if (rand() < 0.15) {
    await Promise.race([sleep(rand() * 250), closed]);
  } else {
    await Promise.race([readyP, closed]);
    await Promise.race([sleep(rand() * 80), closed]);
  }
  const killedBeforeReady = !ready;
  child.kill('SIGKILL');
  const [code, signal] = await closed;
  const lines = out.split('\n');
  lines.pop(); // a line without its newline was not fully printed
  return { lines, stderr, killedBeforeReady, msToReady, signal, code };
}

const expectedCache = new Map<string, { hash: string; bytes: number; title: string }>();

/** What version `n` of `article` must look like (memoized: the same versions are checked every cycle). */
function expected(article: string, n: number): { hash: string; bytes: number; title: string } {
  const key = `${article}/${n}`;
  let e = expectedCache.get(key);
  if (!e) {
    e = { hash: rawHashFor(article, n), bytes: rawFor(article, n).byteLength, title: articleFor(article, n).title };
    expectedCache.set(key, e);
  }
  return e;
}

function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

it(
  `keeps every acknowledged write through ${KILLS} SIGKILLs at random moments (seed ${SEED})`,
  { timeout: 300_000 },
  async () => {
    const rand = seededRandom(SEED);
    const storeDir = join(work.dir, 'store');
    const ackedVersions = new Map<string, number>(ARTICLES.map((a) => [a, 0]));
    const ackedVariants = new Map<string, number>(ARTICLES.map((a) => [a, 0]));
    const ackedEvents = new Map<number, { article: string; version: number }>();
    const checkedFinal = new Set<string>();
    const deepChecked = new Map<string, number>();
    const stats = {
      kills: 0,
      killedBeforeReady: 0,
      versionsAcked: 0,
      eventsAcked: 0,
      variantsAcked: 0,
      tornTails: 0,
      tornBytes: 0,
      tempFilesRemoved: 0,
      eventsRebuilt: 0,
      voidIds: 0,
      unackedVersionsFound: 0,
      finalFilesChecked: 0,
      versionsReadBack: 0,
      msChild: 0,
      msToReady: 0,
      msCheckFiles: 0,
      msReopen: 0,
      msVerify: 0,
    };

    for (let cycle = 0; cycle < KILLS; cycle++) {
      let t = performance.now();
      const run = await runAndKill(storeDir, rand);
      stats.msChild += performance.now() - t;
      stats.msToReady += run.msToReady;
      t = performance.now();
      expect(run.signal, `child exited by itself (code ${run.code}): ${run.stderr}`).toBe('SIGKILL');
      stats.kills++;
      if (run.killedBeforeReady) stats.killedBeforeReady++;
      for (const line of run.lines) {
        const [tag, a, b, c] = line.split(' ');
        if (tag === 'V') {
          expect(Number(b)).toBe(ackedVersions.get(a!)! + 1);
          ackedVersions.set(a!, Number(b));
          stats.versionsAcked++;
        } else if (tag === 'E') {
          ackedEvents.set(Number(a), { article: b!, version: Number(c) });
          stats.eventsAcked++;
        } else if (tag === 'R') {
          ackedVariants.set(a!, ackedVariants.get(a!)! + 1);
          stats.variantsAcked++;
        } else {
          expect(tag).toBe('READY');
        }
      }

      // Before recovery: every file under a final name is whole (temp files may be anywhere).
      const articleNames = await readdir(join(storeDir, 'articles')).catch(() => [] as string[]);
      for (const article of articleNames) {
        if (article.startsWith('.tmp-')) continue;
        expect(ARTICLES).toContain(article);
        for (const name of await readdir(join(storeDir, 'articles', article))) {
          if (name.startsWith('.tmp-')) continue;
          const path = join(storeDir, 'articles', article, name);
          if (checkedFinal.has(path)) continue;
          const m = /^(\d{6})\.wdv$/.exec(name);
          if (name === 'index.json') {
            const doc = JSON.parse(await readFile(path, 'utf8'));
            expect(doc.schema).toBe('wirediff.meta-index/1');
          } else if (name === 'variants.json') {
            const doc = JSON.parse(await readFile(path, 'utf8'));
            expect(doc.schema).toBe('wirediff.variants/1');
          } else {
            expect(m, `unexpected file ${path}`).not.toBeNull();
            const n = Number(m![1]);
            const { doc, raw } = await readVersionParts(path);
            expect(doc.meta.version).toBe(n);
            expect(doc.article).toEqual(articleFor(article, n));
            expect(sha256(raw), `${path} is not whole`).toBe(rawHashFor(article, n));
            checkedFinal.add(path); // never rewritten by this writer
          }
          stats.finalFilesChecked++;
        }
      }

      stats.msCheckFiles += performance.now() - t;

      t = performance.now();

      // Recovery, then every acknowledged write must be there.

      const s = await openFileStore({ dir: storeDir });

      stats.msReopen += performance.now() - t;

      t = performance.now();
      const problems: string[] = [];
      try {
        stats.tempFilesRemoved += s.recovery.removed.filter((p) => p.includes('.tmp-')).length;
        // A version file is renamed into place whole: recovery has nothing but temp files to remove.
        expect(s.recovery.removed.filter((p) => !p.includes('.tmp-'))).toEqual([]);
        for (const p of s.recovery.removed) checkedFinal.delete(p);
        if (s.recovery.truncatedLogBytes > 0) {
          stats.tornTails++;
          stats.tornBytes += s.recovery.truncatedLogBytes;
        }
        for (const article of ARTICLES) {
          const acked = ackedVersions.get(article)!;
          const metas = await s.store.listVersions(article);
          // At most one version per article was in flight when the child died.
          expect(metas.length).toBeGreaterThanOrEqual(acked);
          expect(metas.length).toBeLessThanOrEqual(acked + 1);
          stats.unackedVersionsFound += metas.length - acked;
          ackedVersions.set(article, metas.length); // an unacknowledged but complete version is kept: later ones build on it
          // Every version's meta was rebuilt from its document on reopen: check them all against what was written.
          // Contents (document and raw bytes read back through the store) are checked for every version not yet
          // checked by an earlier cycle, the newest one, and all of them on the last cycle (raw files are never
          // rewritten, and each was also checked whole under its final name before recovery).
          const last = cycle === KILLS - 1;
          for (let n = 1; n <= metas.length; n++) {
            const meta = metas[n - 1]!;
            const want = expected(article, n);
            if (
              meta.version !== n ||
              meta.rawHash !== want.hash ||
              meta.rawBytes !== want.bytes ||
              meta.title !== want.title
            ) {
              problems.push(`${article} ${n}: meta ${JSON.stringify(meta)}`);
            }
            if (!last && n <= (deepChecked.get(article) ?? 0) && n !== metas.length) continue;
            const v = await s.store.getVersion(article, n);
            expect(v?.meta).toEqual(meta);
            expect(v?.article).toEqual(articleFor(article, n));
            expect(v?.changes).toEqual(changesFor(article, n));
            const raw = await s.store.getRaw(article, n);
            expect(sha256(raw!.bytes)).toBe(rawHashFor(article, n));
            stats.versionsReadBack++;
          }
          deepChecked.set(article, metas.length);
          const variants = (await s.store.getArticle(article))?.variantsSeen ?? 0;
          expect(variants).toBeGreaterThanOrEqual(ackedVariants.get(article)!);
          expect(variants).toBeLessThanOrEqual(ackedVariants.get(article)! + 1);
          ackedVariants.set(article, variants);
          // After recovery: no temp files, no partial version.
          const names = await readdir(join(storeDir, 'articles', article)).catch(() => [] as string[]);
          const wantNames = metas.map((m) => `${String(m.version).padStart(6, '0')}.wdv`);
          expect(names.filter((x) => x !== 'variants.json' && x !== 'index.json').sort()).toEqual(wantNames.sort());
        }
        expect(problems).toEqual([]);
        const events = await s.log.readAfter(0);
        // Ids increase; an id whose version never landed is void and skipped, so they may skip.
        for (let i = 1; i < events.length; i++) expect(events[i]!.id).toBeGreaterThan(events[i - 1]!.id);
        stats.voidIds = (await s.log.bounds()).last - events.length;
        const byId = new Map(events.map((e) => [e.id, e]));
        for (const [id, want] of ackedEvents) {
          const e = byId.get(id);
          if (e?.id !== id || e.article !== want.article || e.version !== want.version) {
            problems.push(
              `acknowledged event ${id} (${want.article} ${want.version}) reads back as ${JSON.stringify(e)}`,
            );
          }
        }
        for (const e of events) {
          // An event is appended only after its version is acknowledged.
          if (e.version > ackedVersions.get(e.article)!)
            problems.push(`event ${e.id} names a version that is not stored`);
        }
        // Committed together: every stored version of a committing article has exactly one event, and no more.
        for (const article of ARTICLES.filter((a) => !APPENDERS.includes(a))) {
          const versions = events.filter((e) => e.article === article).map((e) => e.version);
          const want = Array.from({ length: ackedVersions.get(article)! }, (_, i) => i + 1);
          if (JSON.stringify(versions) !== JSON.stringify(want)) {
            problems.push(`${article}: events for versions ${versions.join(',')}, stored ${want.length}`);
          }
        }
        stats.eventsRebuilt += s.recovery.eventsRebuilt;
        expect(problems).toEqual([]);
        expect(await readdir(storeDir).then((n) => n.filter((x) => x.startsWith('.tmp-')))).toEqual([]);
      } finally {
        await s.close();
      }
      stats.msVerify += performance.now() - t;
    }

    for (const k of ['msChild', 'msToReady', 'msCheckFiles', 'msReopen', 'msVerify'] as const)
      stats[k] = Math.round(stats[k]);

    console.log(`crash test (seed ${SEED}): ${JSON.stringify(stats)}`);
    expect(stats.kills).toBe(KILLS);
    expect(stats.versionsAcked).toBeGreaterThan(0);
  },
);
