/**
 * The file implementation of `SnapshotStore`: per article a folder of versions, each a raw source file and a JSON
 * document (layout.ts), written atomically and durably (atomic-write.ts). The files are the truth; memory holds an
 * index of every version's meta and the variants counters, rebuilt on open (recovery.ts), so listing is cheap.
 *
 * Writes are serialized per article (appends, variants, re-extractions); different articles write concurrently.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { WirediffError } from '../../core/errors.js';
import type { Article } from '../../core/model/article.js';
import type { ChangeSet } from '../../core/model/changeset.js';
import { isArticleId } from '../../core/model/version.js';
import type { ArticleId, ArticleSummary, StoredVersion, VersionMeta } from '../../core/model/version.js';
import type { NewVersion, RawSource, SnapshotStore } from '../types.js';
import { fsyncDir, writeFilesAtomic, writeFileAtomic } from './atomic-write.js';
import { asStoreFault, rejected, settle } from './promise-helpers.js';
import { checkArticleId, checkInteger, checkNewVersion } from './input-checks.js';
import { KeyedMutex } from './keyed-mutex.js';
import { articleDir, articlesRoot, VARIANTS_FILE, versionFileName } from './layout.js';
import { recoverArticle, removeTempFiles } from './recovery.js';
import type { RecoveryReport } from './recovery.js';
import { summarize } from './summary.js';
import { decodeVersionDoc, encodeVersionDoc } from './version-doc.js';
import { addVariant, emptyVariants, encodeVariants } from './variants.js';
import { encodeMetaIndex, fileIdentity, INDEX_FILE } from './meta-index.js';
import type { VariantsDoc } from './variants.js';

interface ArticleEntry {
  metas: VersionMeta[];
  /** Identity of each version's document (meta-index.ts). */
  docs: string[];
  /** The article's `index.json` is missing or behind: rewrite it on close. */
  indexDirty: boolean;
  variants: VariantsDoc;
  summary: ArticleSummary | undefined;
  /** The newest version, parsed, when known (saves a read for the next diff). */
  latest: StoredVersion | undefined;
}

export interface FileSnapshotStoreOptions {
  readonly readOnly?: boolean | undefined;
}

/** Newest versions kept parsed in memory, across articles (least recently used dropped first). */
const LATEST_CACHE = 64;

