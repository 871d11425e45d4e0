/**
 * The first hour with `wirediff`: piping into `head`, `npm start` without a rebuild (child processes), a port in use.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { ensureBuilt, MAIN, ROOT } from '../e2e/harness.js';
import { tempDir } from './helpers.js';
import { cli } from './history-fixture.js';

let tmp: { dir: string; cleanup(): Promise<void> };
beforeEach(async () => {
  tmp = await tempDir();
});
afterEach(async () => {
  await tmp.cleanup();
});

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
  test('does not run tsc on every start: it builds only when a source is newer than dist/', async () => {
    const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts['start']).toMatch(/^node scripts\/build-if-stale\.mjs && node dist\/src\/cli\/main\.js /);
    expect(pkg.scripts['start']).not.toContain('npm run build');

    // A tiny project built by the same script: built when missing, skipped when current, rebuilt after an edit.
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
    const script = path.join(ROOT, 'scripts/build-if-stale.mjs');
    const runScript = () => spawnSync(process.execPath, [script, root], { encoding: 'utf8' });

    const first = runScript();
    expect(first.status).toBe(0);
    expect(first.stderr).toContain('no build in dist/: building');
    const built = path.join(root, 'dist/src/cli/main.js');
    const builtAt = (await stat(built)).mtimeMs;

    const second = runScript();
    expect(second.status).toBe(0);
    expect(second.stderr).toContain('the build in dist/ is current');
    expect((await stat(built)).mtimeMs).toBe(builtAt);

    const later = new Date(builtAt + 60_000);
    await utimes(path.join(root, 'src/cli/main.ts'), later, later);
    const third = runScript();
    expect(third.status).toBe(0);
    expect(third.stderr).toContain('src/cli/main.ts changed since the build: building');
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
