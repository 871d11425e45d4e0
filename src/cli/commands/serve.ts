/**
 * `wirediff serve`: the one HTTP server (viewer, RSS feeds, JSON API, /live stream) over the stored history,
 * without watching sources (app.ts wires it). `wirediff watch --serve` runs both in one process.
 */
import type { Command } from 'commander';
import { startServing } from '../../app.js';
import { loadConfigFor } from '../../config/config.js';
import { storeTargetFor } from '../../store/open.js';
import { EXIT, type CliContext } from '../context.js';
import { parsePort } from '../parse-port.js';
import { waitForStopSignal } from '../signals.js';
import { createCliLogger, LOG_LEVELS } from './watch.js';

export function registerServe(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .summary('serve the viewer, feeds, JSON API and live stream')
    .description(
      'Serve what is stored: the diff-history viewer, the RSS feeds (also written under feeds/), the JSON API and the ' +
        '/live WebSocket stream, on one port (loopback by default). Sources are not watched: use "wirediff watch ' +
        '--serve" for both. Stops cleanly on Ctrl-C / SIGTERM.',
    )
    .option('-c, --config <file>', 'the config file (default: wirediff.config.json, else the defaults)')
    .option('--host <host>', 'address to listen on (overrides server.host)')
    .option('-p, --port <port>', 'port to listen on, 0 for any free one (overrides server.port)')
    .option('--log-level <level>', `log level: ${LOG_LEVELS.join(', ')}`, 'info')
    .option('--json-logs', 'JSON log lines even on a terminal')
    .addHelpText(
      'after',
      `
Examples:
  $ wirediff serve
  $ wirediff serve --port 9000
  $ wirediff serve --host 0.0.0.0 --config newsroom.json
  $ WIREDIFF_STORE_URL=postgres://wirediff@db.example/news wirediff serve   (an edge beside other edges and watchers)`,
    )
    .action(async (opts: { config?: string; host?: string; port?: string; logLevel: string; jsonLogs?: boolean }) => {
      const { config } = await loadConfigFor(ctx.cwd, opts.config);
      const server = { ...config.server };
      if (opts.host !== undefined) server.host = opts.host;
      if (opts.port !== undefined) server.port = parsePort(opts.port);
      const logger = createCliLogger({ pretty: ctx.stdout.isTTY && opts.jsonLogs !== true, level: opts.logLevel });
      try {
        const serving = await startServing({ ...config, server }, logger, storeTargetFor(config, ctx.env));
        await waitForStopSignal(logger, 'closing connections');
        await serving.close();
      } finally {
        logger.flush();
      }
      ctx.exitCode = EXIT.ok;
    });
}
