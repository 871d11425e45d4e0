/**
 * `npm run bench` → `node dist/tests/bench/run.js [--only <name>]`.
 *
 * Imports every `*.bench.js` module beside this file (in name order), runs each one's `run()` in turn, prints one
 * aligned table, merges the rows into docs/bench-results.json and renders docs/benchmarks.md from it (report.ts).
 * `--only <name>` runs only the modules whose file name (without `.bench.js`) contains `<name>`; the results file
 * keeps one entry per module, so such a partial run replaces the modules it ran and keeps every other module's rows
 * (with their own date and machine). A module that throws is reported as a failed row; the others still run.
 */
import { readdir, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { collectGarbage, formatTable, type BenchRow } from './harness.js';
import {
  formatResults,
  mergeResults,
  readResults,
  repoRoot,
  RESULTS_FILE,
  writeReport,
  type BenchMachine,
  type ModuleResult,
} from './report.js';

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

function machine(): BenchMachine {
  return {
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? '',
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
  };
}

/** A row as the results file keeps it: figures that are not finite numbers become null. */
function jsonRow(r: BenchRow): ModuleResult['rows'][number] {
  return {
    ...r,
    value: Number.isFinite(r.value) ? r.value : null,
    baseline: Number.isFinite(r.baseline) ? r.baseline : null,
    ratio: Number.isFinite(r.ratio) ? r.ratio : null,
  };
}

async function main(): Promise<void> {
  const { only } = parseArgs(process.argv.slice(2));
  const here = path.dirname(fileURLToPath(import.meta.url));
  const root = repoRoot(here);
  const out = path.join(root, RESULTS_FILE);
  // Read (and check) the earlier results before running anything, so a damaged file stops the bench at once.
  const previous = readResults(out);
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
  const modules: ModuleResult[] = [];
  for (const file of files) {
    const name = file.slice(0, -'.bench.js'.length);
    console.error(`bench: ${name} …`);
    const first = rows.length;
    const date = new Date().toISOString();
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
    modules.push({ module: name, date, machine: machine(), rows: rows.slice(first).map(jsonRow) });
    collectGarbage();
  }
  console.log(formatTable(rows));
  await writeFile(out, formatResults(mergeResults(previous, modules)));
  const report = await writeReport(root);
  const failed = rows.filter((r) => r.pass === false).length;
  console.log(`\n${rows.length} rows, ${failed} below target; merged into ${out}; ${report} rendered from it`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 2;
});
