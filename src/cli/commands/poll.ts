/**
 * `wirediff poll [SOURCE]`: asks the running `wirediff watch --serve` to poll a source now (every source without
 * SOURCE) through its API (`POST /api/poll`, with the server's token), and prints what each read gave.
 */
import type { Command } from 'commander';
import { loadConfigFor, type Config } from '../../config/config.js';
import { WirediffError } from '../../core/errors.js';
import type { PollReport } from '../../watch/watcher.js';
import { EXIT, type CliContext } from '../context.js';
import { pollReportsHaveTrouble, renderPollReports } from './watch.js';

/** The address of the configured server, as a client on this machine reaches it. */
export function serverUrl(config: Config): string {
  const host = ['0.0.0.0', '::', ''].includes(config.server.host)
    ? '127.0.0.1'
    : config.server.host.includes(':')
      ? `[${config.server.host}]`
      : config.server.host;
  return `http://${host}:${config.server.port}`;
}

export async function runPoll(opts: {
  readonly cwd: string;
  readonly config?: string;
  readonly source?: string;
  readonly url?: string;
  readonly token?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}): Promise<PollReport[]> {
  const { config } = await loadConfigFor(opts.cwd, opts.config);
  const base = (opts.url ?? serverUrl(config)).replace(/\/+$/, '');
  const token = opts.token ?? opts.env['WIREDIFF_TOKEN'] ?? config.server.token;
  if (token === undefined || token === '') {
    throw new WirediffError(
      'E_USAGE',
      'polling through the server needs its token: set server.token in the config, or pass --token (or WIREDIFF_TOKEN)',
    );
  }
  const target = `${base}/api/poll${opts.source !== undefined ? `?source=${encodeURIComponent(opts.source)}` : ''}`;
  let res: Response;
  try {
    res = await fetch(target, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
  } catch (err) {
    throw new WirediffError(
      'E_IO',
      `no wirediff server answers at ${base}: start one with "wirediff watch --serve" (or give its address with --url)`,
      { cause: err },
    );
  }
  const body = (await res.json().catch(() => undefined)) as
    { reports?: PollReport[]; error?: { code?: string; message?: string } } | undefined;
  if (!res.ok || body?.reports === undefined) {
    const code = body?.error?.code ?? `HTTP_${res.status}`;
    const message = body?.error?.message ?? res.statusText;
    throw new WirediffError(code === 'E_NOT_FOUND' ? 'E_NOT_FOUND' : 'E_USAGE', `${base}: ${message} (${code})`);
  }
  return body.reports;
}

export function registerPoll(program: Command, ctx: CliContext): void {
  program
    .command('poll')
    .summary('poll a source now, through the running server')
    .description(
      'Ask the running "wirediff watch --serve" to read a source now, whatever its schedule, and print what each read ' +
        'gave. SOURCE is a source number (as "wirediff add" and "wirediff status" show it), a URL or path from the ' +
        'config, or an article id; without it every source is polled. Uses the server address and token of the config.',
    )
    .argument('[source]', 'a source number, a URL or path from the config, or an article id')
    .option('-c, --config <file>', 'the config file (default: wirediff.config.json)')
    .option('--url <url>', 'the server address (default: from the config, e.g. http://127.0.0.1:8080)')
    .option('--token <token>', 'the server token (default: WIREDIFF_TOKEN, else server.token in the config)')
    .addHelpText(
      'after',
      `
Examples:
  $ wirediff poll
  $ wirediff poll 2
  $ wirediff poll https://example.org/news/story`,
    )
    .action(async (source: string | undefined, opts: { config?: string; url?: string; token?: string }) => {
      const reports = await runPoll({
        cwd: ctx.cwd,
        ...(opts.config !== undefined ? { config: opts.config } : {}),
        ...(source !== undefined ? { source } : {}),
        ...(opts.url !== undefined ? { url: opts.url } : {}),
        ...(opts.token !== undefined ? { token: opts.token } : {}),
        env: ctx.env,
      });
      ctx.stdout.write(renderPollReports(reports));
      ctx.exitCode = pollReportsHaveTrouble(reports) ? EXIT.trouble : EXIT.ok;
    });
}
