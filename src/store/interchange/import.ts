/**
 * `wirediff import`: appends a checked export (validate.ts) to the store and the event log, each version with its
 * event in one step, in the order of the file's events; resumes an import that stopped part-way and refuses (or
 * skips) an article whose stored history differs from the file's. See format.ts for the whole story.
 */
import { open } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { WirediffError } from '../../core/errors.js';
import { eventForVersion } from '../../core/model/event.js';
import type { ArticleId, VersionMeta } from '../../core/model/version.js';
import type { EventLog, NewVersion, SnapshotStore } from '../types.js';
import type { HistoryProgress, ImportedArticle, ImportedVersion, ParsedExport } from './format.js';
import { checkVersionLine } from './schema.js';
import { lineHash, type CheckedExportFile } from './validate.js';

export interface ImportOptions {
  /** Skip articles whose stored history differs from the file's instead of refusing the import. */
  readonly skipExisting?: boolean;
  /** Names the store in messages. */
  readonly storeName?: string;
  readonly onProgress?: (p: HistoryProgress) => void;
}

/** What the import did with one article of the file. */
export interface ImportedArticleResult {
  readonly id: ArticleId;
  /** Versions written by this import. */
  readonly versions: number;
  /** Versions already stored (the same as the file's): an earlier import of this file stopped part-way. */
  readonly resumedVersions: number;
  /** Events written by this import. */
  readonly events: number;
  /** Events of the file already in the log for the same version (not appended twice). */
  readonly resumedEvents: number;
  /** Known-variant sightings recorded by this import (see `recordVariants`). */
  readonly variants: number;
}

export interface ImportResult {
  /** Every article of the file that was not skipped: new ones and resumed ones. */
  readonly imported: readonly ImportedArticleResult[];
  /** Articles whose stored history differs from the file's, left as stored (`skipExisting`). */
  readonly skipped: readonly { readonly id: ArticleId; readonly existing: number }[];
  /** Versions written by this import. */
  readonly versions: number;
  /** Events written by this import. */
  readonly events: number;
  /** What an earlier, unfinished import of the same file had already written, found and kept. */
  readonly resumed: { readonly articles: number; readonly versions: number; readonly events: number };
  /** Known-variant sightings recorded by this import. */
  readonly variants: number;
}

/** Where a stored history first differs from the file's, or undefined when it is a prefix of it (or empty). */
function firstDifference(stored: readonly VersionMeta[], a: ImportedArticle): string | undefined {
  for (let i = 0; i < stored.length; i++) {
    const m = stored[i]!;
    const n = i + 1;
    if (n > a.count) {
      return `has ${stored.length} version(s) here and the file only ${a.count}: version ${n} is not in the file`;
    }
    const f = a.identities[i]!;
    if (m.version !== n) return `has a gap in its stored versions at version ${n}`;
    if (m.rawHash !== f.rawHash) return `differs from the file at version ${n} (another raw source)`;
    if (m.contentHash !== f.contentHash) return `differs from the file at version ${n} (other extracted content)`;
  }
  return undefined;
}

interface ArticleRun {
  readonly article: ImportedArticle;
  /** Versions already stored when the import started (the file's first ones). */
  readonly stored: number;
  /** Events already in the log for this article, counted per version; consumed as the file's events come. */
  readonly logged: Map<number, number>;
  /** The next version of the file to handle. */
  next: number;
  /** Versions stored by this run with their first event of the file (`commitVersion`): that event is written. */
  readonly committed: Set<number>;
  versions: number;
  events: number;
  resumedEvents: number;
  variants: number;
}

/** What the store is handed to keep an imported version as it was (its number, times, origin and hashes). */
export function newVersionOf(v: ImportedVersion): NewVersion {
  return {
    article: v.meta.article,
    fetchedAt: v.meta.fetchedAt,
    origin: v.meta.origin,
    contentType: v.contentType,
    raw: v.raw,
    parsed: v.article,
    contentHash: v.meta.contentHash,
    changes: v.changes,
    expectedLatest: v.meta.version - 1,
  };
}

/** Reads version `n` of an article of the file (from memory, or from the file by its line). */
type VersionReader = (a: ImportedArticle, n: number) => Promise<ImportedVersion>;

/**
 * One import, shared by the in-memory (`importHistory`) and streaming (`importExportFile`) paths: decides per
 * article, before anything is written, whether it is new, resumed or skipped (or refuses the import), then walks the
 * file's events in order, storing each version with its event when the walk reaches it, and writes only what is
 * missing.
 */
class ImportRun {
  /** Versions this run writes. */
  readonly total: number;
  done = 0;
  events = 0;

