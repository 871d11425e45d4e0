/**
 * Recovery on open. The files on disk are the truth; everything in memory is rebuilt from them:
 *
 * - Temp files (`.tmp-*`) left by an interrupted atomic write are removed.
 * - An article's versions are its `NNNNNN.wdv` files, each written whole under a temp name and renamed into place.
 *   Anything out of shape (a gap, an unreadable document, a file whose raw length does not match its meta) is refused
 *   with `E_CORRUPT` rather than guessed at. Versions in the older two-file layout are converted first.
 * - The event log is scanned record by record; a torn tail (a cut record or garbage after the last whole record) is
 *   truncated. Damage followed by a valid record is not a torn tail: it is refused with `E_CORRUPT`.
 *
 * In read-only mode nothing is removed or truncated: damage is only skipped in memory.
 */
import { open, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { WirediffError } from '../../core/errors.js';
import type { VersionMeta } from '../../core/model/version.js';
import { isTempName, writeFileAtomic } from '../../lib/atomic-write.js';
import { fsyncDir } from '../../lib/dir-sync.js';
import { parseVersionFileName, VARIANTS_FILE, versionFileName } from './layout.js';
import { checkRecordAt, findNextRecord, RECORD_HEADER_BYTES } from './record-framing.js';
import { decodeVersionDoc, encodeVersionDoc } from './version-doc.js';
import { checkRawLength, encodeVersionFileCompact, readVersionHead } from './version-file.js';
import { fileIdentity, INDEX_FILE, ownMeta, readMetaIndex } from './meta-index.js';
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
  /** Versions converted from the older two-file layout (`.raw` + `.json`) to version files. */
  converted: number;
  /** Events the log had lost (never written out before a crash) and that were rebuilt from their versions. */
  eventsRebuilt: number;
  /** Event ids that were handed out but whose version was never stored: kept as void records. */
  eventsVoided: number;
}

export function newRecoveryReport(): RecoveryReport {
  return {
    removed: [],
    truncatedLogBytes: 0,
    metasFromIndex: 0,
    docsRead: 0,
    converted: 0,
    eventsRebuilt: 0,
    eventsVoided: 0,
  };
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
  /** The identity (`fileIdentity`) of each version's file, for the index cache. */
  readonly docs: string[];
  /** The id of the event each version was committed with (0 for none). */
  readonly events: number[];
  /** False when `index.json` was missing or did not match the version files (so it is worth rewriting). */
  readonly indexFresh: boolean;
  readonly variants: VariantsDoc;
}

/**
 * Recovers one article folder: removes temps, converts versions of the older two-file layout, then gets every
 * version's meta, from the index cache when the version file is unchanged since the cache was written, else from the
 * file. A version file appears under its final name only whole (src/lib/atomic-write.ts), so there is no partial version to
 * remove; a gap in the numbers is damage, refused with `E_CORRUPT`.
 */
