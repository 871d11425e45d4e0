/**
 * The command logic of init, add, watch --once, status, history, ingest and reparse, on real temp folders (and a real
 * HTTP server for `add URL`), plus their commander wiring.
 */
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { registerAdd, runAdd } from '../../src/cli/commands/add.js';
import { registerHistory, renderHistory, runHistory } from '../../src/cli/commands/history.js';
import { registerIngest, runIngest } from '../../src/cli/commands/ingest.js';
import { registerInit, runInit } from '../../src/cli/commands/init.js';
import { registerReparse, runReparse } from '../../src/cli/commands/reparse.js';
import { registerStatus, renderStatus, runStatus } from '../../src/cli/commands/status.js';
import { registerWatch } from '../../src/cli/commands/watch.js';
import type { CliContext } from '../../src/cli/context.js';
import { loadConfig } from '../../src/config/config.js';
import { openFileStore } from '../../src/store/open.js';
import { startServer, story, storyHtml, storyText, type TestServer } from './helpers.js';
import { tempDirEach } from '../support/temp.js';

const tmp = tempDirEach('wirediff-cli-');

function fakeCtx(
  cwd: string,
  stdin: NodeJS.ReadableStream = Readable.from([]),
): CliContext & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: { write: (s) => void out.push(s), isTTY: false },
    stderr: { write: (s) => void err.push(s), isTTY: false },
    stdin,
    env: {},
    cwd,
    exitCode: 0,
  };
}

async function cli(ctx: CliContext, argv: string[]): Promise<void> {
  const program = new Command('wirediff').exitOverride();
  for (const register of [
    registerInit,
    registerAdd,
    registerWatch,
    registerStatus,
    registerHistory,
    registerIngest,
    registerReparse,
  ]) {
    register(program, ctx);
  }
  ctx.exitCode = 0;
  await program.parseAsync(argv, { from: 'user' });
}

describe('init', () => {
  test('writes a starter config and articles/, refuses to overwrite without --force', async () => {
    const r = await runInit({ cwd: tmp.dir });
    expect(r.configPath).toBe(path.join(tmp.dir, 'wirediff.config.json'));
    const config = await loadConfig(r.configPath);
    expect(config.sources).toEqual([{ kind: 'dir', path: path.join(tmp.dir, 'articles') }]);
    expect(await readFile(path.join(tmp.dir, 'articles', 'README'), 'utf8')).toMatch(/article files/);
    await writeFile(r.configPath, '{"sources": []}');
    await expect(runInit({ cwd: tmp.dir })).rejects.toThrow(/already exists.*--force/);
    expect(await readFile(r.configPath, 'utf8')).toBe('{"sources": []}');
    expect((await runInit({ cwd: tmp.dir, force: true })).overwrote).toBe(true);
    expect((await loadConfig(r.configPath)).sources).toHaveLength(1);
  });
});

describe('add', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startServer((req, res) => {
      if (req.url === '/feed') {
        res
          .writeHead(200, { 'content-type': 'application/xml' })
          .end(
            '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>http://x.test/</link><description>d</description>' +
              '<item><title>a</title><link>http://x.test/a</link></item></channel></rss>',
          );
      } else if (req.url === '/story') {
        res.writeHead(200, { 'content-type': 'text/html' }).end(storyHtml(story('A story', 1, 5)));
      } else res.writeHead(404).end();
    });
  });
  afterEach(async () => {
    await server.close();
  });

  test('detects url, feed, dir and file; refuses duplicates and invalid options, naming the field', async () => {
    await runInit({ cwd: tmp.dir });
    const feed = await runAdd({ cwd: tmp.dir, target: `${server.url}/feed`, allowPrivateNetwork: true });
    expect(feed.source).toEqual({ kind: 'feed', url: `${server.url}/feed`, allowPrivateNetwork: true });
    expect(feed.detectedBy).toMatch(/root element <rss>/);
    const page = await runAdd({ cwd: tmp.dir, target: `${server.url}/story`, allowPrivateNetwork: true, id: 'story' });
    expect(page.source).toMatchObject({ kind: 'url', id: 'story' });
    await writeFile(path.join(tmp.dir, 'one.txt'), storyText(story('One', 1, 3)));
    expect((await runAdd({ cwd: tmp.dir, target: 'one.txt' })).source).toEqual({ kind: 'file', path: 'one.txt' });
    // the config's own folder, given as an absolute path: stored absolute
    expect((await runAdd({ cwd: tmp.dir, target: `${tmp.dir}/articles/..` })).source).toEqual({
      kind: 'dir',
      path: tmp.dir,
    });
    await expect(runAdd({ cwd: tmp.dir, target: 'one.txt' })).rejects.toThrow(/already watched \(sources\[3\]/);
    await expect(runAdd({ cwd: tmp.dir, target: 'articles' })).rejects.toThrow(/already watched \(sources\[0\]/);
    await expect(runAdd({ cwd: tmp.dir, target: `${server.url}/missing`, allowPrivateNetwork: true })).rejects.toThrow(
      /HTTP 404/,
    );
    await expect(runAdd({ cwd: tmp.dir, target: 'nowhere.txt' })).rejects.toThrow(/no such file or folder/);
    await expect(runAdd({ cwd: tmp.dir, target: `${server.url}/x`, kind: 'url', schedule: 'hourly' })).rejects.toThrow(
      /--schedule "hourly": expected a cron expression/,
    );
    // private addresses are refused unless allowed
    await expect(runAdd({ cwd: tmp.dir, target: `${server.url}/other` })).rejects.toMatchObject({
      code: 'E_FETCH_BLOCKED_ADDRESS',
    });
    const config = await loadConfig(path.join(tmp.dir, 'wirediff.config.json'));
    expect(config.sources.map((s) => s.kind)).toEqual(['dir', 'feed', 'url', 'file', 'dir']);
  });
});

