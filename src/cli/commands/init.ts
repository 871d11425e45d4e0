/**
 * `wirediff init`: writes a starter `wirediff.config.json` (refusing to overwrite one without `--force`) and
 * creates the `articles/` folder it watches.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_ARTICLES_DIR, DEFAULT_CONFIG_FILE, parseConfig, starterConfigFile } from '../../config/config.js';
import { WirediffError } from '../../core/errors.js';
import { EXIT, type CliContext } from '../context.js';

export interface InitOptions {
  readonly cwd: string;
  /** The config file to write (default `wirediff.config.json` in `cwd`). */
  readonly config?: string;
  readonly force?: boolean;
}

export interface InitResult {
  readonly configPath: string;
  readonly articlesDir: string;
  readonly overwrote: boolean;
}

export const ARTICLES_README =
  'Put article files here (.txt, .md, .html): one file per article, named after it. Save a new version of a file and ' +
  '`wirediff watch` keeps it as a new version and publishes what changed.\n';

export async function runInit(opts: InitOptions): Promise<InitResult> {
  const configPath = path.resolve(opts.cwd, opts.config ?? DEFAULT_CONFIG_FILE);
  const starter = starterConfigFile();
  parseConfig(starter, configPath); // the starter is valid, always
  const text = JSON.stringify(starter, null, 2) + '\n';
  let overwrote = false;
  try {
    await writeFile(configPath, text, { flag: opts.force === true ? 'w' : 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new WirediffError(
        'E_USAGE',
        `${configPath} already exists: edit it, or run "wirediff init --force" to replace it with the starter config`,
        { cause: err },
      );
    }
    throw new WirediffError('E_IO', `cannot write ${configPath}: ${(err as Error).message}`, { cause: err });
  }
  if (opts.force === true) overwrote = true;
  const articlesDir = path.resolve(path.dirname(configPath), DEFAULT_ARTICLES_DIR);
  await mkdir(articlesDir, { recursive: true });
  // No extension: not an article file, so the watcher ignores it.
  await writeFile(path.join(articlesDir, 'README'), ARTICLES_README, { flag: 'w' });
  return { configPath, articlesDir, overwrote };
}

export function renderInit(r: InitResult, cwd: string): string {
  const rel = (p: string): string => path.relative(cwd, p) || '.';
  return (
    `Wrote ${rel(r.configPath)}${r.overwrote ? ' (replaced)' : ''}; watching ${rel(r.articlesDir)}/.\n` +
    `Next: put an article file in ${rel(r.articlesDir)}/ and run "wirediff watch"; add a web page or feed with "wirediff add URL".\n`
  );
}

export function registerInit(program: Command, ctx: CliContext): void {
  program
    .command('init')
    .summary('write a starter config (wirediff.config.json) and the articles/ folder')
    .description(
      'Write a starter wirediff.config.json in the current folder that watches the articles/ folder, and create ' +
        'that folder. Refuses to replace an existing config unless --force is given.',
    )
    .option('-c, --config <file>', 'the config file to write', DEFAULT_CONFIG_FILE)
    .option('-f, --force', 'replace an existing config file')
    .addHelpText(
      'after',
      `
Examples:
  $ wirediff init
  $ wirediff init --force
  $ wirediff init --config newsroom.json`,
    )
    .action(async (opts: { config: string; force?: boolean }) => {
      const r = await runInit({ cwd: ctx.cwd, config: opts.config, force: opts.force === true });
      ctx.stdout.write(renderInit(r, ctx.cwd));
      ctx.exitCode = EXIT.ok;
    });
}
