/**
 * An import killed part-way must leave nothing that crash repair cannot see: every stored version has its event
 * (an import used to write all versions before any event, and the watcher's repair only looks at each article's
 * newest version). Then running the import again finishes it: each version once, each with one event, in the
 * source's order across articles. A real child process is killed (SIGKILL) in the middle of the import.
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkExportFile, exportHistory, importExportFile } from '../../src/store/interchange/index.js';
import { openFileStore } from '../../src/store/open.js';
import { reconcileEvents } from '../../src/ingest/reconcile.js';
import { makeVersion } from './fixtures.js';
import { transpileForChild } from './transpile-for-child.js';
import { tempDir } from '../support/temp.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
let work: { dir: string; cleanup: () => Promise<void> };
let killerJs: string;

beforeAll(async () => {
  work = await tempDir('wirediff-import-crash-');
  killerJs = await transpileForChild(join(ROOT, 'tests/store/import-killer.ts'), ROOT, join(work.dir, 'build'));
});
afterAll(async () => {
  await work.cleanup();
});

/** Runs the import in a child that blocks after `stopAt` versions, and kills it there. */
function importAndKill(dir: string, file: string, stopAt: number): Promise<string[]> {
  const child = spawn(process.execPath, [killerJs, dir, file, String(stopAt)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  let buf = '';
  return new Promise((done, fail) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buf += chunk;
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        lines.push(buf.slice(0, i));
        buf = buf.slice(i + 1);
        if (lines[lines.length - 1] === `P ${stopAt}`) child.kill('SIGKILL');
      }
    });
    child.on('error', fail);
    child.on('exit', () => done(lines));
  });
}

it('an import killed part-way leaves every stored version with its event; run again, it finishes in order', async () => {
  // The source: two articles whose versions alternate in time.
  const source = await openFileStore({ dir: join(work.dir, 'source') });
  const order: string[] = [];
  for (let n = 1; n <= 6; n++) {
    for (const a of ['alpha', 'beta']) {
      await source.store.commitVersion(makeVersion(a, n), {
        at: new Date(Date.UTC(2026, 0, 1, n, a === 'alpha' ? 0 : 30)).toISOString(),
      });
      order.push(`${a}@${n}`);
    }
  }
  const exportLines: string[] = [];
  await exportHistory(source, (line) => void exportLines.push(line), { exportedAt: '2026-02-01T00:00:00.000Z' });
  const sourceEvents = (await source.log.readAfter(0)).map((e) => ({ v: `${e.article}@${e.version}`, at: e.at }));
  await source.close();
  const file = join(work.dir, 'export.jsonl');
  await writeFile(file, exportLines.join(''));

  const dir = join(work.dir, 'target');
  const printed = await importAndKill(dir, file, 5);
  expect(printed).not.toContain('DONE');
  expect(printed[printed.length - 1]).toBe('P 5');

  const target = await openFileStore({ dir });
  try {
    // What the watcher's crash repair does on start; then every stored version must have exactly one event.
    await reconcileEvents(target, () => Date.UTC(2026, 5, 1));
    const stored: string[] = [];
    for (const a of await target.store.listArticles()) {
      for (const m of await target.store.listVersions(a.id)) stored.push(`${a.id}@${m.version}`);
    }
    expect(stored).toHaveLength(5);
    const logged = (await target.log.readAfter(0)).map((e) => `${e.article}@${e.version}`);
    expect([...logged].sort()).toEqual([...stored].sort());

    // The import run again finishes it: each version once with one event, ids in the source's order, times kept.
    const result = await importExportFile(target, await checkExportFile(file, 'export'));
    expect(result.versions).toBe(7);
    const events = (await target.log.readAfter(0)).map((e) => ({ v: `${e.article}@${e.version}`, at: e.at }));
    expect(events).toEqual(sourceEvents);
    expect(events.map((e) => e.v)).toEqual(order);
  } finally {
    await target.close();
  }
});