export async function recoverArticle(
  dir: string,
  id: string,
  report: RecoveryReport,
  readOnly: boolean,
): Promise<RecoveredArticle> {
  await removeTempFiles(dir, report, readOnly);
  let names = await readdir(dir);
  if (names.some((name) => ['raw', 'json'].includes(parseVersionFileName(name)?.ext ?? ''))) {
    if (readOnly) {
      throw new WirediffError(
        'E_STORE_OUTDATED',
        `${dir}: written by an older wirediff (each version as a .raw and a .json file); open the store once for writing (wirediff watch, ingest or reparse) to convert it`,
      );
    }
    await convertTwoFileVersions(dir, id, names, report);
    names = await readdir(dir);
  }
  const versions = new Set<number>();
  let hasVariants = false;
  for (const name of names) {
    if (name === VARIANTS_FILE) hasVariants = true;
    const v = parseVersionFileName(name);
    if (v?.ext === 'wdv') versions.add(v.n);
  }
  const count = versions.size;
  for (let n = 1; n <= count; n++) {
    if (!versions.has(n)) {
      throw new WirediffError(
        'E_CORRUPT',
        `${dir}: version ${n} is missing while version ${Math.max(...versions)} exists`,
      );
    }
  }
  const metas: VersionMeta[] = new Array<VersionMeta>(count);
  const docs: string[] = new Array<string>(count);
  const events: number[] = new Array<number>(count).fill(0);
  const cached = names.includes(INDEX_FILE) ? await readMetaIndex(join(dir, INDEX_FILE)) : undefined;
  let indexFresh = cached !== undefined && cached.entries.length === count;
  // Stat (and where needed read) the version files with a little concurrency.
  let next = 1;
  const worker = async (): Promise<void> => {
    while (next <= count) {
      const n = next++;
      const p = join(dir, versionFileName(n));
      const identity = await fileIdentity(p);
      const entry = cached?.entries[n - 1];
      if (entry?.doc === identity && entry.meta.version === n && entry.meta.article === id) {
        metas[n - 1] = entry.meta;
        events[n - 1] = entry.event ?? 0;
        report.metasFromIndex++;
      } else {
        const head = await readVersionHead(p);
        const doc = decodeVersionDoc(head.doc, p, id, n);
        checkRawLength(head, doc.version.meta.rawBytes, p);
        // Its own strings, not views into the whole document read (see ownMeta).
        metas[n - 1] = ownMeta(doc.version.meta);
        events[n - 1] = doc.event?.id ?? 0;
        report.docsRead++;
        indexFresh = false;
      }
      docs[n - 1] = identity;
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  let variants = emptyVariants();
  if (hasVariants) {
    const p = join(dir, VARIANTS_FILE);
    variants = decodeVariants(await readFile(p), p);
  }
  return { metas, docs, events, indexFresh, variants };
}

/**
 * Converts the older layout (each version as `NNNNNN.raw` + `NNNNNN.json`) to version files, one version at a time:
 * the `.wdv` is written atomically first, then the two old files are removed, so a crash at any point leaves each
 * version readable (a `.wdv` beside leftovers of its old pair wins, and the leftovers are removed on the next open).
 * As in that layout, only the newest number could be half written (never acknowledged): it is removed.
 */
async function convertTwoFileVersions(
  dir: string,
  id: string,
  names: readonly string[],
  report: RecoveryReport,
): Promise<void> {
  const raws = new Set<number>();
  const jsons = new Set<number>();
  const wdvs = new Set<number>();
  for (const name of names) {
    const v = parseVersionFileName(name);
    if (v) ({ raw: raws, json: jsons, wdv: wdvs })[v.ext].add(v.n);
  }
  const top = Math.max(0, ...raws, ...jsons);
  for (let n = 1; n <= top; n++) {
    const rawPath = join(dir, versionFileName(n, 'raw'));
    const jsonPath = join(dir, versionFileName(n, 'json'));
    if (!wdvs.has(n)) {
      if (!raws.has(n) || !jsons.has(n)) {
        if (n < top) {
          throw new WirediffError(
            'E_CORRUPT',
            `${dir}: version ${n} is missing its ${raws.has(n) ? 'document' : 'raw source'} while version ${top} exists`,
          );
        }
      } else {
        const doc = decodeVersionDoc(await readFile(jsonPath), jsonPath, id, n);
        const raw = await readFile(rawPath);
        if (raw.length !== doc.version.meta.rawBytes) {
          throw new WirediffError(
            'E_CORRUPT',
            `${rawPath}: ${raw.length} bytes on disk, its meta says ${doc.version.meta.rawBytes}`,
          );
        }
        await writeFileAtomic(
          join(dir, versionFileName(n)),
          await encodeVersionFileCompact(encodeVersionDoc(doc.version, null), raw),
        );
        report.converted++;
      }
    }
    for (const [set, path] of [
      [raws, rawPath],
      [jsons, jsonPath],
    ] as const) {
      if (!set.has(n)) continue;
      await rm(path, { force: true });
      report.removed.push(path);
    }
  }
  await fsyncDir(dir);
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
