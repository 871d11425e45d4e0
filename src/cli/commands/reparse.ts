/**
 * `wirediff reparse [ARTICLE]`: rebuilds the extracted articles and ChangeSets of stored versions from their raw
 * sources with the current extractor (`replaceDerived`), without touching the raw history. Reports progress.
 */
import type { Command } from 'commander';
import { loadConfigFor } from '../../config/config.js';
import { EXTRACTOR_VERSION, parseArticle } from '../../core/extract/index.js';
import { diffVersions } from '../../core/diff/index.js';
import { WirediffError } from '../../core/errors.js';
import type { Article } from '../../core/model/article.js';
import { isArticleId, type ArticleId, type VersionMeta } from '../../core/model/version.js';
import { decodeBody } from '../../sources/index.js';
import { openStore, storeTargetFor } from '../../store/open.js';
import type { SnapshotStore } from '../../store/types.js';
import { formatFor } from '../../ingest/ingest.js';
import { EXIT, type CliContext } from '../context.js';

export interface ReparseProgress {
  readonly article: ArticleId;
  readonly version: number;
  readonly done: number;
  readonly total: number;
}

export interface ReparseResult {
  readonly articles: number;
  readonly versions: number;
  /** Versions whose extraction changed (title, paragraphs, other extracted details) or whose change summary did. */
  readonly changed: number;
  /** Versions extracted the same as before. `changed + unchanged + failed.length = versions`. */
  readonly unchanged: number;
  /** Which versions changed, and what in them. */
  readonly changes: readonly { article: ArticleId; version: number; what: string }[];
  /** Versions the current extractor cannot read (kept as they were). */
  readonly failed: readonly { article: ArticleId; version: number; reason: string }[];
  readonly extractor: string;
}

/** Re-extracts every version of the given articles (all when `only` is undefined) in `store`. */
export async function reparseStore(
  store: SnapshotStore,
  only: ArticleId | undefined,
  onProgress: (p: ReparseProgress) => void = () => undefined,
): Promise<ReparseResult> {
  const ids = only !== undefined ? [only] : (await store.listArticles()).map((a) => a.id);
  const plan: { id: ArticleId; versions: number[] }[] = [];
  for (const id of ids) {
    const metas = await store.listVersions(id);
    if (only !== undefined && metas.length === 0)
      throw new WirediffError('E_NOT_FOUND', `no article "${id}" is stored`);
    plan.push({ id, versions: metas.map((m) => m.version) });
  }
  const total = plan.reduce((n, p) => n + p.versions.length, 0);
  let done = 0;
  let changed = 0;
  let unchanged = 0;
  const changedVersions: { article: ArticleId; version: number; what: string }[] = [];
  const failed: { article: ArticleId; version: number; reason: string }[] = [];
  for (const { id, versions } of plan) {
    let previous: Article | undefined;
    for (const n of versions) {
      const [raw, stored] = await Promise.all([store.getRaw(id, n), store.getVersion(id, n)]);
      if (raw === undefined || stored === undefined) {
        failed.push({ article: id, version: n, reason: 'the raw source or the version is missing' });
        previous = stored?.article ?? previous;
      } else {
        let article: Article | undefined;
        try {
          article = parseArticle({
            body: decodeBody(raw.bytes, raw.contentType).text,
            format: formatFor(raw.contentType),
            ...(stored.meta.origin.location !== undefined && /^https?:/.test(stored.meta.origin.location)
              ? { url: stored.meta.origin.location }
              : {}),
          });
        } catch (err) {
          failed.push({ article: id, version: n, reason: err instanceof Error ? err.message : String(err) });
        }
        if (article === undefined) {
          previous = stored.article;
        } else {
          const changes = previous === undefined ? null : diffVersions(previous, article);
          const meta = await store.replaceDerived(id, n, article, changes);
          // Compared as extracted: the store keeps meta.contentHash (the identity the version was stored under)
          // through replaceDerived, so it cannot tell a new extraction from the old one.
          const what = whatChanged(stored, article, meta);
          if (what !== undefined) {
            changed++;
            changedVersions.push({ article: id, version: n, what });
          } else {
            unchanged++;
          }
          previous = article;
        }
      }
      done++;
      onProgress({ article: id, version: n, done, total });
    }
  }
  return {
    articles: plan.length,
    versions: total,
    changed,
    unchanged,
    changes: changedVersions,
    failed,
    extractor: EXTRACTOR_VERSION,
  };
}

/** JSON with object keys sorted (a stored article read back need not keep the extractor's key order). */
function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_key, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value,
  );
}

