/**
 * The first hour with `wirediff`: piping into `head`, `npm start` without a rebuild (child processes), a port in use.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, test } from 'vitest';
import { ensureBuilt, MAIN, ROOT } from '../e2e/harness.js';
import { cli } from './history-fixture.js';
import { tempDirEach } from '../support/temp.js';

const tmp = tempDirEach();

describe('wirediff diff big1 big2 | head', () => {
  beforeAll(async () => {
    await ensureBuilt();
  }, 300_000); // tsc on a busy 2-core machine

  test('exits quietly when the reader goes away (no EPIPE stack trace)', async () => {
    const paragraphs = Array.from(
      { length: 3000 },
      (_, i) => `Paragraph ${i}: officials reviewed decision ${i} on tuesday.`,
    );
    await writeFile(path.join(tmp.dir, 'big1.txt'), `Big story\n\n${paragraphs.join('\n\n')}\n`);
    const changed = paragraphs.map((p, i) => (i % 2 === 0 ? p.replace('tuesday', 'wednesday') : p));
    await writeFile(path.join(tmp.dir, 'big2.txt'), `Big story\n\n${changed.join('\n\n')}\n`);
    const child = spawn(process.execPath, [MAIN, 'diff', 'big1.txt', 'big2.txt'], {
      cwd: tmp.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stderr: string[] = [];
    child.stderr.on('data', (b: Buffer) => stderr.push(b.toString('utf8')));
    // Like `head -1`: read the first chunk, then close the pipe while the diff is still being written.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.on('close', (c, s) => resolve([c, s])),
    );
    expect(stderr.join('')).toBe('');
    expect(signal).toBeNull();
    expect([0, 1]).toContain(code); // diff's own codes: 0 same, 1 changed; never a crash
  });
});

describe('npm start', () => {
  test("does not run a full tsc on every start: the build is tsc's incremental build mode (-b)", async () => {
    const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    // The server's project and the viewer's browser scripts (their own tsconfig), both in build mode.
    expect(pkg.scripts['build']).toBe('tsc -b tsconfig.json src/http/viewer/client/tsconfig.json');
    expect(pkg.scripts['start']).toMatch(/^npm run build && node dist\/src\/cli\/main\.js /);

    // A tiny project built the same way: built when missing, left alone when current, rebuilt after an edit.
    const root = tmp.dir;
    await mkdir(path.join(root, 'src/cli'), { recursive: true });
    await writeFile(
      path.join(root, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', rootDir: '.', outDir: 'dist', types: [] },
        include: ['src/**/*.ts'],
      }),
    );
    await writeFile(path.join(root, 'src/cli/main.ts'), 'export const answer: number = 42;\n');
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const build = () =>
      spawnSync(process.execPath, [tsc, '-b', path.join(root, 'tsconfig.json')], { encoding: 'utf8' });

    expect(build().status).toBe(0);
    const built = path.join(root, 'dist/src/cli/main.js');
    const builtAt = (await stat(built)).mtimeMs;

    expect(build().status).toBe(0);
    expect((await stat(built)).mtimeMs).toBe(builtAt);

    await writeFile(path.join(root, 'src/cli/main.ts'), 'export const answer: number = 43;\n');
    expect(build().status).toBe(0);
    expect(await readFile(built, 'utf8')).toContain('43');
  });
});

describe('a port in use', () => {
  test('says how to pick another port, not just "listen EADDRINUSE"', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as AddressInfo).port;
    try {
      await mkdir(path.join(tmp.dir, 'articles'));
      const r = await cli(tmp.dir, ['watch', '--serve', '--port', String(port), '--quiet', '--json-logs']);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`could not listen on 127.0.0.1:${port}`);
      expect(r.err).toContain('that port is already in use');
      expect(r.err).toContain('--port 0 for any free port');
      expect(r.err).toContain('server.port');
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });
});
