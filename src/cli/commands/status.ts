/**
 * `wirediff status`: per source, the last poll, last change, errors, counts and next poll, as written by the
 * watcher (possibly another process) to `<storeDir>/status.json`.
 */
import type { Command } from 'commander';
import { loadConfigFor } from '../../config/config.js';
import { readStatusFile, type WatcherStatus } from '../../watch/status-file.js';
import { EXIT, type CliContext } from '../context.js';

export interface StatusResult {
  readonly storeDir: string;
  readonly status: WatcherStatus | undefined;
  /** True when the process that wrote the status is still alive and said it was running. */
  readonly alive: boolean;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function runStatus(opts: { readonly cwd: string; readonly config?: string }): Promise<StatusResult> {
  const { config } = await loadConfigFor(opts.cwd, opts.config);
  const status = await readStatusFile(config.storeDir);
  return {
    storeDir: config.storeDir,
    status,
    alive: status !== undefined && status.running && processAlive(status.pid),
  };
}

/** "3m ago" / "in 12s" relative to `now`. */
export function relativeTime(at: string | undefined, now: number): string {
  if (at === undefined) return '-';
  const ms = Date.parse(at) - now;
  const abs = Math.abs(ms);
  const text =
    abs < 1000
      ? 'now'
      : abs < 60_000
        ? `${Math.round(abs / 1000)}s`
        : abs < 3_600_000
          ? `${Math.round(abs / 60_000)}m`
          : abs < 86_400_000
            ? `${Math.round(abs / 3_600_000)}h`
            : `${Math.round(abs / 86_400_000)}d`;
  if (text === 'now') return text;
  return ms < 0 ? `${text} ago` : `in ${text}`;
}

export function renderStatus(r: StatusResult, now: number): string {
  if (r.status === undefined) {
    return `No watcher status in ${r.storeDir} yet: run "wirediff watch".\n`;
  }
  const s = r.status;
  const lines: string[] = [];
  lines.push(
    r.alive
      ? `Watcher running (pid ${s.pid}, since ${relativeTime(s.startedAt, now)}); status updated ${relativeTime(s.updatedAt, now)}.`
      : `Watcher not running (last status ${relativeTime(s.updatedAt, now)}, pid ${s.pid}).`,
  );
  for (const src of s.sources) {
    lines.push('');
    lines.push(`[${src.index}] ${src.kind} ${src.locator}  (${src.schedule})  ${src.state}`);
    lines.push(
      `    last poll ${relativeTime(src.lastPollAt, now)}, last change ${relativeTime(src.lastChangeAt, now)}, next poll ${r.alive ? relativeTime(src.nextPollAt, now) : '- (not running)'}`,
    );
    const c = src.counts;
    const rej = Object.entries(src.rejected)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    lines.push(
      `    polls ${c.polls}, versions ${c.versions}, unchanged ${c.unchanged}, variants ${c.variants}, rejected ${c.rejected}${rej ? ` (${rej})` : ''}, errors ${c.errors}`,
    );
    if (src.lastError) {
      lines.push(
        `    last error ${relativeTime(src.lastError.at, now)}: ${src.lastError.code}: ${src.lastError.message}`,
      );
    }
    if (src.backoffUntil !== undefined && Date.parse(src.backoffUntil) > now) {
      lines.push(
        `    backing off after ${src.consecutiveFailures} failure(s) until ${relativeTime(src.backoffUntil, now)}`,
      );
    }
    for (const a of src.articles.slice(0, 20)) {
      lines.push(
        `    - ${a.id}${a.tier !== undefined ? ` [${a.tier}]` : ''}: ${a.lastOutcome ?? 'not read yet'}${a.lastDetail !== undefined && a.lastOutcome !== 'new-version' ? ` (${a.lastDetail})` : ''}`,
      );
    }
    if (src.articles.length > 20) lines.push(`    … and ${src.articles.length - 20} more articles`);
  }
  return lines.join('\n') + '\n';
}

export function registerStatus(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .summary('show each source: last poll, last change, errors, next poll')
    .description(
      'Show what the watcher is doing, per source: the last poll, the last change, errors and back-off, counts of ' +
        'versions, unchanged reads, variants and refused pages (with the reasons), and the next poll. Works while ' +
        '"wirediff watch" runs in another terminal.',
    )
    .option('-c, --config <file>', 'the config file (default: wirediff.config.json)')
    .option('--json', 'print the status document as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ wirediff status
  $ wirediff status --json | jq '.sources[].counts'`,
    )
    .action(async (opts: { config?: string; json?: boolean }) => {
      const r = await runStatus({ cwd: ctx.cwd, ...(opts.config !== undefined ? { config: opts.config } : {}) });
      if (opts.json === true) ctx.stdout.write(JSON.stringify({ ...r.status, alive: r.alive }, null, 2) + '\n');
      else ctx.stdout.write(renderStatus(r, Date.now()));
      ctx.exitCode = EXIT.ok;
    });
}
