#!/usr/bin/env node
/**
 * `npm start` and `npm run demo` run this first: it builds dist/ with tsc only when the build is missing or older
 * than a source (src/**, tests/** .ts, tsconfig.json, package.json), so a start after `npm install` (whose `prepare`
 * built dist/) or after an unchanged checkout starts at once instead of re-running tsc every time.
 * Usage: node scripts/build-if-stale.mjs [projectRoot]. Says what it did on stderr; exits non-zero if tsc fails.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const built = join(root, 'dist/src/cli/main.js');

/** The newest input of the build: { file, mtimeMs }. */
function newestSource() {
  let newest = { file: '', mtimeMs: 0 };
  /** @param {string} file */
  const consider = (file) => {
    const mtimeMs = statSync(file).mtimeMs;
    if (mtimeMs > newest.mtimeMs) newest = { file, mtimeMs };
  };
  for (const dir of ['src', 'tests']) {
    const abs = join(root, dir);
    if (!existsSync(abs)) continue;
    for (const rel of readdirSync(abs, { recursive: true })) {
      if (String(rel).endsWith('.ts')) consider(join(abs, String(rel)));
    }
  }
  for (const file of ['tsconfig.json', 'package.json']) if (existsSync(join(root, file))) consider(join(root, file));
  return newest;
}

const source = newestSource();
const buildTime = existsSync(built) ? statSync(built).mtimeMs : undefined;
if (buildTime !== undefined && (source.file === '' || buildTime >= source.mtimeMs)) {
  process.stderr.write('wirediff: the build in dist/ is current\n');
  process.exit(0);
}
const why =
  buildTime === undefined ? 'no build in dist/' : `${source.file.slice(root.length + 1)} changed since the build`;
process.stderr.write(`wirediff: ${why}: building (tsc)...\n`);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
