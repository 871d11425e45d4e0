/**
 * `wirediff history ARTICLE`: the versions of an article with their time, kind and summary.
 * `wirediff history` (no article): every stored article, the most recently changed first.
 */
import type { Command } from 'commander';
import { loadConfigFor } from '../../config/config.js';
import { WirediffError } from '../../core/errors.js';
import { isArticleId, type ArticleSummary, type VersionMeta } from '../../core/model/version.js';
import { describeStoreTarget, openStore, storeTargetFor } from '../../store/open.js';
import { EXIT, type CliContext } from '../context.js';

export interface HistoryResult {
  readonly article: ArticleSummary;
  readonly versions: readonly VersionMeta[];
}

/** What the history commands are given; `env` picks the store (WIREDIFF_STORE_URL: PostgreSQL), as for every command. */
export interface HistoryCommandOptions {
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly config?: string;
}

export async function runHistory(opts: HistoryCommandOptions & { readonly article: string }): Promise<HistoryResult> {
  const given: string = opts.article;
  if (!isArticleId(given)) {
    throw new WirediffError(
      'E_BAD_ARTICLE_ID',
      `${JSON.stringify(given)} is not an article id (lower-case letters, digits, "-", "_", "."): run "wirediff history" to list the stored ones`,
    );
  }
  const { config } = await loadConfigFor(opts.cwd, opts.config);
  const target = storeTargetFor(config, opts.env);
  const opened = await openStore(target, { readOnly: true });
  try {
    const article = await opened.store.getArticle(opts.article);
    if (article === undefined) {
      const known = (await opened.store.listArticles()).map((a) => a.id);
      const near = known.filter((id) => id.includes(opts.article) || opts.article.includes(id)).slice(0, 5);
      throw new WirediffError(
        'E_NOT_FOUND',
        `no article "${opts.article}" in ${describeStoreTarget(target)}` +
          (near.length > 0
            ? `; did you mean ${near.join(', ')}?`
            : known.length > 0
              ? ` (${known.length} articles are stored: run "wirediff history" to list them)`
              : ' (nothing is stored yet: run "wirediff watch")'),
      );
    }
    const versions = await opened.store.listVersions(opts.article);
    return { article, versions };
  } finally {
    await opened.close();
  }
}

/** One stored article, as `wirediff history` (no article) lists it. */
export interface StoredArticleRow {
  readonly id: string;
  readonly versions: number;
  readonly lastChange: string;
  readonly lastKind: string;
  readonly title: string;
}

/** Every stored article, the most recently changed first (ties: by id). */
export async function runHistoryList(
  opts: HistoryCommandOptions,
): Promise<{ readonly storeDir: string; readonly articles: readonly StoredArticleRow[] }> {
  const { config } = await loadConfigFor(opts.cwd, opts.config);
  const target = storeTargetFor(config, opts.env);
  const opened = await openStore(target, { readOnly: true });
  try {
    const articles = (await opened.store.listArticles())
      .map((a) => ({ id: a.id, versions: a.versions, lastChange: a.lastChange, lastKind: a.lastKind, title: a.title }))
      .sort((x, y) =>
        x.lastChange !== y.lastChange ? (x.lastChange < y.lastChange ? 1 : -1) : x.id < y.id ? -1 : x.id > y.id ? 1 : 0,
      );
    // Where the history is: the folder, or the PostgreSQL URL without its password.
    return { storeDir: describeStoreTarget(target), articles };
  } finally {
    await opened.close();
  }
}

export function renderHistoryList(r: {
  readonly storeDir: string;
  readonly articles: readonly StoredArticleRow[];
}): string {
  if (r.articles.length === 0) return `No articles stored in ${r.storeDir} yet: run "wirediff watch".\n`;
  const idWidth = Math.max(...r.articles.map((a) => a.id.length));
  const lines = r.articles.map((a) => {
    const at = a.lastChange.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
    const versions = `${a.versions} version${a.versions === 1 ? '' : 's'}`;
    return `${a.id.padEnd(idWidth)}  ${versions.padStart(12)}  ${at}  ${a.lastKind.padEnd(15)}  ${a.title || '(no title)'}`;
  });
  lines.push(`${r.articles.length} article(s); "wirediff history ARTICLE" lists one article's versions.`);
  return lines.join('\n') + '\n';
}

export function renderHistory(r: HistoryResult): string {
  const lines = [
    `${r.article.id}: ${r.article.title || '(no title)'}: ${r.versions.length} version(s)` +
      (r.article.variantsSeen > 0 ? `, known variants seen again ${r.article.variantsSeen} time(s)` : ''),
  ];
  for (const v of r.versions) {
    const at = v.fetchedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
    lines.push(`  v${v.version}  ${at}  ${v.kind.padEnd(15)}  ${v.summary}`);
  }
  return lines.join('\n') + '\n';
}

export function registerHistory(program: Command, ctx: CliContext): void {
  program
    .command('history')
    .summary("list the stored articles, or an article's versions with their summaries")
    .description(
      'With an article id: list every stored version of that article: when it was read, what kind of change it ' +
        'was, and a summary. Without: list every stored article (id, versions, last change, its kind, title), the ' +
        'most recently changed first.',
    )
    .argument('[article]', 'the article id (omit it to list the stored articles)')
    .option('-c, --config <file>', 'the config file (default: wirediff.config.json)')
    .option('--json', 'print the version metadata (or, without ARTICLE, the article list) as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ wirediff history
  $ wirediff history ap-syria-breaking-update
  $ wirediff history apnews-com-article-syria-123 --json`,
    )
    .action(async (article: string | undefined, opts: { config?: string; json?: boolean }) => {
      if (article === undefined) {
        const list = await runHistoryList({
          cwd: ctx.cwd,
          env: ctx.env,
          ...(opts.config !== undefined ? { config: opts.config } : {}),
        });
        ctx.stdout.write(opts.json === true ? JSON.stringify(list.articles, null, 2) + '\n' : renderHistoryList(list));
        ctx.exitCode = EXIT.ok;
        return;
      }
      const r = await runHistory({
        cwd: ctx.cwd,
        env: ctx.env,
        article,
        ...(opts.config !== undefined ? { config: opts.config } : {}),
      });
      ctx.stdout.write(opts.json === true ? JSON.stringify(r, null, 2) + '\n' : renderHistory(r));
      ctx.exitCode = EXIT.ok;
    });
}
