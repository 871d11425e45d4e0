/**
 * `wirediff import FILE|-`: reads a `wirediff.export/1` file (see ../history-io.ts) into the current store. The
 * whole file is checked before anything is written; an article that already has versions is refused unless
 * `--skip-existing`.
 */
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { Command } from 'commander';
import { loadConfigFor } from '../../config.js';
import { WirediffError, isWirediffError } from '../../core/errors.js';
import { openFileStore } from '../../store/open.js';
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
} from '../history-io.js';
import { createProgress } from '../progress.js';

export interface ImportCommandOptions {
  readonly cwd: string;
  readonly config?: string;
  /** A file path, or `-` for `stdin`. */
  readonly file: string;
  readonly stdin?: NodeJS.ReadableStream;
  readonly skipExisting?: boolean;
  readonly onProgress?: (p: HistoryProgress) => void;
}

export async function runImport(opts: ImportCommandOptions): Promise<ImportResult> {
  // Check the whole input before the store is even opened: a damaged file changes nothing.
  let source: { kind: 'memory'; parsed: ParsedExport } | { kind: 'file'; checked: CheckedExportFile };
  if (opts.file === '-') {
    if (opts.stdin === undefined) throw new WirediffError('E_USAGE', 'no stdin to read from');
    source = { kind: 'memory', parsed: await readExport(opts.stdin, 'stdin') };
  } else {
    const file = path.resolve(opts.cwd, opts.file);
    const info = await stat(file).catch((err: unknown) => {
      const code = (err as NodeJS.ErrnoException).code;
      throw new WirediffError(
        'E_IO',
        `${opts.file}: cannot read: ${code === 'ENOENT' ? 'no such file' : (code ?? String(err))}`,
        { cause: err },
      );
    });
    if (!info.isFile()) throw new WirediffError('E_IO', `${opts.file}: cannot read: not a file`);
    source = { kind: 'file', checked: await checkExportFile(file, opts.file) };
  }
  const { config } = await loadConfigFor(opts.cwd, opts.config);
  const opened = await openFileStore({ dir: config.storeDir }).catch((err: unknown) => {
    if (!isWirediffError(err, 'E_CONFLICT')) throw err;
    const pid = /(?:pid |process )(\d+)/.exec(err.message)?.[1];
    throw new WirediffError(
      'E_CONFLICT',
      `cannot import: ${config.storeDir} is being written by another wirediff process${pid !== undefined ? ` (pid ${pid}, probably "wirediff watch")` : ''}; stop it, import, then start it again. Nothing was written.`,
      { cause: err },
    );
  });
  try {
    const options = {
      storeName: config.storeDir,
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
  const lines = [
    `imported ${r.versions} version(s) of ${r.imported.length} article(s) and ${r.events} event(s)` +
      (r.skipped.length > 0 ? `; skipped ${r.skipped.length} article(s) already stored` : ''),
  ];
  for (const a of r.imported) lines.push(`  ${a.id}: ${a.versions} version(s)`);
  for (const s of r.skipped) lines.push(`  ${s.id}: skipped (already has ${s.existing} version(s))`);
  return lines.join('\n') + '\n';
}

export function registerImport(program: Command, ctx: CliContext): void {
  program
    .command('import')
    .summary('read a history written by "wirediff export" into this store')
    .description(
      'Read a file written by "wirediff export" (or stdin with "-") into the store: versions keep their numbers, ' +
        'times and sources; events keep their times and get new ids. Every line is checked before anything is ' +
        'written. An article that already has versions here is refused (nothing is written) unless --skip-existing. ' +
        'Stop "wirediff watch" first: one process writes the store at a time.',
    )
    .argument('<file>', 'the export file, or - for stdin')
    .option('--skip-existing', 'skip articles that already have versions instead of refusing the import')
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
