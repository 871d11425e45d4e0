/**
 * `npm run bench` → `node dist/tests/bench/run.js [--only <name>]`.
 *
 * Imports every `*.bench.js` module beside this file (in name order), runs each one's `run()` in turn, prints one
 * aligned table and writes `bench-results.json` at the repository root. `--only <name>` runs only the modules whose
 * file name (without `.bench.js`) contains `<name>`. A module that throws is reported as a failed row; the others
 * still run.
 */
import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { collectGarbage, formatTable, type BenchRow } from './harness.js';

interface BenchModule {
  run?: () => Promise<BenchRow[]>;
}

function parseArgs(argv: readonly string[]): { only: string | undefined } {
  let only: string | undefined;
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k]!;
    if (a === '--only') {
      only = argv[++k];
      if (only === undefined || only === '') throw new Error('--only needs a name, e.g. --only core-diff');
    } else if (a.startsWith('--only=')) {
      only = a.slice('--only='.length);
    } else {
      throw new Error(`Unknown argument ${a}; usage: run.js [--only <name>]`);
    }
  }
  return { only };
}

function repoRoot(from: string): string {
  let dir = from;
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return from;
    dir = up;
  }
}

async function main(): Promise<void> {
  const { only } = parseArgs(process.argv.slice(2));
  const here = path.dirname(fileURLToPath(import.meta.url));
  const files = (await readdir(here))
    .filter((f) => f.endsWith('.bench.js'))
    .filter((f) => only === undefined || f.slice(0, -'.bench.js'.length).includes(only))
    .sort();
  if (files.length === 0) {
    console.error(`No bench modules${only === undefined ? '' : ` matching "${only}"`} in ${here}`);
    process.exitCode = 2;
    return;
  }
  const rows: BenchRow[] = [];
  for (const file of files) {
    const name = file.slice(0, -'.bench.js'.length);
    console.error(`bench: ${name} …`);
    try {
      const mod = (await import(pathToFileURL(path.join(here, file)).href)) as BenchModule;
      if (typeof mod.run !== 'function') throw new Error(`${file} exports no run()`);
      const got = await mod.run();
      rows.push(...got);
    } catch (err) {
      rows.push({
        group: name,
        name: 'module failed',
        value: NaN,
        unit: '',
        baseline: NaN,
        ratio: NaN,
        pass: false,
        note: err instanceof Error ? err.message : String(err),
      });
    }
    collectGarbage();
  }
  console.log(formatTable(rows));
  const out = path.join(repoRoot(here), 'bench-results.json');
  const result = {
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cpus: os.cpus().length,
    gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
    rows: rows.map((r) => ({
      ...r,
      value: Number.isFinite(r.value) ? r.value : null,
      baseline: Number.isFinite(r.baseline) ? r.baseline : null,
      ratio: Number.isFinite(r.ratio) ? r.ratio : null,
    })),
  };
  await writeFile(out, JSON.stringify(result, null, 2) + '\n');
  const failed = rows.filter((r) => r.pass === false).length;
  console.log(`\n${rows.length} rows, ${failed} below target; written to ${out}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 2;
});
