/**
 * `wirediff history ARTICLE`: the versions of an article with their time, kind and summary.
 */
import type { Command } from 'commander';
import { loadConfigFor } from '../../config.js';
import { WirediffError } from '../../core/errors.js';
import { isArticleId, type ArticleSummary, type VersionMeta } from '../../core/model/version.js';
import { openFileStore } from '../../store/open.js';
import { EXIT, type CliContext } from '../context.js';

export interface HistoryResult {
  readonly article: ArticleSummary;
  readonly versions: readonly VersionMeta[];
}

export async function runHistory(opts: {
  readonly cwd: string;
  readonly config?: string;
  readonly article: string;
}): Promise<HistoryResult> {
  const given: string = opts.article;
  if (!isArticleId(given)) {
    throw new WirediffError(
      'E_BAD_ARTICLE_ID',
      `${JSON.stringify(given)} is not an article id (lower-case letters, digits, "-", "_", "."): see "wirediff status" or the viewer for ids`,
    );
  }
  const { config } = await loadConfigFor(opts.cwd, opts.config);
  const opened = await openFileStore({ dir: config.storeDir, readOnly: true });
  try {
    const article = await opened.store.getArticle(opts.article);
    if (article === undefined) {
      const known = (await opened.store.listArticles()).map((a) => a.id);
      const near = known.filter((id) => id.includes(opts.article) || opts.article.includes(id)).slice(0, 5);
      throw new WirediffError(
        'E_NOT_FOUND',
        `no article "${opts.article}" in ${config.storeDir}` +
          (near.length > 0
            ? `; did you mean ${near.join(', ')}?`
            : known.length > 0
              ? ` (${known.length} articles are stored)`
              : ' (nothing is stored yet: run "wirediff watch")'),
      );
    }
    const versions = await opened.store.listVersions(opts.article);
    return { article, versions };
  } finally {
    await opened.close();
  }
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
    .summary("list an article's versions with their summaries")
    .description(
      'List every stored version of an article: when it was read, what kind of change it was, and a summary.',
    )
    .argument('<article>', 'the article id (see "wirediff status" or the viewer)')
    .option('-c, --config <file>', 'the config file (default: wirediff.config.json)')
    .option('--json', 'print the version metadata as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ wirediff history ap-syria-breaking-update
  $ wirediff history apnews-com-article-syria-123 --json`,
    )
    .action(async (article: string, opts: { config?: string; json?: boolean }) => {
      const r = await runHistory({
        cwd: ctx.cwd,
        article,
        ...(opts.config !== undefined ? { config: opts.config } : {}),
      });
      ctx.stdout.write(opts.json === true ? JSON.stringify(r, null, 2) + '\n' : renderHistory(r));
      ctx.exitCode = EXIT.ok;
    });
}
