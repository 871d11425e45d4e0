/**
 * `wirediff status`: per source, the last poll, last change, errors, counts and next poll, as written by the
 * watcher (possibly another process) to `<storeDir>/status.json`.
 *
 * That file is this machine's watcher's. With a PostgreSQL store (config `store`, or WIREDIFF_STORE_URL) the history
 * is shared by watchers on other machines, so status also reads the store itself (read-only): how many articles,
 * versions and events it holds, or that it cannot be reached. With the file store, the watcher's counts are the
 * store's, and status reads nothing more.
 */
import type { Command } from 'commander';
import { loadConfigFor } from '../../config/config.js';
import { WirediffError } from '../../core/errors.js';
import { describeStoreTarget, openStore, storeTargetFor } from '../../store/open.js';
import { readStatusFile, type WatcherStatus } from '../../watch/status-file.js';
import { EXIT, type CliContext } from '../context.js';

/** What a shared (PostgreSQL) store holds, as `wirediff status` reads it; `error` when it cannot be read. */
export type SharedStoreStatus =
  | {
      readonly where: string;
      readonly articles: number;
      readonly versions: number;
      readonly lastEventId: number;
    }
  | { readonly where: string; readonly error: { readonly code: string; readonly message: string } };

export interface StatusResult {
  readonly storeDir: string;
  readonly status: WatcherStatus | undefined;
  /** True when the process that wrote the status is still alive and said it was running. */
  readonly alive: boolean;
  /** Present with a PostgreSQL store: what the shared history holds (every watcher's versions, not only this one's). */
  readonly store?: SharedStoreStatus;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function sharedStoreStatus(target: ReturnType<typeof storeTargetFor>): Promise<SharedStoreStatus> {
  const where = describeStoreTarget(target);
  try {
    const opened = await openStore(target, { readOnly: true });
    try {
      const articles = await opened.store.listArticles();
      const { last } = await opened.log.bounds();
      return {
        where,
        articles: articles.length,
        versions: articles.reduce((n, a) => n + a.versions, 0),
        lastEventId: last,
      };
    } finally {
      await opened.close();
    }
  } catch (err) {
    const e = err instanceof WirediffError ? err : new WirediffError('E_IO', String(err));
    return { where, error: { code: e.code, message: e.message } };
  }
}

export async function runStatus(opts: {
  readonly cwd: string;
  /** The environment (WIREDIFF_STORE_URL picks a PostgreSQL store). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly config?: string;
}): Promise<StatusResult> {
  const { config } = await loadConfigFor(opts.cwd, opts.config);
  const status = await readStatusFile(config.storeDir);
  const target = storeTargetFor(config, opts.env);
  return {
    storeDir: config.storeDir,
    status,
    alive: status !== undefined && status.running && processAlive(status.pid),
    ...(target.kind === 'postgres' ? { store: await sharedStoreStatus(target) } : {}),
  };
}

function renderSharedStore(s: SharedStoreStatus): string {
  if ('error' in s) return `Shared history in ${s.where}: cannot be read (${s.error.code}: ${s.error.message}).`;
  return `Shared history in ${s.where}: ${s.articles} article(s), ${s.versions} version(s), last event ${s.lastEventId}.`;
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
  const shared = r.store !== undefined ? `${renderSharedStore(r.store)}\n` : '';
  if (r.status === undefined) {
    return `${shared}No watcher status in ${r.storeDir} yet: run "wirediff watch".\n`;
  }
  const s = r.status;
  const lines: string[] = [];
  if (r.store !== undefined) lines.push(renderSharedStore(r.store));
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
      const r = await runStatus({
        cwd: ctx.cwd,
        env: ctx.env,
        ...(opts.config !== undefined ? { config: opts.config } : {}),
      });
      if (opts.json === true) {
        const doc = { ...r.status, alive: r.alive, ...(r.store !== undefined ? { store: r.store } : {}) };
        ctx.stdout.write(JSON.stringify(doc, null, 2) + '\n');
      } else ctx.stdout.write(renderStatus(r, Date.now()));
      // A shared store that cannot be read is trouble, even when this machine's watcher looks fine.
      ctx.exitCode = r.store !== undefined && 'error' in r.store ? EXIT.trouble : EXIT.ok;
    });
}
