/**
 * `wirediff demo`: the AP story's versions land in the watched folder in order, atomically, and a real watcher turns
 * them into the four versions of the story (initial, breaking-update, write-thru, correction).
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { DEMO_STEPS, demoFixturesDir, nextDemoStep, parseInterval, playDemo } from '../../src/cli/commands/demo.js';
import { startWatch, type RunningWatch } from '../../src/app.js';
import { run } from '../../src/cli/main.js';
import { findPackageRoot } from '../../src/cli/package-root.js';
import { parseConfig } from '../../src/config/config.js';
import { AP_DIR, apTexts, captureContext } from './helpers.js';
import { tempDirEach } from '../support/temp.js';
import { until } from '../support/wait.js';
import { silentLogger } from '../support/log.js';

const tmp = tempDirEach('wirediff-demo-');
let running: RunningWatch | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

test('the fixtures are found from the package root (walking up from the module)', () => {
  const root = findPackageRoot();
  expect(root).toBeDefined();
  expect(demoFixturesDir()).toBe(AP_DIR);
  expect(() => demoFixturesDir(tmp.dir)).toThrow(/demo story is not installed/);
});

test('writes v1..v4 in order with the fixture content, atomically, leaving no temp files', async () => {
  const dir = path.join(tmp.dir, 'articles');
  const expected = await apTexts();
  const seen: { version: number; content: Buffer; names: string[] }[] = [];
  const waits: number[] = [];
  const r = await playDemo({
    dir,
    intervalMs: 20,
    afterWrite: async (step, file) => {
      seen.push({ version: step.version, content: await readFile(file), names: await readdir(dir) });
    },
    onWait: (next) => waits.push(next.version),
  });
  expect(r).toEqual({ file: path.join(dir, 'ap-syria.txt'), written: [1, 2, 3, 4], stopped: false });
  expect(seen.map((s) => s.version)).toEqual([1, 2, 3, 4]);
  seen.forEach((s, i) => {
    expect(s.content.equals(expected[i]!)).toBe(true);
    expect(s.names).toEqual(['ap-syria.txt']);
  });
  expect(waits).toEqual([2, 3, 4]);
});

test('an abort between versions stops cleanly with the last version written in place', async () => {
  const dir = path.join(tmp.dir, 'articles');
  const texts = await apTexts();
  // A long pause is cut short by the abort.
  const abort = new AbortController();
  const r = await playDemo({
    dir,
    article: 'syria-stop',
    intervalMs: 3_600_000,
    signal: abort.signal,
    onWait: () => abort.abort(),
  });
  expect(r).toEqual({ file: path.join(dir, 'syria-stop.txt'), written: [1], stopped: true });
  expect((await readFile(r.file)).equals(texts[0]!)).toBe(true);

  const abort2 = new AbortController();
  const r2 = await playDemo({
    dir,
    article: 'syria-stop-2',
    intervalMs: 10,
    signal: abort2.signal,
    afterWrite: (step) => {
      if (step.version === 2) abort2.abort();
      return Promise.resolve();
    },
  });
  expect(r2.stopped).toBe(true);
  expect(r2.written).toEqual([1, 2]);
  expect((await readFile(r2.file)).equals(texts[1]!)).toBe(true);
  expect((await readdir(dir)).sort()).toEqual(['syria-stop-2.txt', 'syria-stop.txt']);
});

test('--once steps through the story one version per run', async () => {
  const file = path.join(tmp.dir, 'ap-syria.txt');
  const fixtures = demoFixturesDir();
  expect((await nextDemoStep(file, fixtures))?.version).toBe(1);
  const texts = await apTexts();
  await writeFile(file, texts[1]!);
  expect((await nextDemoStep(file, fixtures))?.version).toBe(3);
  await writeFile(file, texts[3]!);
  expect(await nextDemoStep(file, fixtures)).toBeUndefined();
  await writeFile(file, 'something else\n');
  expect((await nextDemoStep(file, fixtures))?.version).toBe(1);

  await writeFile(path.join(tmp.dir, 'wirediff.config.json'), JSON.stringify({ server: { port: 0 } }));
  for (const v of [1, 2]) {
    const ctx = captureContext(tmp.dir);
    expect(await run(['demo', '--once'], ctx)).toBe(0);
    expect(ctx.stdoutText()).toContain(`[v${v}/4] wrote ${DEMO_STEPS[v - 1]!.label}`);
    expect(ctx.stdoutText()).toContain('/articles/ap-syria');
  }
  const written = await readFile(path.join(tmp.dir, 'articles', 'ap-syria.txt'));
  expect(written.equals(texts[1]!)).toBe(true);
});

describe('the command', () => {
  test("plays into the config's folder and says where to look", async () => {
    await writeFile(
      path.join(tmp.dir, 'wirediff.config.json'),
      JSON.stringify({ server: { port: 8123 }, sources: [{ kind: 'dir', path: 'news' }] }),
    );
    const ctx = captureContext(tmp.dir);
    expect(await run(['demo', '--interval', '10ms'], ctx)).toBe(0);
    const out = ctx.stdoutText();
    expect(out).toContain(`Playing the AP Syria story into ${path.join(tmp.dir, 'news', 'ap-syria.txt')}`);
    expect(out).toContain('open http://127.0.0.1:8123/articles/ap-syria');
    expect(out).toMatch(/no watcher is running/);
    const order = [...out.matchAll(/\[v(\d)\/4\] wrote/g)].map((m) => Number(m[1]));
    expect(order).toEqual([1, 2, 3, 4]);
    expect((await readFile(path.join(tmp.dir, 'news', 'ap-syria.txt'))).equals((await apTexts())[3]!)).toBe(true);
  });

  test('--interval and --article are checked, naming the option, the range and the value', async () => {
    expect(() => parseInterval('soon')).toThrow('--interval: expected a duration from 10ms to 1h');
    expect(() => parseInterval('2h')).toThrow(/got "2h"/);
    expect(() => parseInterval('5ms')).toThrow(/got "5ms"/);
    expect(parseInterval('500ms')).toBe(500);
    expect(parseInterval('5s')).toBe(5000);
    for (const [argv, pattern] of [
      [['demo', '--interval', 'soon'], /--interval: expected a duration from 10ms to 1h.*got "soon"/],
      [['demo', '--article', '../x'], /--article: expected an article id.*got "\.\.\/x"/],
    ] as const) {
      const ctx = captureContext(tmp.dir);
      expect(await run([...argv], ctx)).toBe(2);
      expect(ctx.stderrText()).toMatch(pattern);
      expect(ctx.stdoutText()).toBe('');
    }
    expect(await readdir(tmp.dir)).toEqual([]);
  });
});

test('a real watcher turns the demo into 4 versions: initial, breaking-update, write-thru, correction', async () => {
  const config = parseConfig(
    {
      storeDir: 'snapshots',
      // A schedule that will not fire during the test: the folder watch (fs.watch) must pick every version up.
      sources: [{ kind: 'dir', path: 'articles', schedule: '0 0 1 1 *' }],
      watch: { debounce: 50 },
      server: { port: 0 },
    },
    'test config',
    { baseDir: tmp.dir },
  );
  running = await startWatch(config, silentLogger());
  const store = running.store;
  const r = await playDemo({
    dir: path.join(tmp.dir, 'articles'),
    intervalMs: 10,
    // The watcher reads each version before the next one is written (a slow machine must not skip one).
    afterWrite: (step) =>
      until(
        async () => ((await store.listVersions('ap-syria')).length >= step.version ? true : undefined),
        `version ${step.version}`,
      ).then(() => undefined),
  });
  expect(r.written).toEqual([1, 2, 3, 4]);
  const metas = await store.listVersions('ap-syria');
  expect(metas.map((m) => m.kind)).toEqual(['initial', 'breaking-update', 'write-thru', 'correction']);
  expect(metas.map((m) => m.kind)).toEqual(DEMO_STEPS.map((s) => s.kind));
  const events = await until(async () => {
    const e = await running!.log.readAfter(0);
    return e.length === 4 ? e : undefined;
  }, 'four events');
  expect(events.map((e) => [e.version, e.kind])).toEqual([
    [1, 'initial'],
    [2, 'breaking-update'],
    [3, 'write-thru'],
    [4, 'correction'],
  ]);
});
