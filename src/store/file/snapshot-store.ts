/**
 * The file implementation of `SnapshotStore`: per article a folder of versions, one file each holding the version's
 * document and raw source (layout.ts, version-file.ts), written atomically and durably (src/lib/atomic-write.ts). The files
 * are the truth; memory holds an index of every version's meta and the variants counters, rebuilt on open
 * (recovery.ts), so listing is cheap.
 *
 * `commitVersion` keeps a version and publishes its change event with one durable write: the event's id is reserved
 * in the event log first and recorded in the version's file, and the log then writes the event without a flush of
 * its own (event-log.ts; open.ts rebuilds an event the log lost from the version that names it).
 *
 * Writes are serialized per article (appends, variants, re-extractions); different articles write concurrently.
 * What memory holds per article is article-index.ts; the cache of newest versions, latest-cache.ts; reading version
 * files, version-reads.ts; reporting failed writes, write-faults.ts.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { WirediffError } from '../../core/errors.js';
import type { Article } from '../../core/model/article.js';
import type { ChangeSet } from '../../core/model/changeset.js';
import type { ArticleId, ArticleSummary, StoredVersion, VersionMeta } from '../../core/model/version.js';
import { EVENT_SCHEMA, eventForVersion } from '../../core/model/event.js';
import type { ChangeEvent } from '../../core/model/event.js';
import type { CommittedVersion, NewVersion, RawSource, SnapshotStore } from '../types.js';
import { newVersionMeta, rawBuffer, rederivedMeta } from '../version-meta.js';
import type { FileEventLog, StoreLogger } from './event-log.js';
import { writeFileAtomic } from '../../lib/atomic-write.js';
import { describeIoCause, rejected, settle } from './promise-helpers.js';
import {
  checkArticleId,
  checkCommitEvent,
  checkNewVersion,
  checkRecordVariant,
  checkReplaceDerived,
} from './input-checks.js';
import { KeyedMutex } from './keyed-mutex.js';
import { articleDir, articlesRoot, VARIANTS_FILE } from './layout.js';
import { removeTempFiles } from './recovery.js';
import type { RecoveryReport } from './recovery.js';
import { summarize } from './summary.js';
import { encodeVersionDoc, encodeVersionDocParts } from './version-doc.js';
import { forgetChangesJson, knownArticleJson } from '../../lib/encoded-json.js';
import type { EventRef } from './version-doc.js';
import { encodeVersionFileCompact } from './version-file.js';
import { addVariant, encodeVariants } from './variants.js';
import { ownMeta, UNKNOWN_IDENTITY } from './meta-index.js';
import { DirSyncer, fsyncDir } from '../../lib/dir-sync.js';
import { loadArticles, newArticleEntry, versionsWithEventsAfter, writeIndexes } from './article-index.js';
import type { ArticleEntry } from './article-index.js';
import { LatestCache } from './latest-cache.js';
import { readDoc, readRaw, readWhole, versionPath } from './version-reads.js';
import { WriteFaults } from './write-faults.js';

export interface FileSnapshotStoreOptions {
  readonly readOnly?: boolean | undefined;
  /** Where write faults are logged (with their cause: a full disk, a read-only file system), and their end. */
  readonly logger?: StoreLogger | undefined;
}

/** Article folders whose handle stays open for the fsync after each write. */
const OPEN_FOLDERS = 16;

export class FileSnapshotStore implements SnapshotStore {
  private readonly index = new Map<ArticleId, ArticleEntry>();
  private readonly locks = new KeyedMutex();
  private readonly latest = new LatestCache((id) => this.index.get(id));
  private readonly dirs = new DirSyncer(OPEN_FOLDERS);
  private readonly syncDir = { syncDir: (dir: string): Promise<void> => this.dirs.sync(dir) };
  private closed = false;
  private closing: Promise<void> | undefined;
  private readonly faults: WriteFaults;

  private constructor(
    private readonly root: string,
    private readonly options: FileSnapshotStoreOptions,
    private readonly log: FileEventLog,
  ) {
    this.faults = new WriteFaults(options.logger);
  }

