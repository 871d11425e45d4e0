/**
 * `wirediff export ARTICLE|--all [--out FILE]`: an article's history (or every article's) as JSON lines in the
 * `wirediff.export/2` format (see src/store/interchange/format.ts), to stdout or atomically to a file. Progress on a terminal.
 */
import * as path from 'node:path';
import type { Command } from 'commander';
import { loadConfigFor } from '../../config/config.js';
import { WirediffError } from '../../core/errors.js';
import { isArticleId } from '../../core/model/version.js';
import { openStore, storeTargetFor } from '../../store/open.js';
import { EXIT, type CliContext } from '../context.js';
import { writeFileAtomic } from '../../lib/atomic-write.js';
import { fsyncDirIfSupported } from '../../lib/dir-sync.js';
import { fileErrorWords } from '../../lib/file-errors.js';
import { exportHistory, type ExportResult, type HistoryProgress } from '../../store/interchange/index.js';
import { createProgress } from '../progress.js';

export interface ExportCommandOptions {
  readonly cwd: string;
  /** The environment (WIREDIFF_STORE_URL picks a PostgreSQL store). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly config?: string;
  /** One article, or undefined with `all`. */
  readonly article?: string;
  readonly all?: boolean;
  /** A file to write (atomically); without it, lines go to `write`. */
  readonly out?: string;
  readonly write?: (line: string) => void;
  readonly now?: () => number;
  readonly onProgress?: (p: HistoryProgress) => void;
}

/**
 * Writes the export to `final` (`given` as the user typed it, for messages) atomically and durably: a file that
 * cannot be created in its folder or put in place is `E_IO` in plain words; a failed read of the store is thrown as
 * it is. Either way no temp file is left and an earlier file of that name is kept.
 */
async function exportToFile(
  deps: Parameters<typeof exportHistory>[0],
  given: string,
  final: string,
  options: Parameters<typeof exportHistory>[2],
): Promise<ExportResult> {
  let result: ExportResult | undefined;
  let step = 'create' as 'create' | 'write' | 'replace';
  try {
    await writeFileAtomic(
      final,
      async (fh) => {
        step = 'write';
        result = await exportHistory(deps, async (line) => void (await fh.write(line)), options);
        step = 'replace';
      },
      { mode: 0o666, syncDir: fsyncDirIfSupported },
    );
  } catch (err) {
    if (step === 'write') throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const words =
      step === 'create'
        ? (fileErrorWords(path.dirname(given), code, 'folder') ??
          `could not create a file in its folder (${code ?? String(err)})`)
        : (fileErrorWords(given, code) ?? `could not replace it (${code ?? String(err)})`);
    throw new WirediffError('E_IO', `--out ${given}: cannot write there: ${words}`, { cause: err });
  }
  return result!;
}

export async function runExport(opts: ExportCommandOptions): Promise<ExportResult & { readonly out?: string }> {
  if (opts.all === true && opts.article !== undefined) {
    throw new WirediffError('E_USAGE', `give either an ARTICLE or --all, not both (got "${opts.article}" and --all)`);
  }
  if (opts.all !== true && opts.article === undefined) {
    throw new WirediffError('E_USAGE', 'give the ARTICLE to export, or --all for every article');
  }
  const given: string | undefined = opts.article;
  if (given !== undefined && !isArticleId(given)) {
    throw new WirediffError(
      'E_BAD_ARTICLE_ID',
      `${JSON.stringify(given)} is not an article id (lower-case letters, digits, "-", "_", "."): see "wirediff status" or the viewer for ids`,
    );
  }
  const { config } = await loadConfigFor(opts.cwd, opts.config);
  const now = opts.now ?? Date.now;
  const opened = await openStore(storeTargetFor(config, opts.env), { readOnly: true });
  try {
    const options = {
      exportedAt: new Date(now()).toISOString(),
      ...(given !== undefined ? { articles: [given] } : {}),
      ...(opts.onProgress !== undefined ? { onProgress: opts.onProgress } : {}),
    };
    if (opts.out === undefined) {
      const write = opts.write ?? ((line: string) => void process.stdout.write(line));
      return await exportHistory(opened, write, options);
    }
    const final = path.resolve(opts.cwd, opts.out);
    return { ...(await exportToFile(opened, opts.out, final, options)), out: final };
  } finally {
    await opened.close();
  }
}

export function registerExport(program: Command, ctx: CliContext): void {
  program
    .command('export')
    .summary("write an article's history (or every article's) as JSON lines")
    .description(
      'Write the stored history of ARTICLE (or of every article, with --all) as JSON lines, to move it to another ' +
        'machine with "wirediff import": a header line, then every version (metadata, extracted article, ChangeSet ' +
        "and the raw source in base64) and the article's known-variant count, then the change events. Goes to " +
        'stdout unless --out names a file (written atomically). Safe while "wirediff watch" runs (the store is ' +
        'read, not locked).',
    )
    .argument('[article]', 'the article id (see "wirediff status" or the viewer)')
    .option('--all', 'export every article')
    .option('-o, --out <file>', 'write to this file instead of stdout')
    .option('-c, --config <file>', 'the config file (default: wirediff.config.json)')
    .option('-q, --quiet', 'no progress and no summary')
    .addHelpText(
      'after',
      `
Examples:
  $ wirediff export ap-syria > ap-syria.jsonl
  $ wirediff export --all --out backup.jsonl
  $ wirediff export --all | ssh newsroom "cd /srv/wirediff && wirediff import -"`,
    )
    .action(
      async (article: string | undefined, opts: { all?: boolean; out?: string; config?: string; quiet?: boolean }) => {
        const progress = createProgress(ctx.stderr, 'export', { quiet: opts.quiet === true });
        try {
          const r = await runExport({
            cwd: ctx.cwd,
            env: ctx.env,
            ...(article !== undefined ? { article } : {}),
            ...(opts.all === true ? { all: true } : {}),
            ...(opts.out !== undefined ? { out: opts.out } : {}),
            ...(opts.config !== undefined ? { config: opts.config } : {}),
            write: (line) => ctx.stdout.write(line),
            onProgress: (p) => progress.update(p.done, p.total, `versions (${p.article})`),
          });
          progress.end();
          if (r.out !== undefined && opts.quiet !== true) {
            ctx.stdout.write(
              `exported ${r.versions} version(s) of ${r.articles} article(s) and ${r.events} event(s) to ${r.out}` +
                (r.variantsSeen > 0 ? ` (with ${r.variantsSeen} known-variant sighting(s))` : '') +
                '\n',
            );
          }
        } finally {
          progress.end();
        }
        ctx.exitCode = EXIT.ok;
      },
    );
}
