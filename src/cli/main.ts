#!/usr/bin/env node
/**
 * The `wirediff` command. The only place (with the rest of cli/) that reads argv, the environment and config files.
 */
import { pathToFileURL } from 'node:url';
import { realpathSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { EXIT, packageVersion, processContext, type CliContext } from './context.js';
import { describeError } from './errors.js';
import { registerAdd } from './commands/add.js';
import { registerDemo } from './commands/demo.js';
import { registerDiff } from './commands/diff.js';
import { registerExport } from './commands/export.js';
import { registerHistory } from './commands/history.js';
import { registerImport } from './commands/import.js';
import { registerIngest } from './commands/ingest.js';
import { registerMigrate } from './commands/migrate.js';
import { registerInit } from './commands/init.js';
import { registerPoll } from './commands/poll.js';
import { registerReparse } from './commands/reparse.js';
import { registerServe } from './commands/serve.js';
import { registerStatus } from './commands/status.js';
import { registerWatch } from './commands/watch.js';

/** Builds the program with every command registered. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command('wirediff')
    .description(
      'Watch news articles, keep every version, and show what changed, when: as text, RSS feeds, a live WebSocket stream, a JSON API and a browser viewer.',
    )
    .version(packageVersion(), '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help (also: wirediff COMMAND --help)')
    .showHelpAfterError('(run "wirediff --help" for the commands, or "wirediff COMMAND --help" for one)')
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
    })
    .exitOverride()
    .addHelpText(
      'after',
      `
Examples:
  $ wirediff watch --serve                      watch ./articles and serve the viewer, feeds, stream and API
  $ wirediff demo                               play a breaking story into ./articles (with watch running)
  $ wirediff diff story-v1.txt story-v2.txt     what changed between two files
  $ wirediff export --all --out backup.jsonl    the whole history as JSON lines`,
    );
  registerInit(program, ctx);
  registerAdd(program, ctx);
  registerWatch(program, ctx);
  registerServe(program, ctx);
  registerStatus(program, ctx);
  registerPoll(program, ctx);
  registerHistory(program, ctx);
  registerIngest(program, ctx);
  registerReparse(program, ctx);
  registerDiff(program, ctx);
  registerExport(program, ctx);
  registerImport(program, ctx);
  registerMigrate(program, ctx);
  registerDemo(program, ctx);
  for (const cmd of program.commands) cmd.exitOverride().configureOutput(program.configureOutput());
  return program;
}

/** Runs the CLI with `argv` (without node and the script) and resolves with the exit code. */
export async function run(argv: readonly string[], ctx: CliContext = processContext()): Promise<number> {
  const program = buildProgram(ctx);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ctx.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version end well; usage mistakes are trouble (commander has printed the message).
      return err.exitCode === 0 ? EXIT.ok : EXIT.trouble;
    }
    ctx.stderr.write(`wirediff: ${describeError(err)}\n`);
    return EXIT.trouble;
  }
}

function isMain(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

/**
 * `wirediff diff a b | head`: when the reader of stdout (or stderr) goes away, stop quietly, as Unix tools do on
 * SIGPIPE, instead of crashing with an EPIPE stack trace. Other stream errors are still thrown.
 */
export function exitQuietlyOnBrokenPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok);
    throw err;
  });
}

if (isMain()) {
  exitQuietlyOnBrokenPipe(process.stdout);
  exitQuietlyOnBrokenPipe(process.stderr);
  const code = await run(process.argv.slice(2));
  process.exitCode = code;
}