  /**
   * Opens the store under `root` (creating `articles/` unless read-only), recovering every article folder.
   * `log` is the event log that `commitVersion` publishes to.
   */
  static async open(
    root: string,
    options: FileSnapshotStoreOptions,
    report: RecoveryReport,
    log: FileEventLog,
  ): Promise<FileSnapshotStore> {
    const store = new FileSnapshotStore(root, options, log);
    const readOnly = options.readOnly === true;
    const base = articlesRoot(root);
    if (!readOnly) {
      const created = await mkdir(base, { recursive: true });
      if (created !== undefined) await fsyncDir(root);
    }
    await removeTempFiles(base, report, readOnly);
    await loadArticles(base, store.index, report, readOnly);
    return store;
  }

  private checkOpen(where: string): void {
    if (this.closed) throw new WirediffError('E_CLOSED', `${where}: the snapshot store is closed`);
  }

  private checkWritable(where: string): void {
    if (this.options.readOnly === true) {
      throw new WirediffError('E_READ_ONLY', `${where}: the store was opened read-only`);
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
    const doc = await readDoc(this.root, id, n);
    if (n === entry.metas.length) this.latest.remember(id, entry, doc.version, doc.bytes);
    return doc.version;
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
    const bytes = await readRaw(this.root, id, n, meta.rawBytes);
    return { contentType: meta.contentType, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
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
      .run(v.article, async () => (await this.appendLocked(v, undefined)).meta)
      .then((m) => this.faults.wrote(m), this.faults.failed(`SnapshotStore.appendVersion(${v.article})`));
  }

  commitVersion(v: NewVersion, event: { readonly at: string }): Promise<CommittedVersion> {
    try {
      this.checkOpen('SnapshotStore.commitVersion');
      this.checkWritable('SnapshotStore.commitVersion');
      checkNewVersion(v, 'SnapshotStore.commitVersion');
      checkCommitEvent(event);
    } catch (err) {
      return rejected(err);
    }
    return this.locks
      .run(v.article, async () => {
        const done = await this.appendLocked(v, event.at);
        return { meta: done.meta, event: done.event! };
      })
      .then((c) => this.faults.wrote(c), this.faults.failed(`SnapshotStore.commitVersion(${v.article})`));
  }

  /**
   * Keeps version `expectedLatest + 1`. With `eventAt`, also publishes its event: the id is reserved before the write
   * (so the version's file names it) and published once the file is durable, or given up if the write fails.
   */
  private async appendLocked(
    v: NewVersion,
    eventAt: string | undefined,
  ): Promise<{ meta: VersionMeta; event: ChangeEvent | undefined }> {
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
    // The folder may also be left (empty) by an earlier process that died before making its entry durable. Its own
    // entry is made durable after the version file is (below): on a journaling file system the version's commits
    // carry the new folder too, so that last fsync costs next to nothing.
    if (!entry) await mkdir(dir, { recursive: true });
    const raw = rawBuffer(v);
    // Its own strings: the index keeps it for as long as the store is open (see ownMeta).
    const meta: VersionMeta = ownMeta(newVersionMeta(v, n, raw));
    const stored: StoredVersion = { meta, article: v.parsed, changes: v.changes };
    const ref: EventRef | null =
      eventAt === undefined ? null : { id: this.log.reserve('SnapshotStore.commitVersion'), at: eventAt };
    const path = versionPath(this.root, id, n);
    let docBytes = 0;
    try {
      // The article's and the ChangeSet's JSON come encoded from the ingest worker when it made them (encoded.ts):
      // on the event loop only the small parts are serialised, and the parts are copied once, with the raw bytes.
      const doc = encodeVersionDocParts(stored, ref);
      for (const part of doc) docBytes += part.byteLength;
      await writeFileAtomic(path, await encodeVersionFileCompact(doc, raw), this.syncDir);
      if (!entry) await this.dirs.sync(articlesRoot(this.root));
    } catch (err) {
      if (ref) this.log.abandon(ref.id);
      throw err;
    }
    // Acknowledged from here on: nothing below may fail the call but the log's own write (whose event the next open
    // rebuilds from the version file).
    const e: ArticleEntry = entry ?? newArticleEntry();
    e.metas.push(meta);
    e.docs.push(UNKNOWN_IDENTITY);
    e.events.push(ref?.id ?? 0);
    e.indexDirty = true;
    e.summary = undefined;
    if (!entry) this.index.set(id, e);
    // What the cached version holds: its document's worth of objects, and the article's JSON when the ingest worker
    // encoded it (kept with the article, for the next diff's hand-over: encoded.ts).
    this.latest.remember(id, e, stored, docBytes + (knownArticleJson(v.parsed)?.byteLength ?? 0));
    if (!ref) {
      forgetChangesJson(v.changes);
      return { meta, event: undefined };
    }
    // The version's file holds the event durably: the commit is done. The log publishes it in id order, at once when
    // every earlier id is settled (the usual case), else as soon as they are; a commit does not wait for other
    // articles' writes. Should the log fail meanwhile, the next open rebuilds the event from the file.
    const event = eventForVersion(stored, ref.at);
    const published = this.log.publish(ref.id, event);
    // The event's record took the ChangeSet's JSON (at once, in `publish`): nothing encodes it again.
    forgetChangesJson(v.changes);
    published.catch((err: unknown) => {
      // Not the commit's failure (the version file holds the event, and the next open rebuilds it from there), but
      // live subscribers and readers miss it until then: say so.
      this.options.logger?.error(
        { err, article: id, version: n, event: ref.id },
        `store: the event ${ref.id} of ${id} version ${n} was stored with its version but could not be published now (${describeIoCause(err)}); it is rebuilt from the version on the next open`,
      );
    });
    // Readers see the event once the commit resolves (unless an earlier id is still being written).
    await this.log.queued(ref.id);
    return { meta, event: { schema: EVENT_SCHEMA, id: ref.id, ...event } };
  }

  /**
   * The versions whose events are after `lastId` in the log (oldest id first), with their events rebuilt from the
   * version files: what a log lost in a crash (open.ts hands them to `FileEventLog.restore`).
   */
  async eventsAfter(lastId: number): Promise<ChangeEvent[]> {
    const found = versionsWithEventsAfter(this.index, lastId);
    const out: ChangeEvent[] = [];
    for (const f of found) {
      const doc = await readDoc(this.root, f.id, f.n);
      if (doc.event === null || doc.event.id !== f.event) {
        throw new WirediffError('E_CORRUPT', `${f.id} version ${f.n}: its file no longer names event ${f.event}`);
      }
      out.push({ schema: EVENT_SCHEMA, id: doc.event.id, ...eventForVersion(doc.version, doc.event.at) });
    }
    return out;
  }

  recordVariant(id: ArticleId, n: number, at: string): Promise<void> {
    try {
      this.checkOpen('SnapshotStore.recordVariant');
      this.checkWritable('SnapshotStore.recordVariant');
      checkRecordVariant(id, n, at);
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
        await writeFileAtomic(join(articleDir(this.root, id), VARIANTS_FILE), encodeVariants(next), this.syncDir);
        entry.variants = next;
        entry.summary = undefined;
      })
      .then((r) => this.faults.wrote(r), this.faults.failed(`SnapshotStore.recordVariant(${id}, ${n})`));
  }

  replaceDerived(id: ArticleId, n: number, parsed: Article, changes: ChangeSet | null): Promise<VersionMeta> {
    try {
      this.checkOpen('SnapshotStore.replaceDerived');
      this.checkWritable('SnapshotStore.replaceDerived');
      checkReplaceDerived(id, n, parsed, changes);
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
        const meta: VersionMeta = ownMeta(rederivedMeta(old, n, parsed, changes));
        const stored: StoredVersion = { meta, article: parsed, changes };
        const path = versionPath(this.root, id, n);
        // The raw bytes and the event reference stay as they are; only the derived parts change.
        const file = await readWhole(this.root, id, n, old.rawBytes);
        const doc = encodeVersionDoc(stored, file.doc.event);
        await writeFileAtomic(path, await encodeVersionFileCompact(doc, file.raw), this.syncDir);
        entry.metas[n - 1] = meta;
        entry.docs[n - 1] = UNKNOWN_IDENTITY;
        entry.indexDirty = true;
        entry.summary = undefined;
        if (n === entry.metas.length) this.latest.remember(id, entry, stored, doc.length);
        else if (entry.latest?.meta.version === n) entry.latest = undefined;
        return meta;
      })
      .then((m) => this.faults.wrote(m), this.faults.failed(`SnapshotStore.replaceDerived(${id}, ${n})`));
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closed = true;
      await this.locks.idle();
      if (this.options.readOnly !== true) {
        await writeIndexes(this.root, this.index, (path, bytes) => writeFileAtomic(path, bytes, this.syncDir));
      }
      await this.dirs.close();
      this.index.clear();
      this.latest.clear();
    })();
    return this.closing;
  }
}
