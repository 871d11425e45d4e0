/**
 * `wirediff import FILE|-`: reads a `wirediff.export/2` (or `/1`) file (see src/store/interchange/format.ts) into the current store.
 * The whole file is checked before anything is written. Running the same import again after it stopped part-way
 * finishes it (articles are resumed); an article whose stored history differs from the file's is refused unless
 * `--skip-existing`.
 */
import { open, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { Command } from 'commander';
import { loadConfigFor } from '../../config/config.js';
import { WirediffError, isWirediffError } from '../../core/errors.js';
import { describeStoreTarget, openStore, storeTargetFor } from '../../store/open.js';
import { fileErrorWords } from '../../lib/file-errors.js';
import { EXIT, type CliContext } from '../context.js';
import {
  checkExportFile,
  importExportFile,
  importHistory,
  readExport,
  type CheckedExportFile,
  type HistoryProgress,
  type ImportResult,
  type ParsedExport,
} from '../../store/interchange/index.js';
import { createProgress } from '../progress.js';

export interface ImportCommandOptions {
  readonly cwd: string;
  /** The environment (WIREDIFF_STORE_URL picks a PostgreSQL store). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly config?: string;
  /** A file path, or `-` for `stdin`. */
  readonly file: string;
  readonly stdin?: NodeJS.ReadableStream;
  readonly skipExisting?: boolean;
  readonly onProgress?: (p: HistoryProgress) => void;
}

/** Opens `file` once to refuse, in plain words, a file that is missing, unreadable or a folder (named as given). */
async function checkReadable(file: string, given: string): Promise<void> {
  const fail = (err: unknown, code: string | undefined): never => {
    throw new WirediffError(
      code === 'ENOENT' ? 'E_NOT_FOUND' : 'E_IO',
      fileErrorWords(given, code) ?? `${given}: cannot read (${code ?? String(err)})`,
      { cause: err },
    );
  };
  // stat first: opening a FIFO would wait for a writer. Then open, which is what tells an unreadable file.
  const info = await stat(file).catch((err: unknown) => fail(err, (err as NodeJS.ErrnoException).code));
  if (info.isDirectory()) fail(undefined, 'EISDIR');
  if (!info.isFile()) {
    throw new WirediffError(
      'E_IO',
      `${given}: not a regular file (a pipe, socket or device); save it to a file first, or pipe it in with "-"`,
    );
  }
  const fh = await open(file, 'r').catch((err: unknown) => fail(err, (err as NodeJS.ErrnoException).code));
  await fh.close();
}

export async function runImport(opts: ImportCommandOptions): Promise<ImportResult> {
  // Check the whole input before the store is even opened: a damaged file changes nothing.
  let source: { kind: 'memory'; parsed: ParsedExport } | { kind: 'file'; checked: CheckedExportFile };
  if (opts.file === '-') {
    if (opts.stdin === undefined) throw new WirediffError('E_USAGE', 'no stdin to read from');
    source = { kind: 'memory', parsed: await readExport(opts.stdin, 'stdin') };
  } else {
    const file = path.resolve(opts.cwd, opts.file);
    await checkReadable(file, opts.file);
    source = { kind: 'file', checked: await checkExportFile(file, opts.file) };
  }
  const { config } = await loadConfigFor(opts.cwd, opts.config);
  const target = storeTargetFor(config, opts.env);
  const opened = await openStore(target).catch((err: unknown) => {
    if (!isWirediffError(err, 'E_STORE_LOCKED')) throw err;
    const pid = /(?:pid |process )(\d+)/.exec(err.message)?.[1];
    throw new WirediffError(
      'E_STORE_LOCKED',
      `cannot import: ${config.storeDir} is being written by another wirediff process${pid !== undefined ? ` (pid ${pid}, probably "wirediff watch")` : ''}; stop it, import, then start it again. Nothing was written.`,
      { cause: err },
    );
  });
  try {
    const options = {
      storeName: describeStoreTarget(target),
      ...(opts.skipExisting === true ? { skipExisting: true } : {}),
      ...(opts.onProgress !== undefined ? { onProgress: opts.onProgress } : {}),
    };
    return source.kind === 'memory'
      ? await importHistory(opened, source.parsed, options)
      : await importExportFile(opened, source.checked, options);
  } finally {
    await opened.close();
  }
}

export function renderImport(r: ImportResult): string {
  const parts = [`imported ${r.versions} version(s) of ${r.imported.length} article(s) and ${r.events} event(s)`];
  if (r.resumed.articles > 0) {
    parts.push(
      `resumed ${r.resumed.articles} article(s) whose first versions were already stored ` +
        `(${r.resumed.versions} version(s) and ${r.resumed.events} event(s) already there, not written again)`,
    );
  }
  if (r.variants > 0) parts.push(`recorded ${r.variants} known-variant sighting(s)`);
  if (r.skipped.length > 0) parts.push(`skipped ${r.skipped.length} article(s) stored with another history`);
  const lines = [parts.join('; ')];
  for (const a of r.imported) {
    const resumed =
      a.resumedVersions > 0 || a.resumedEvents > 0
        ? ` (resumed: ${a.resumedVersions} version(s) and ${a.resumedEvents} event(s) already stored)`
        : '';
    const variants = a.variants > 0 ? `, ${a.variants} variant sighting(s)` : '';
    lines.push(`  ${a.id}: ${a.versions} new version(s), ${a.events} new event(s)${variants}${resumed}`);
  }
  for (const s of r.skipped) lines.push(`  ${s.id}: skipped (${s.existing} stored version(s) differ from the file's)`);
  return lines.join('\n') + '\n';
}

export function registerImport(program: Command, ctx: CliContext): void {
  program
    .command('import')
    .summary('read a history written by "wirediff export" into this store')
    .description(
      'Read a file written by "wirediff export" (or stdin with "-") into the store: versions keep their numbers, ' +
        'times and sources; events keep their times and get new ids. Every line is checked before anything is ' +
        'written. If an import stops part-way (a crash, Ctrl-C), run it again: an article whose stored versions are ' +
        "the file's first versions is resumed, and events already in the log are not added twice. An article " +
        'stored with a different history is refused (nothing is written) unless --skip-existing. Known-variant ' +
        'counts are restored. Stop "wirediff watch" first: one process writes the store at a time.',
    )
    .argument('<file>', 'the export file, or - for stdin')
    .option('--skip-existing', 'skip articles stored with a different history instead of refusing the import')
    .option('-c, --config <file>', 'the config file (default: wirediff.config.json)')
    .option('-q, --quiet', 'no progress and no summary')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ wirediff import backup.jsonl
  $ wirediff import ap-syria.jsonl --skip-existing
  $ ssh old-box "wirediff export --all" | wirediff import -`,
    )
    .action(
      async (file: string, opts: { skipExisting?: boolean; config?: string; quiet?: boolean; json?: boolean }) => {
        const progress = createProgress(ctx.stderr, 'import', { quiet: opts.quiet === true });
        let r: ImportResult;
        try {
          r = await runImport({
            cwd: ctx.cwd,
            env: ctx.env,
            file,
            stdin: ctx.stdin,
            ...(opts.skipExisting === true ? { skipExisting: true } : {}),
            ...(opts.config !== undefined ? { config: opts.config } : {}),
            onProgress: (p) => progress.update(p.done, p.total, `versions (${p.article})`),
          });
        } finally {
          progress.end();
        }
        if (opts.json === true) ctx.stdout.write(JSON.stringify(r, null, 2) + '\n');
        else if (opts.quiet !== true) ctx.stdout.write(renderImport(r));
        ctx.exitCode = EXIT.ok;
      },
    );
}