export class FileSnapshotStore implements SnapshotStore {
  private readonly index = new Map<ArticleId, ArticleEntry>();
  private readonly locks = new KeyedMutex();
  private readonly cached: ArticleId[] = [];
  private closed = false;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly root: string,
    private readonly options: FileSnapshotStoreOptions,
  ) {}

  /** Opens the store under `root` (creating `articles/` unless read-only), recovering every article folder. */
  static async open(
    root: string,
    options: FileSnapshotStoreOptions,
    report: RecoveryReport,
  ): Promise<FileSnapshotStore> {
    const store = new FileSnapshotStore(root, options);
    const readOnly = options.readOnly === true;
    const base = articlesRoot(root);
    if (!readOnly) {
      const created = await mkdir(base, { recursive: true });
      if (created !== undefined) await fsyncDir(root);
    }
    await removeTempFiles(base, report, readOnly);
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
          store.index.set(id, {
            metas: rec.metas,
            docs: rec.docs,
            indexDirty: !rec.indexFresh,
            variants: rec.variants,
            summary: undefined,
            latest: undefined,
          });
        }
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    return store;
  }

  private checkOpen(where: string): void {
    if (this.closed) throw new WirediffError('E_CLOSED', `${where}: the snapshot store is closed`);
  }

  private checkWritable(where: string): void {
    if (this.options.readOnly === true) {
      throw new WirediffError('E_CONFLICT', `${where}: the store was opened read-only`);
    }
  }

  private remember(id: ArticleId, entry: ArticleEntry, v: StoredVersion): void {
    entry.latest = v;
    const i = this.cached.indexOf(id);
    if (i >= 0) this.cached.splice(i, 1);
    this.cached.push(id);
    while (this.cached.length > LATEST_CACHE) {
      const old = this.cached.shift()!;
      const e = this.index.get(old);
      if (e) e.latest = undefined;
    }
  }

  /** Every article with at least one version, newest change first (ties by id). */
  listArticles(): Promise<ArticleSummary[]> {
    return settle(() => {
      this.checkOpen('SnapshotStore.listArticles');
      const out: ArticleSummary[] = [];
      for (const entry of this.index.values()) out.push(this.summaryOf(entry));
      out.sort((a, b) => (a.lastChange < b.lastChange ? 1 : a.lastChange > b.lastChange ? -1 : a.id < b.id ? -1 : 1));
      return out;
    });
  }

  getArticle(id: ArticleId): Promise<ArticleSummary | undefined> {
    return settle(() => {
      this.checkOpen('SnapshotStore.getArticle');
      checkArticleId(id, 'SnapshotStore.getArticle');
      const entry = this.index.get(id);
      return entry ? this.summaryOf(entry) : undefined;
    });
  }

  private summaryOf(entry: ArticleEntry): ArticleSummary {
    entry.summary ??= summarize(entry.metas, entry.variants.total);
    return entry.summary;
  }

  listVersions(id: ArticleId): Promise<VersionMeta[]> {
    return settle(() => {
      this.checkOpen('SnapshotStore.listVersions');
      checkArticleId(id, 'SnapshotStore.listVersions');
      return [...(this.index.get(id)?.metas ?? [])];
    });
  }

  async getVersion(id: ArticleId, n: number): Promise<StoredVersion | undefined> {
    this.checkOpen('SnapshotStore.getVersion');
    checkArticleId(id, 'SnapshotStore.getVersion');
    if (!Number.isSafeInteger(n) || n < 1) return undefined;
    const entry = this.index.get(id);
    if (!entry || n > entry.metas.length) return undefined;
    if (n === entry.metas.length && entry.latest?.meta.version === n) return entry.latest;
    const p = join(articleDir(this.root, id), versionFileName(n, 'json'));
    const v = decodeVersionDoc(await this.read(p), p, id, n);
    if (n === entry.metas.length) this.remember(id, entry, v);
    return v;
  }

  async getLatest(id: ArticleId): Promise<StoredVersion | undefined> {
    this.checkOpen('SnapshotStore.getLatest');
    checkArticleId(id, 'SnapshotStore.getLatest');
    const entry = this.index.get(id);
    return entry ? this.getVersion(id, entry.metas.length) : undefined;
  }

  async getRaw(id: ArticleId, n: number): Promise<RawSource | undefined> {
    this.checkOpen('SnapshotStore.getRaw');
    checkArticleId(id, 'SnapshotStore.getRaw');
    if (!Number.isSafeInteger(n) || n < 1) return undefined;
    const meta = this.index.get(id)?.metas[n - 1];
    if (!meta) return undefined;
    const bytes = await this.read(join(articleDir(this.root, id), versionFileName(n, 'raw')));
    return { contentType: meta.contentType, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  }

  private async read(path: string): Promise<Buffer> {
    try {
      return await readFile(path);
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      throw new WirediffError(code === 'ENOENT' ? 'E_CORRUPT' : 'E_IO', `${path}: cannot read an indexed file`, {
        cause,
      });
    }
  }

  appendVersion(v: NewVersion): Promise<VersionMeta> {
    try {
      this.checkOpen('SnapshotStore.appendVersion');
      this.checkWritable('SnapshotStore.appendVersion');
      checkNewVersion(v, 'SnapshotStore.appendVersion');
    } catch (err) {
      return rejected(err);
    }
    return this.locks
      .run(v.article, () => this.appendLocked(v))
      .catch(asStoreFault(`SnapshotStore.appendVersion(${v.article})`));
  }

  private async appendLocked(v: NewVersion): Promise<VersionMeta> {
    const id = v.article;
    const entry = this.index.get(id);
    const latest = entry?.metas.length ?? 0;
    if (v.expectedLatest !== latest) {
      throw new WirediffError(
        'E_CONFLICT',
        `SnapshotStore.appendVersion: ${id} is at version ${latest}, the caller expected ${v.expectedLatest}`,
      );
    }
    const n = latest + 1;
    if (n > 1 && v.changes === null) {
      throw new WirediffError(
        'E_USAGE',
        `SnapshotStore.appendVersion: \`changes\` must be a ChangeSet against version ${latest} for version ${n} of ${id}, received null`,
      );
    }
    const dir = articleDir(this.root, id);
    if (!entry) {
      // The folder may also be left (empty) by an earlier process that died before making its entry durable.
      await mkdir(dir, { recursive: true });
      await fsyncDir(articlesRoot(this.root));
    }
    const raw = Buffer.from(v.raw.buffer, v.raw.byteOffset, v.raw.byteLength);
    const meta: VersionMeta = {
      article: id,
      version: n,
      fetchedAt: v.fetchedAt,
      origin: v.origin,
      contentType: v.contentType,
      rawBytes: raw.length,
      rawHash: createHash('sha256').update(raw).digest('hex'),
      contentHash: v.contentHash,
      ...derivedMeta(n, v.parsed, v.changes),
    };
    const stored: StoredVersion = { meta, article: v.parsed, changes: v.changes };
    // Raw first, then the document: a document under its final name always has its raw beside it.
    const docPath = join(dir, versionFileName(n, 'json'));
    await writeFilesAtomic([
      { path: join(dir, versionFileName(n, 'raw')), data: raw },
      { path: docPath, data: encodeVersionDoc(stored) },
    ]);
    // Acknowledged from here on: nothing below may fail the call.
    const identity = await fileIdentity(docPath).catch(() => '');
    const e: ArticleEntry = entry ?? {
      metas: [],
      docs: [],
      indexDirty: true,
      variants: emptyVariants(),
      summary: undefined,
      latest: undefined,
    };
    e.metas.push(meta);
    e.docs.push(identity);
    e.indexDirty = true;
    e.summary = undefined;
    if (!entry) this.index.set(id, e);
    this.remember(id, e, stored);
    return meta;
  }

  recordVariant(id: ArticleId, n: number, at: string): Promise<void> {
    try {
      this.checkOpen('SnapshotStore.recordVariant');
      this.checkWritable('SnapshotStore.recordVariant');
      checkArticleId(id, 'SnapshotStore.recordVariant');
      checkInteger('n', n, 1, 'SnapshotStore.recordVariant');
      if (typeof at !== 'string') {
        throw new WirediffError(
          'E_USAGE',
          `SnapshotStore.recordVariant: \`at\` must be a string, received ${typeof at}`,
        );
      }
    } catch (err) {
      return rejected(err);
    }
    // Calls accepted before close() complete; close() waits for them.
    return this.locks
      .run(id, async () => {
        const entry = this.index.get(id);
        if (!entry || n > entry.metas.length) {
          throw new WirediffError('E_NOT_FOUND', `SnapshotStore.recordVariant: ${id} has no version ${n}`);
        }
        const next = addVariant(entry.variants, n, at);
        await writeFileAtomic(join(articleDir(this.root, id), VARIANTS_FILE), encodeVariants(next));
        entry.variants = next;
        entry.summary = undefined;
      })
      .catch(asStoreFault(`SnapshotStore.recordVariant(${id}, ${n})`));
  }

  replaceDerived(id: ArticleId, n: number, parsed: Article, changes: ChangeSet | null): Promise<VersionMeta> {
    try {
      this.checkOpen('SnapshotStore.replaceDerived');
      this.checkWritable('SnapshotStore.replaceDerived');
      checkArticleId(id, 'SnapshotStore.replaceDerived');
      checkInteger('n', n, 1, 'SnapshotStore.replaceDerived');
      if (typeof parsed !== 'object' || parsed === null || !Array.isArray(parsed.paragraphs)) {
        throw new WirediffError('E_USAGE', 'SnapshotStore.replaceDerived: `parsed` must be an Article');
      }
      if (n > 1 && (typeof changes !== 'object' || changes === null)) {
        throw new WirediffError(
          'E_USAGE',
          `SnapshotStore.replaceDerived: \`changes\` must be a ChangeSet for version ${n} (null only for version 1)`,
        );
      }
    } catch (err) {
      return rejected(err);
    }
    return this.locks
      .run(id, async () => {
        const entry = this.index.get(id);
        const old = entry?.metas[n - 1];
        if (!entry || !old) {
          throw new WirediffError('E_NOT_FOUND', `SnapshotStore.replaceDerived: ${id} has no version ${n}`);
        }
        const meta: VersionMeta = { ...old, ...derivedMeta(n, parsed, changes) };
        const stored: StoredVersion = { meta, article: parsed, changes };
        const docPath = join(articleDir(this.root, id), versionFileName(n, 'json'));
        await writeFileAtomic(docPath, encodeVersionDoc(stored));
        entry.metas[n - 1] = meta;
        entry.docs[n - 1] = await fileIdentity(docPath).catch(() => '');
        entry.indexDirty = true;
        entry.summary = undefined;
        if (n === entry.metas.length) this.remember(id, entry, stored);
        else if (entry.latest?.meta.version === n) entry.latest = undefined;
        return meta;
      })
      .catch(asStoreFault(`SnapshotStore.replaceDerived(${id}, ${n})`));
  }

  /** Writes `index.json` for every article whose cache is behind. A cache: a failure only costs the next open time. */
  private async writeIndexes(): Promise<void> {
    if (this.options.readOnly === true) return;
    for (const [id, entry] of this.index) {
      if (!entry.indexDirty) continue;
      const path = join(articleDir(this.root, id), INDEX_FILE);
      await writeFileAtomic(path, encodeMetaIndex(entry.metas, entry.docs)).catch(() => undefined);
      entry.indexDirty = false;
    }
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closed = true;
      await this.locks.idle();
      await this.writeIndexes();
      this.index.clear();
      this.cached.length = 0;
    })();
    return this.closing;
  }
}

/** The meta fields that come from the extracted article and the ChangeSet (replaced by `replaceDerived`). */
function derivedMeta(
  n: number,
  parsed: Article,
  changes: ChangeSet | null,
): Pick<VersionMeta, 'extractor' | 'title' | 'paragraphs' | 'kind' | 'summary' | 'significance'> {
  const paragraphs = parsed.paragraphs.length;
  return {
    extractor: parsed.extractor,
    title: parsed.title,
    paragraphs,
    kind: n === 1 ? 'initial' : (changes?.kind ?? 'major'),
    summary: changes?.summary ?? `First version: ${paragraphs} paragraph${paragraphs === 1 ? '' : 's'}`,
    significance: changes?.significance ?? 1,
  };
}