  private constructor(
    private readonly deps: { readonly store: SnapshotStore; readonly log: EventLog },
    private readonly plan: ParsedExport,
    private readonly runs: Map<ArticleId, ArticleRun>,
    private readonly skipped: { id: ArticleId; existing: number }[],
    private readonly options: ImportOptions,
  ) {
    this.total = plan.articles.reduce((n, a) => n + (runs.has(a.id) ? a.count - runs.get(a.id)!.stored : 0), 0);
  }

  /**
   * Compares every article of the file with the store. Throws `E_IMPORT_CONFLICT` (nothing written) when a stored history
   * is not the start of the file's, unless `skipExisting`.
   */
  static async prepare(
    deps: { readonly store: SnapshotStore; readonly log: EventLog },
    plan: ParsedExport,
    options: ImportOptions,
  ): Promise<ImportRun> {
    const { store, log } = deps;
    const runs = new Map<ArticleId, ArticleRun>();
    const skipped: { id: ArticleId; existing: number }[] = [];
    const conflicts: string[] = [];
    const last = (await log.bounds()).last;
    for (const a of plan.articles) {
      const stored = await store.listVersions(a.id);
      const difference = firstDifference(stored, a);
      if (difference !== undefined) {
        skipped.push({ id: a.id, existing: stored.length });
        conflicts.push(`"${a.id}" ${difference}`);
        continue;
      }
      const logged = new Map<number, number>();
      if (stored.length > 0 && last > 0) {
        for (const e of await log.readLatest(last, a.id)) logged.set(e.version, (logged.get(e.version) ?? 0) + 1);
      }
      runs.set(a.id, {
        article: a,
        stored: stored.length,
        logged,
        next: 1,
        committed: new Set(),
        versions: 0,
        events: 0,
        resumedEvents: 0,
        variants: 0,
      });
    }
    if (conflicts.length > 0 && options.skipExisting !== true) {
      const where = options.storeName !== undefined ? ` in ${options.storeName}` : '';
      throw new WirediffError(
        'E_IMPORT_CONFLICT',
        `cannot import: ${conflicts.join('; ')}${where}; nothing was written. An article is resumed only when its ` +
          "stored versions are the file's first versions; use --skip-existing to leave the differing article(s) as " +
          'they are and import the others, or import into another store',
      );
    }
    return new ImportRun(deps, plan, runs, skipped, options);
  }

  /** Stores every missing version (each with its first event of the file) and every missing event, in file order. */
  async write(read: VersionReader): Promise<void> {
    const firstEventAt = new Map<string, string>();
    for (const e of this.plan.eventRefs) {
      const key = `${e.article}@${e.version}`;
      if (!firstEventAt.has(key)) firstEventAt.set(key, e.at);
    }
    for (const e of this.plan.eventRefs) {
      const run = this.runs.get(e.article);
      if (run === undefined) continue;
      await this.advance(run, e.version, read, firstEventAt);
      if (run.committed.delete(e.version)) continue; // written with its version
      const logged = run.logged.get(e.version) ?? 0;
      if (logged > 0) {
        run.logged.set(e.version, logged - 1);
        run.resumedEvents++;
        continue;
      }
      // A version stored before this run without its event, or a second event of a version: rebuilt from it.
      const stored = await this.deps.store.getVersion(e.article, e.version);
      if (stored === undefined) {
        throw new WirediffError('E_CORRUPT', `${e.article} v${e.version} is missing from the store during the import`);
      }
      await this.deps.log.append(eventForVersion(stored, e.at));
      run.events++;
      this.events++;
    }
    // Versions the file has no event for (after the last event of their article).
    for (const run of this.runs.values()) await this.advance(run, run.article.count, read, firstEventAt);
  }

  /** Stores the article's versions up to `upTo` that are not stored yet, each with its first event when it has one. */
  private async advance(
    run: ArticleRun,
    upTo: number,
    read: VersionReader,
    firstEventAt: ReadonlyMap<string, string>,
  ): Promise<void> {
    while (run.next <= upTo) {
      const n = run.next++;
      if (n <= run.stored) continue;
      const v = await read(run.article, n);
      const at = firstEventAt.get(`${run.article.id}@${n}`);
      if (at === undefined) {
        await this.deps.store.appendVersion(newVersionOf(v));
      } else {
        await this.deps.store.commitVersion(newVersionOf(v), { at });
        run.committed.add(n);
        run.events++;
        this.events++;
      }
      run.versions++;
      this.done++;
      this.options.onProgress?.({ done: this.done, total: this.total, article: run.article.id });
    }
  }

  /**
   * Brings each imported article's variants counter up to the file's. The store records one sighting per call
   * (`recordVariant(id, n, at)`) and exposes only the total, so the export carries the total and each missing
   * sighting is recorded against the article's newest version in the file, at the export's time. A counter already
   * at or above the file's is left alone, so running the import again adds nothing.
   */
  async recordVariants(exportedAt: string): Promise<void> {
    for (const a of this.plan.articles) {
      const run = this.runs.get(a.id);
      if (run === undefined || a.variantsSeen === 0) continue;
      const current = (await this.deps.store.getArticle(a.id))?.variantsSeen ?? 0;
      for (let i = current; i < a.variantsSeen; i++) {
        await this.deps.store.recordVariant(a.id, a.count, exportedAt);
        run.variants++;
      }
    }
  }

