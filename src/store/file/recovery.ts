/**
 * Recovery on open. The files on disk are the truth; everything in memory is rebuilt from them:
 *
 * - Temp files (`.tmp-*`) left by an interrupted atomic write are removed.
 * - An article's versions are the numbers that have both `NNNNNN.raw` and `NNNNNN.json`. A version is acknowledged
 *   only after both are renamed into place and the folder is fsynced, and versions are written one at a time, so only
 *   the newest number can be incomplete (a `.raw` without its `.json`, or the reverse after a reordered rename): it
 *   was never acknowledged and is removed. Anything else out of shape (a gap, an unreadable document, a raw file whose
 *   size does not match its meta) is refused with `E_CORRUPT` rather than guessed at.
 * - The event log is scanned record by record; a torn tail (a cut record or garbage after the last whole record) is
 *   truncated. Damage followed by a valid record is not a torn tail: it is refused with `E_CORRUPT`.
 *
 * In read-only mode nothing is removed or truncated: damage is only skipped in memory.
 */
import { open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { WirediffError } from '../../core/errors.js';
import type { VersionMeta } from '../../core/model/version.js';
import { fsyncDir, isTempName } from './atomic-write.js';
import { parseVersionFileName, VARIANTS_FILE, versionFileName } from './layout.js';
import { checkRecordAt, findNextRecord, RECORD_HEADER_BYTES } from './record-framing.js';
import { decodeVersionDoc } from './version-doc.js';
import { fileIdentity, INDEX_FILE, readMetaIndex } from './meta-index.js';
import { decodeVariants, emptyVariants } from './variants.js';
import type { VariantsDoc } from './variants.js';

export interface RecoveryReport {
  /** Paths removed: temp files and never-acknowledged partial versions. */
  readonly removed: string[];
  /** Bytes cut from the event log's torn tail. */
  truncatedLogBytes: number;
  /** Version metas taken from the per-article index cache (the document on disk unchanged since). */
  metasFromIndex: number;
  /** Version documents read and parsed (not in the cache, or changed since). */
  docsRead: number;
}

export function newRecoveryReport(): RecoveryReport {
  return { removed: [], truncatedLogBytes: 0, metasFromIndex: 0, docsRead: 0 };
}

/** Removes leftover temp files in `dir` (not recursive). Returns how many. */
export async function removeTempFiles(dir: string, report: RecoveryReport, readOnly: boolean): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const temps = names.filter(isTempName);
  if (temps.length === 0 || readOnly) return;
  for (const t of temps) {
    await rm(join(dir, t), { force: true, recursive: true });
    report.removed.push(join(dir, t));
  }
  await fsyncDir(dir);
}

export interface RecoveredArticle {
  readonly metas: VersionMeta[];
  /** The identity (`fileIdentity`) of each version's document, for the index cache. */
  readonly docs: string[];
  /** False when `index.json` was missing or did not match the documents (so it is worth rewriting). */
  readonly indexFresh: boolean;
  readonly variants: VariantsDoc;
}

/**
 * Recovers one article folder: removes temps and the newest version if it is incomplete, then gets every version's
 * meta, from the index cache when the document is unchanged since the cache was written, else from the document.
 */
