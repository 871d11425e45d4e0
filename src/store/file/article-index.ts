/**
 * What the file snapshot store holds in memory for each article (rebuilt on open from the article folders by
 * recovery.ts) and how it keeps the per-article `index.json` caches (meta-index.ts) up to date.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { WirediffError } from '../../core/errors.js';
import { isArticleId, type ArticleId, type ArticleSummary, type VersionMeta } from '../../core/model/version.js';
import { articleDir, versionFileName } from './layout.js';
import type { LatestSlot } from './latest-cache.js';
import { encodeMetaIndex, fileIdentity, INDEX_FILE, UNKNOWN_IDENTITY } from './meta-index.js';
import { recoverArticle } from './recovery.js';
import type { RecoveryReport } from './recovery.js';
import { emptyVariants } from './variants.js';
import type { VariantsDoc } from './variants.js';

export interface ArticleEntry extends LatestSlot {
  metas: VersionMeta[];
  /** Identity of each version's file (meta-index.ts); `UNKNOWN_IDENTITY` until read at close. */
  docs: string[];
  /** The id of the event each version was committed with (0 for none). */
  events: number[];
  /** The article's `index.json` is missing or behind: rewrite it on close. */
  indexDirty: boolean;
  variants: VariantsDoc;
  summary: ArticleSummary | undefined;
}

/** The entry of an article with no version yet. */
export function newArticleEntry(): ArticleEntry {
  return {
    metas: [],
    docs: [],
    events: [],
    indexDirty: true,
    variants: emptyVariants(),
    summary: undefined,
    latest: undefined,
    latestBytes: 0,
  };
}

/** Recovers every article folder under `base` (four at a time) into `index`: those with at least one version. */
export async function loadArticles(
  base: string,
  index: Map<ArticleId, ArticleEntry>,
  report: RecoveryReport,
  readOnly: boolean,
): Promise<void> {
  let names: string[] = [];
  try {
    names = await readdir(base);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const ids = names.filter((n) => isArticleId(n));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < ids.length) {
      const id = ids[next++]!;
      const dir = join(base, id);
      if (!(await stat(dir)).isDirectory()) continue;
      const rec = await recoverArticle(dir, id, report, readOnly);
      if (rec.metas.length > 0) {
        index.set(id, {
          metas: rec.metas,
          docs: rec.docs,
          events: rec.events,
          indexDirty: !rec.indexFresh,
          variants: rec.variants,
          summary: undefined,
          latest: undefined,
          latestBytes: 0,
        });
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}

/**
 * Writes `index.json` for every article under `root` whose cache is behind. A cache: a failure only costs the next
 * open time. `write` writes a file atomically and durably.
 */
export async function writeIndexes(
  root: string,
  index: ReadonlyMap<ArticleId, ArticleEntry>,
  write: (path: string, bytes: Buffer) => Promise<void>,
): Promise<void> {
  for (const [id, entry] of index) {
    if (!entry.indexDirty) continue;
    const dir = articleDir(root, id);
    // Identities of files written since open are read here rather than on each write (a stat less per version).
    for (let i = 0; i < entry.docs.length; i++) {
      if (entry.docs[i] !== UNKNOWN_IDENTITY) continue;
      entry.docs[i] = await fileIdentity(join(dir, versionFileName(i + 1))).catch(() => UNKNOWN_IDENTITY);
    }
    const path = join(dir, INDEX_FILE);
    await write(path, encodeMetaIndex(entry.metas, entry.docs, entry.events)).catch(() => undefined);
    entry.indexDirty = false;
  }
}

/**
 * The versions whose events have ids after `lastId` (oldest id first): `E_CORRUPT` when two name the same event.
 */
export function versionsWithEventsAfter(
  index: ReadonlyMap<ArticleId, ArticleEntry>,
  lastId: number,
): { id: ArticleId; n: number; event: number }[] {
  const found: { id: ArticleId; n: number; event: number }[] = [];
  for (const [id, entry] of index) {
    entry.events.forEach((event, i) => {
      if (event > lastId) found.push({ id, n: i + 1, event });
    });
  }
  found.sort((a, b) => a.event - b.event);
  for (let i = 1; i < found.length; i++) {
    const [a, b] = [found[i - 1]!, found[i]!];
    if (a.event === b.event) {
      throw new WirediffError(
        'E_CORRUPT',
        `${a.id} version ${a.n} and ${b.id} version ${b.n} both name event ${a.event}; refusing to guess which is right`,
      );
    }
  }
  return found;
}