  result(): ImportResult {
    const imported: ImportedArticleResult[] = [];
    const resumed = { articles: 0, versions: 0, events: 0 };
    let variants = 0;
    for (const a of this.plan.articles) {
      const run = this.runs.get(a.id);
      if (run === undefined) continue;
      imported.push({
        id: a.id,
        versions: run.versions,
        resumedVersions: run.stored,
        events: run.events,
        resumedEvents: run.resumedEvents,
        variants: run.variants,
      });
      if (run.stored > 0) resumed.articles++;
      resumed.versions += run.stored;
      resumed.events += run.resumedEvents;
      variants += run.variants;
    }
    return { imported, skipped: this.skipped, versions: this.done, events: this.events, resumed, variants };
  }
}

/**
 * Appends a checked export (read with `readExport`, kept in memory) to the store and the event log: new articles
 * whole, resumed articles from their first missing version (see the file comment). Refuses (`E_IMPORT_CONFLICT`, nothing
 * written) when a stored history differs from the file's, unless `skipExisting`. Versions are stored with
 * `expectedLatest`, so a concurrent writer makes the import fail rather than interleave.
 */
export async function importHistory(
  deps: { readonly store: SnapshotStore; readonly log: EventLog },
  parsed: ParsedExport,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const run = await ImportRun.prepare(deps, parsed, options);
  await run.write((a, n) => {
    const v = a.versions[n - 1];
    if (v === undefined) throw new WirediffError('E_USAGE', `importHistory: the export was read without its versions`);
    return Promise.resolve(v);
  });
  await run.recordVariants(parsed.header.exportedAt);
  return run.result();
}

/** Byte ranges of a file's non-empty lines (a trailing CR left out), in order: what readline calls its lines. */
async function lineRanges(file: string): Promise<{ starts: number[]; ends: number[] }> {
  const starts: number[] = [];
  const ends: number[] = [];
  let lineStart = 0;
  let pos = 0;
  let blank = true;
  const close = (end: number, lastByte: number | undefined): void => {
    const stop = lastByte === 0x0d ? end - 1 : end;
    if (!blank) {
      starts.push(lineStart);
      ends.push(stop);
    }
  };
  let prev: number | undefined;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b === 0x0a) {
        close(pos + i, prev);
        lineStart = pos + i + 1;
        blank = true;
      } else if (b !== 0x20 && b !== 0x09 && b !== 0x0d) {
        blank = false;
      }
      prev = b;
    }
    pos += chunk.length;
  }
  close(pos, prev);
  return { starts, ends };
}

/**
 * The second pass: imports a checked file, reading each version's line from the file when the import reaches it, so
 * memory stays flat however large the file. Resumes and refuses as `importHistory` does (deciding before writing).
 * Each line is used only after checking that it is the line the first pass checked; a file changed in between stops
 * the import at the first changed line it reads with `E_CORRUPT` (the message says what was imported so far).
 */
export async function importExportFile(
  deps: { readonly store: SnapshotStore; readonly log: EventLog },
  checked: CheckedExportFile,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const { file, name, plan } = checked;
  const hashes = checked.lineHashes;
  const run = await ImportRun.prepare(deps, plan, options);
  const changed = (line: number): WirediffError => {
    const so = `${run.done} version(s) and ${run.events} event(s)`;
    return new WirediffError(
      'E_CORRUPT',
      `${name}: line ${line} changed while it was being imported; stopped after ${so} (check the file, then run the same import again: it resumes where it stopped)`,
    );
  };
  const ranges = await lineRanges(file);
  if (ranges.starts.length !== hashes.length) throw changed(Math.min(ranges.starts.length, hashes.length) + 1);
  const fh = await open(file, 'r');
  try {
    await run.write(async (a, n) => {
      const k = a.identities[n - 1]!.line;
      const start = ranges.starts[k]!;
      const buf = Buffer.alloc(ranges.ends[k]! - start);
      const { bytesRead } = await fh.read(buf, 0, buf.length, start);
      const text = buf.subarray(0, bytesRead).toString('utf8');
      if (lineHash(text) !== hashes[k]) throw changed(k + 1);
      const v = checkVersionLine(JSON.parse(text) as Record<string, unknown>, []);
      if (v === undefined || v.meta.article !== a.id || v.meta.version !== n) throw changed(k + 1);
      return v;
    });
  } finally {
    await fh.close();
  }
  await run.recordVariants(plan.header.exportedAt);
  return run.result();
}
