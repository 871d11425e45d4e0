/**
 * `wirediff export`: writes a history as `wirediff.export/2` lines (see format.ts), one version at a time.
 */
import { WirediffError } from '../../core/errors.js';
import { isArticleId, type ArticleId, type VersionMeta } from '../../core/model/version.js';
import type { EventLog, SnapshotStore } from '../types.js';
import {
  EXPORT_SCHEMA,
  EXPORT_TYPE,
  type ExportEventLine,
  type ExportHeader,
  type ExportVariantsLine,
  type ExportVersionLine,
  type HistoryProgress,
} from './format.js';

export interface ExportOptions {
  /** The articles to export, in this order; every stored article when undefined. */
  readonly articles?: readonly ArticleId[];
  /** The header's `exportedAt` (ISO 8601). */
  readonly exportedAt: string;
  readonly onProgress?: (p: HistoryProgress) => void;
}

export interface ExportResult {
  readonly articles: number;
  readonly versions: number;
  readonly events: number;
  /** The sum of the exported articles' variants counters. */
  readonly variantsSeen: number;
}

const EVENT_PAGE = 1000;

/**
 * Writes the export, line by line (each string ends with "\n"), to `write`. Reads one version at a time, so memory
 * stays flat however long the history. Throws `E_NOT_FOUND` when a named article has no versions.
 */
export async function exportHistory(
  deps: { readonly store: SnapshotStore; readonly log: EventLog },
  write: (line: string) => void | Promise<void>,
  options: ExportOptions,
): Promise<ExportResult> {
  const { store, log } = deps;
  const ids = options.articles ?? (await store.listArticles()).map((a) => a.id).sort();
  const plan: { id: ArticleId; metas: VersionMeta[] }[] = [];
  for (const id of ids) {
    if (!isArticleId(id)) {
      throw new WirediffError('E_BAD_ARTICLE_ID', `${JSON.stringify(id)} is not an article id`);
    }
    const metas = await store.listVersions(id);
    if (metas.length === 0) {
      const known = (await store.listArticles()).length;
      throw new WirediffError(
        'E_NOT_FOUND',
        `no article "${id}" is stored` +
          (known > 0 ? ` (${known} articles are: see "wirediff status" or the viewer)` : ' (the store is empty)'),
      );
    }
    plan.push({ id, metas });
  }
  const total = plan.reduce((n, p) => n + p.metas.length, 0);
  const header: ExportHeader = {
    type: EXPORT_TYPE,
    schema: EXPORT_SCHEMA,
    exportedAt: options.exportedAt,
    articles: plan.length,
  };
  await write(JSON.stringify(header) + '\n');
  let done = 0;
  let variantsSeen = 0;
  for (const { id, metas } of plan) {
    for (const m of metas) {
      const [stored, raw] = await Promise.all([store.getVersion(id, m.version), store.getRaw(id, m.version)]);
      if (stored === undefined || raw === undefined) {
        throw new WirediffError('E_CORRUPT', `${id} v${m.version}: the stored version or its raw source is missing`);
      }
      const line: ExportVersionLine = {
        type: 'version',
        meta: stored.meta,
        article: stored.article,
        changes: stored.changes,
        raw: Buffer.from(raw.bytes.buffer, raw.bytes.byteOffset, raw.bytes.byteLength).toString('base64'),
        contentType: raw.contentType,
      };
      await write(JSON.stringify(line) + '\n');
      done++;
      options.onProgress?.({ done, total, article: id });
    }
    const seen = (await store.getArticle(id))?.variantsSeen ?? 0;
    if (seen > 0) {
      const line: ExportVariantsLine = { type: 'variants', article: id, seen };
      await write(JSON.stringify(line) + '\n');
      variantsSeen += seen;
    }
  }
  const wanted = new Set(plan.map((p) => p.id));
  let events = 0;
  for (let after = 0; ;) {
    const page = await log.readAfter(after, EVENT_PAGE);
    if (page.length === 0) break;
    for (const e of page) {
      if (!wanted.has(e.article)) continue;
      const line: ExportEventLine = { type: 'event', ...e };
      await write(JSON.stringify(line) + '\n');
      events++;
    }
    after = page[page.length - 1]!.id;
  }
  return { articles: plan.length, versions: total, events, variantsSeen };
}
