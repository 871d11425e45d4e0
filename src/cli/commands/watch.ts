/**
 * `wirediff watch`: runs the watcher (app.ts wires it) until SIGINT/SIGTERM (or once, with `--once`). Logs are
 * structured (pino): pretty on a terminal (pino-pretty), JSON lines otherwise.
 */
import { mkdir } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { pino, type Logger } from 'pino';
import { build as prettyStream } from 'pino-pretty';
import { startWatch } from '../../app.js';
import { loadConfigFor } from '../../config/config.js';
import { WirediffError } from '../../core/errors.js';
import { storeTargetFor } from '../../store/open.js';
import { sourceLocator } from '../../watch/options.js';
import type { PollReport } from '../../watch/watcher.js';
import { EXIT, type CliContext } from '../context.js';
import { describeError } from '../errors.js';
import { parsePort } from '../parse-port.js';
import { waitForStopSignal } from '../signals.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A pino logger: pretty (colourful, human times) when `pretty`, JSON lines otherwise. */
export function createCliLogger(opts: {
  readonly pretty: boolean;
  readonly level?: string;
  readonly color?: boolean;
  /** Where logs go (default: stdout, the watcher's main output). */
  readonly destination?: Writable;
}): Logger {
  const level = opts.level ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new WirediffError('E_USAGE', `--log-level: expected one of ${LOG_LEVELS.join(', ')}, got "${level}"`);
  }
  const destination = opts.destination ?? process.stdout;
  if (opts.pretty) {
    return pino(
      { level, base: null },
      prettyStream({
        colorize: opts.color ?? true,
        translateTime: 'SYS:HH:MM:ss',
        ignore: 'pid,hostname',
        singleLine: true,
        destination,
        sync: true,
      }),
    );
  }
  return pino({ level, base: { pid: process.pid } }, destination);
}

/** Whether a `--once` poll went wrong anywhere: a source error or an article read that ended in an error. */
export function pollReportsHaveTrouble(reports: readonly PollReport[]): boolean {
  return reports.some((r) => r.error !== undefined || r.results.some((a) => a.outcome === 'error'));
}

/** One line per article read, for `--once`. */
export function renderPollReports(reports: readonly PollReport[]): string {
  const lines: string[] = [];
  for (const r of reports) {
    if (r.error) lines.push(`sources[${r.index}]: error ${r.error.code}: ${r.error.message}`);
    for (const a of r.results) {
      const v = a.version !== undefined ? ` v${a.version}` : '';
      const why = a.reason !== undefined ? ` (${a.reason})` : '';
      lines.push(`${a.article}: ${a.outcome}${v}${why}${a.detail !== undefined ? ` - ${a.detail}` : ''}`);
    }
  }
  return lines.length === 0 ? 'nothing to read\n' : lines.join('\n') + '\n';
}

export function registerWatch(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('watch')
    .summary('watch the configured sources and version every change')
    .description(
      'Watch every source in the config (or, with no config file, the articles/ folder): web pages and feeds on ' +
        'their schedules, files and folders as soon as they are saved. Each real change becomes a version and an ' +
        'event; refused pages (errors, bot walls, truncated extractions) are counted in "wirediff status". ' +
        'Stops cleanly on Ctrl-C / SIGTERM.',
    )
    .option('-c, --config <file>', `the config file (default: ${'wirediff.config.json'}, else watch ./articles)`)
    .option('--once', 'read every source once, print what happened, and exit')
    .option('--log-level <level>', `log level: ${LOG_LEVELS.join(', ')}`, 'info')
    .option('--json-logs', 'JSON log lines even on a terminal')
    .option('-q, --quiet', 'only warnings and errors');
  cmd.option('--serve', 'also serve the viewer, feeds, JSON API and live stream (see the server settings)');
  cmd.option('--host <host>', 'with --serve: address to listen on (overrides server.host)');
  cmd.option('-p, --port <port>', 'with --serve: port to listen on, 0 for any free one (overrides server.port)');
  cmd
    .addHelpText(
      'after',
      `
Examples:
  $ wirediff watch
  $ wirediff watch --config newsroom.json --log-level debug
  $ wirediff watch --once
  $ wirediff watch --serve --port 9000
  $ wirediff watch --json-logs | tee watch.log`,
    )
    .action(
      async (opts: {
        config?: string;
        once?: boolean;
        logLevel: string;
        jsonLogs?: boolean;
        quiet?: boolean;
        serve?: boolean;
        host?: string;
        port?: string;
      }) => {
        if ((opts.host !== undefined || opts.port !== undefined) && opts.serve !== true) {
          throw new WirediffError(
            'E_USAGE',
            `${opts.host !== undefined ? '--host' : '--port'}: only with --serve (the address the viewer is served on)`,
          );
        }
        const loaded = await loadConfigFor(ctx.cwd, opts.config);
        const { fromFile, path: configPath } = loaded;
        let config = loaded.config;
        if (opts.host !== undefined || opts.port !== undefined) {
          const server = { ...config.server };
          if (opts.host !== undefined) server.host = opts.host;
          if (opts.port !== undefined) server.port = parsePort(opts.port);
          config = { ...config, server };
        }
        const logger = createCliLogger({
          pretty: ctx.stdout.isTTY && opts.jsonLogs !== true,
          level: opts.quiet === true ? 'warn' : opts.logLevel,
        });
        if (!fromFile)
          logger.info(
            `no ${configPath}: watching ${config.sources.map(sourceLocator).join(', ')} (run "wirediff init" to write a config)`,
          );
        if (opts.once === true) {
          // As `watch` does on start (and `init`): the default config's articles/ folder is made, not reported missing.
          if (!fromFile) {
            for (const s of config.sources) if (s.kind === 'dir') await mkdir(s.path, { recursive: true });
          }
          const running = await startWatch(config, logger, { start: false, target: storeTargetFor(config, ctx.env) });
          try {
            const reports = await running.watcher.pollNow();
            ctx.stdout.write(renderPollReports(reports));
            ctx.exitCode = pollReportsHaveTrouble(reports) ? EXIT.trouble : EXIT.ok;
          } finally {
            await running.close();
          }
          return;
        }
        const running = await startWatch(config, logger, {
          target: storeTargetFor(config, ctx.env),
          serve: opts.serve === true,
          ...(fromFile
            ? {
                reload: {
                  file: configPath,
                  current: loaded.config,
                  load: async () => (await loadConfigFor(ctx.cwd, opts.config)).config,
                  describeError,
                },
              }
            : {}),
        });
        await waitForStopSignal(logger, 'aborting fetches in flight, finishing versions being stored');
        await running.close();
        logger.flush();
        ctx.exitCode = EXIT.ok;
      },
    );
}