describe('ingest, history, reparse, watch --once and status', () => {
  test('a pushed story, its history, a reparse that changes nothing, and the status of a watch run', async () => {
    await runInit({ cwd: tmp.dir });
    const v1 = path.join(tmp.dir, 'v1.txt');
    const base = story('Quake hits the coast', 1, 6);
    await writeFile(v1, storyText(base));
    const a = await runIngest({ cwd: tmp.dir, article: 'quake', file: v1 });
    expect(a).toMatchObject({ status: 'new-version', meta: { version: 1, kind: 'initial' } });
    const next = storyText({
      ...base,
      paragraphs: ['Aftershocks were felt overnight, officials said.', ...base.paragraphs],
    });
    const b = await runIngest({ cwd: tmp.dir, article: 'quake', file: '-', stdin: Readable.from([Buffer.from(next)]) });
    expect(b).toMatchObject({ status: 'new-version', meta: { version: 2 } });
    expect(await runIngest({ cwd: tmp.dir, article: 'quake', file: v1 })).toEqual({ status: 'variant', of: 1 });
    await writeFile(path.join(tmp.dir, 'empty.txt'), '');
    expect(await runIngest({ cwd: tmp.dir, article: 'quake', file: path.join(tmp.dir, 'empty.txt') })).toMatchObject({
      status: 'rejected',
      reason: 'empty',
    });
    await expect(runIngest({ cwd: tmp.dir, article: '../etc', file: v1 })).rejects.toThrow(/not an article id/);

    const h = await runHistory({ cwd: tmp.dir, article: 'quake' });
    expect(h.versions.map((m) => m.version)).toEqual([1, 2]);
    const text = renderHistory(h);
    expect(text).toMatch(/^quake: Quake hits the coast: 2 version\(s\), known variants seen again 1 time\(s\)/);
    expect(text).toMatch(/v1 .* initial/);
    await expect(runHistory({ cwd: tmp.dir, article: 'quak' })).rejects.toThrow(/did you mean quake\?/);

    const snapshots = path.join(tmp.dir, 'snapshots');
    const before = await openFileStore({ dir: snapshots, readOnly: true });
    const raw1 = await before.store.getRaw('quake', 1);
    const meta1 = (await before.store.listVersions('quake'))[1];
    await before.close();
    const progress: number[] = [];
    const rep = await runReparse({ cwd: tmp.dir, onProgress: (p) => progress.push(p.done) });
    expect(rep).toMatchObject({ articles: 1, versions: 2, changed: 0, failed: [] });
    expect(progress).toEqual([1, 2]);
    const after = await openFileStore({ dir: snapshots, readOnly: true });
    expect(await after.store.getRaw('quake', 1)).toEqual(raw1);
    expect((await after.store.listVersions('quake'))[1]?.contentHash).toBe(meta1?.contentHash);
    await after.close();

    // watch --once over the articles/ folder, then status from the status file
    await writeFile(path.join(tmp.dir, 'articles', 'fire.txt'), storyText(story('Fire spreads', 10, 5)));
    const ctx = fakeCtx(tmp.dir);
    await cli(ctx, ['watch', '--once', '--log-level', 'silent']);
    expect(ctx.out.join('')).toMatch(/^fire: new-version v1 - .+\n$/);
    expect(ctx.exitCode).toBe(0);
    const s = await runStatus({ cwd: tmp.dir });
    expect(s.alive).toBe(false);
    expect(s.status?.sources[0]).toMatchObject({ kind: 'dir', counts: { versions: 1 } });
    const rendered = renderStatus(s, Date.now());
    expect(rendered).toMatch(/Watcher not running/);
    expect(rendered).toMatch(/\[0\] dir .*articles/);
    expect(rendered).toMatch(/polls 1, versions 1, unchanged 0, variants 0, rejected 0, errors 0/);
  });

  test('commander wiring: history --json, status with nothing yet, ingest exit codes', async () => {
    const ctx = fakeCtx(tmp.dir);
    await cli(ctx, ['status']);
    expect(ctx.out.join('')).toMatch(/No watcher status .* run "wirediff watch"/);
    await writeFile(path.join(tmp.dir, 'a.txt'), storyText(story('Alpha', 1, 4)));
    ctx.out.length = 0;
    await cli(ctx, ['ingest', 'alpha', 'a.txt']);
    expect(ctx.out.join('')).toMatch(/^alpha: stored version 1 \(initial\)/);
    expect(ctx.exitCode).toBe(0);
    await writeFile(path.join(tmp.dir, 'blank.txt'), '\n\n');
    await cli(ctx, ['ingest', 'alpha', 'blank.txt']);
    expect(ctx.exitCode).toBe(2);
    ctx.out.length = 0;
    await cli(ctx, ['history', 'alpha', '--json']);
    const parsed = JSON.parse(ctx.out.join('')) as { versions: { version: number }[] };
    expect(parsed.versions.map((v) => v.version)).toEqual([1]);
  });
});