/** In words, how a re-extraction (and its change summary) differs from the stored one; undefined when it does not. */
function whatChanged(
  stored: { readonly article: Article; readonly meta: Pick<VersionMeta, 'kind' | 'summary'> },
  after: Article,
  meta: Pick<VersionMeta, 'kind' | 'summary'>,
): string | undefined {
  const before = stored.article;
  const parts: string[] = [];
  if (before.title !== after.title)
    parts.push(`title ${JSON.stringify(before.title)} -> ${JSON.stringify(after.title)}`);
  if (before.paragraphs.length !== after.paragraphs.length) {
    parts.push(`${before.paragraphs.length} -> ${after.paragraphs.length} paragraphs`);
  } else {
    const n = before.paragraphs.filter((p, i) => p.text !== after.paragraphs[i]?.text).length;
    if (n > 0) parts.push(`the text of ${n} paragraph(s)`);
  }
  if (parts.length === 0) {
    const rest = (a: Article): string => canonicalJson({ ...a, extractor: undefined });
    if (rest(before) !== rest(after)) parts.push('other extracted details (blocks, byline or dates)');
  }
  if (stored.meta.kind !== meta.kind || stored.meta.summary !== meta.summary) {
    parts.push(`change summary ${JSON.stringify(stored.meta.summary)} -> ${JSON.stringify(meta.summary)}`);
  }
  return parts.length > 0 ? parts.join('; ') : undefined;
}

export async function runReparse(opts: {
  readonly cwd: string;
  /** The environment (WIREDIFF_STORE_URL picks a PostgreSQL store). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly config?: string;
  readonly article?: string;
  readonly onProgress?: (p: ReparseProgress) => void;
}): Promise<ReparseResult> {
  const given: string | undefined = opts.article;
  if (given !== undefined && !isArticleId(given)) {
    throw new WirediffError('E_BAD_ARTICLE_ID', `${JSON.stringify(given)} is not an article id`);
  }
  const { config } = await loadConfigFor(opts.cwd, opts.config);
  const opened = await openStore(storeTargetFor(config, opts.env));
  try {
    return await reparseStore(opened.store, opts.article, opts.onProgress);
  } finally {
    await opened.close();
  }
}

export function renderReparse(r: ReparseResult): string {
  const lines = [
    `Re-extracted ${r.versions} version(s) of ${r.articles} article(s) with ${r.extractor}: ` +
      `${r.unchanged} extracted the same as before, ${r.changed} extracted differently (updated), ` +
      `${r.failed.length} could not be re-extracted (kept their old extraction).`,
  ];
  if (r.changes.length > 0) lines.push('Extracted differently:');
  for (const c of r.changes) lines.push(`  ${c.article} v${c.version}: ${c.what}`);
  if (r.failed.length > 0) lines.push('Could not be re-extracted:');
  for (const f of r.failed) lines.push(`  ${f.article} v${f.version}: ${f.reason}`);
  return lines.join('\n') + '\n';
}

export function registerReparse(program: Command, ctx: CliContext): void {
  program
    .command('reparse')
    .summary('rebuild extracted articles and diffs from the stored raw sources')
    .description(
      "After the extractor changed, rebuild every stored version's extracted article and ChangeSet from its raw " +
        "source (or only ARTICLE's). The raw history is never touched; versions the extractor can no longer read " +
        'keep their old extraction. With the file store, stop "wirediff watch" first: one process writes it at a ' +
        'time. The store is picked as for "wirediff watch": the config\'s "store", or WIREDIFF_STORE_URL.',
    )
    .argument('[article]', 'only this article')
    .option('-c, --config <file>', 'the config file (default: wirediff.config.json)')
    .option('-q, --quiet', 'no progress')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ wirediff reparse
  $ wirediff reparse syria-strikes --quiet`,
    )
    .action(async (article: string | undefined, opts: { config?: string; quiet?: boolean; json?: boolean }) => {
      const tty = ctx.stderr.isTTY;
      let lastLine = 0;
      const r = await runReparse({
        cwd: ctx.cwd,
        env: ctx.env,
        ...(opts.config !== undefined ? { config: opts.config } : {}),
        ...(article !== undefined ? { article } : {}),
        onProgress: (p) => {
          if (opts.quiet === true) return;
          if (tty) ctx.stderr.write(`\rreparse: ${p.done}/${p.total} versions (${p.article} v${p.version})\u001b[K`);
          else if (p.done === p.total || p.done - lastLine >= 100) {
            lastLine = p.done;
            ctx.stderr.write(`reparse: ${p.done}/${p.total} versions\n`);
          }
        },
      });
      if (tty && opts.quiet !== true) ctx.stderr.write('\n');
      ctx.stdout.write(opts.json === true ? JSON.stringify(r, null, 2) + '\n' : renderReparse(r));
      ctx.exitCode = r.failed.length > 0 ? EXIT.trouble : EXIT.ok;
    });
}