export async function recoverArticle(
  dir: string,
  id: string,
  report: RecoveryReport,
  readOnly: boolean,
): Promise<RecoveredArticle> {
  await removeTempFiles(dir, report, readOnly);
  const names = await readdir(dir);
  const raws = new Set<number>();
  const jsons = new Set<number>();
  let hasVariants = false;
  for (const name of names) {
    if (name === VARIANTS_FILE) {
      hasVariants = true;
      continue;
    }
    const v = parseVersionFileName(name);
    if (!v) continue;
    (v.ext === 'raw' ? raws : jsons).add(v.n);
  }
  const top = Math.max(0, ...raws, ...jsons);
  let complete = top;
  // Only the newest number may be incomplete (never acknowledged): remove it.
  if (top > 0 && !(raws.has(top) && jsons.has(top))) {
    complete = top - 1;
    if (!readOnly) {
      for (const ext of ['raw', 'json'] as const) {
        const p = join(dir, versionFileName(top, ext));
        if ((ext === 'raw' ? raws : jsons).has(top)) {
          await rm(p, { force: true });
          report.removed.push(p);
        }
      }
      await fsyncDir(dir);
    }
  }
  for (let n = 1; n <= complete; n++) {
    if (!raws.has(n) || !jsons.has(n)) {
      throw new WirediffError(
        'E_CORRUPT',
        `${dir}: version ${n} is missing its ${raws.has(n) ? 'document' : 'raw source'} while version ${complete} exists`,
      );
    }
  }
  const metas: VersionMeta[] = new Array<VersionMeta>(complete);
  const docs: string[] = new Array<string>(complete);
  const cached = names.includes(INDEX_FILE) ? await readMetaIndex(join(dir, INDEX_FILE)) : undefined;
  let indexFresh = cached !== undefined && cached.entries.length === complete;
  // Stat (and where needed read) the documents with a little concurrency.
  let next = 1;
  const worker = async (): Promise<void> => {
    while (next <= complete) {
      const n = next++;
      const p = join(dir, versionFileName(n, 'json'));
      const identity = await fileIdentity(p);
      const entry = cached?.entries[n - 1];
      if (entry?.doc === identity && entry.meta.version === n && entry.meta.article === id) {
        metas[n - 1] = entry.meta;
        report.metasFromIndex++;
      } else {
        const bytes = await readFile(p);
        metas[n - 1] = decodeVersionDoc(bytes, p, id, n).meta;
        report.docsRead++;
        indexFresh = false;
      }
      docs[n - 1] = identity;
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  if (complete > 0) {
    const last = metas[complete - 1]!;
    const rawPath = join(dir, versionFileName(complete, 'raw'));
    const size = (await stat(rawPath)).size;
    if (size !== last.rawBytes) {
      throw new WirediffError('E_CORRUPT', `${rawPath}: ${size} bytes on disk, its meta says ${last.rawBytes}`);
    }
  }
  let variants = emptyVariants();
  if (hasVariants) {
    const p = join(dir, VARIANTS_FILE);
    variants = decodeVariants(await readFile(p), p);
  }
  return { metas, docs, indexFresh, variants };
}

/** One whole record found by `scanLog`: `payload` is only valid during the callback. */
export type RecordVisitor = (payload: Buffer, payloadOffset: number) => void;

const CHUNK = 1 << 20;

/**
 * Reads the log at `path` record by record, calling `visit` for each whole valid record, and truncates a torn tail
 * (unless read-only). Returns the offset just past the last whole record (the size the log has afterwards).
 * A missing file is an empty log.
 */
export async function scanLog(
  path: string,
  visit: RecordVisitor,
  report: RecoveryReport,
  readOnly: boolean,
): Promise<number> {
  let fh;
  try {
    fh = await open(path, readOnly ? 'r' : 'r+');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  try {
    const size = (await fh.stat()).size;
    let buf = Buffer.alloc(0);
    let bufStart = 0; // file offset of buf[0]
    let pos = 0; // file offset of the next record
    const readMore = async (want: number): Promise<boolean> => {
      const have = bufStart + buf.length;
      if (have >= size) return false;
      const len = Math.min(Math.max(want, CHUNK), size - have);
      const more = Buffer.allocUnsafe(len);
      let got = 0;
      while (got < len) {
        const { bytesRead } = await fh.read(more, got, len - got, have + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      buf = Buffer.concat([buf.subarray(pos - bufStart), more.subarray(0, got)]);
      bufStart = pos;
      return got > 0;
    };
    for (;;) {
      const rel = pos - bufStart;
      if (rel === buf.length && bufStart + buf.length >= size) break; // clean end
      const check = checkRecordAt(buf, rel);
      if (check.kind === 'ok') {
        visit(buf.subarray(check.payloadStart, check.end), bufStart + check.payloadStart);
        pos = bufStart + check.end;
        continue;
      }
      if (check.kind === 'short') {
        const length = buf.length - rel >= RECORD_HEADER_BYTES ? buf.readUInt32BE(rel + 4) : 0;
        if (await readMore(RECORD_HEADER_BYTES + length)) continue;
      }
      // Bad or cut record at `pos`: a torn tail unless a valid record follows somewhere after it.
      while (await readMore(CHUNK)) {
        /* read the rest of the file */
      }
      const found = findNextRecord(buf, pos - bufStart + 1);
      if (found >= 0) {
        throw new WirediffError(
          'E_CORRUPT',
          `${path}: damaged record at byte ${pos} followed by valid records (at byte ${bufStart + found}); refusing to drop them`,
        );
      }
      break;
    }
    if (pos < size) {
      if (!readOnly) {
        await fh.truncate(pos);
        await fh.sync();
      }
      report.truncatedLogBytes += size - pos;
    }
    return pos;
  } finally {
    await fh.close();
  }
}
