/**
 * Moving a history between machines: the `wirediff.export/1` JSON-lines format, written by `wirediff export` and read
 * by `wirediff import`.
 *
 * The file is one JSON value per line:
 * 1. a header `{ "type": "wirediff-export", "schema": "wirediff.export/1", "exportedAt", "articles": n }`;
 * 2. every version of every exported article, oldest first per article:
 *    `{ "type": "version", "meta", "article", "changes", "raw": base64, "contentType" }`;
 * 3. the events of those articles, oldest first: `{ "type": "event", ...ChangeEvent }`.
 *
 * Import checks the whole file before it writes anything (every line, the version numbering, the raw bytes against
 * their sha256, the events against the versions) and refuses an article that already has versions in the store
 * (unless asked to skip it). Versions keep their numbers, times and origins; events keep their times and get new
 * ids from the receiving event log.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { WirediffError } from '../core/errors.js';
import type { Article } from '../core/model/article.js';
import type { ChangeSet } from '../core/model/changeset.js';
import { EVENT_SCHEMA, type ChangeEvent, type NewChangeEvent } from '../core/model/event.js';
import { isArticleId, type ArticleId, type VersionMeta, type VersionOrigin } from '../core/model/version.js';
import type { EventLog, SnapshotStore } from '../store/types.js';

export const EXPORT_SCHEMA = 'wirediff.export/1' as const;
export const EXPORT_TYPE = 'wirediff-export' as const;

export interface ExportHeader {
  readonly type: typeof EXPORT_TYPE;
  readonly schema: typeof EXPORT_SCHEMA;
  readonly exportedAt: string;
  readonly articles: number;
}

export interface ExportVersionLine {
  readonly type: 'version';
  readonly meta: VersionMeta;
  readonly article: Article;
  readonly changes: ChangeSet | null;
  /** The raw source bytes, base64. */
  readonly raw: string;
  readonly contentType: string;
}

export type ExportEventLine = { readonly type: 'event' } & ChangeEvent;

/** Progress of a long export or import: `done` of `total` versions. */
export interface HistoryProgress {
  readonly done: number;
  readonly total: number;
  readonly article: ArticleId;
}

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
  return { articles: plan.length, versions: total, events };
}

// ---------------------------------------------------------------------------------------------------------------
// Reading and checking an export.

/** One article's history as read from an export, checked and ready to append. */
export interface ImportedArticle {
  readonly id: ArticleId;
  /** How many versions the file holds (`versions` is empty when the file was read without keeping them). */
  readonly count: number;
  readonly versions: readonly {
    readonly meta: VersionMeta;
    readonly article: Article;
    readonly changes: ChangeSet | null;
    readonly raw: Uint8Array;
    readonly contentType: string;
  }[];
  readonly events: readonly NewChangeEvent[];
}

export interface ParsedExport {
  readonly header: ExportHeader;
  readonly articles: readonly ImportedArticle[];
  /** Events in file order (each names an article of `articles`); empty when read without keeping them. */
  readonly events: readonly NewChangeEvent[];
  readonly eventCount: number;
}

const ORIGIN_KINDS: readonly VersionOrigin['kind'][] = ['url', 'feed', 'file', 'dir', 'push', 'import'];
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** At most this many problems are listed; the rest are counted. */
const MAX_LISTED = 20;

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v !== 'object') return typeof v;
  return Array.isArray(v) ? 'an array' : 'an object';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isTime(v: unknown): v is string {
  return typeof v === 'string' && !Number.isNaN(Date.parse(v));
}

function isCount(v: unknown, min: number): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= min;
}

/** Problems with one line, as short phrases ("meta.version: expected an integer from 1, got 0"). */
type Problems = string[];

function checkHeader(v: Record<string, unknown>, p: Problems): void {
  if (v['schema'] !== EXPORT_SCHEMA) {
    p.push(
      `schema ${show(v['schema'])} is not supported (expected "${EXPORT_SCHEMA}"; export again with this wirediff)`,
    );
    return;
  }
  if (!isTime(v['exportedAt'])) p.push(`exportedAt: expected an ISO 8601 time, got ${show(v['exportedAt'])}`);
  if (!isCount(v['articles'], 0)) p.push(`articles: expected a count from 0, got ${show(v['articles'])}`);
}

function checkArticleId(what: string, id: unknown, p: Problems): id is ArticleId {
  if (isArticleId(id)) return true;
  p.push(
    `${what}: ${show(id)} is not an article id (1-120 of a-z 0-9 . _ -, starting with a letter or digit, no "..")`,
  );
  return false;
}

function checkArticle(what: string, a: unknown, p: Problems): void {
  if (!isObject(a)) {
    p.push(`${what}: expected an extracted article (an object), got ${show(a)}`);
    return;
  }
  if (typeof a['title'] !== 'string') p.push(`${what}.title: expected a string, got ${show(a['title'])}`);
  if (typeof a['extractor'] !== 'string') p.push(`${what}.extractor: expected a string, got ${show(a['extractor'])}`);
  if (!Array.isArray(a['blocks'])) p.push(`${what}.blocks: expected an array, got ${show(a['blocks'])}`);
  const paras = a['paragraphs'];
  if (!Array.isArray(paras)) {
    p.push(`${what}.paragraphs: expected an array, got ${show(paras)}`);
    return;
  }
  const bad = paras.findIndex((x) => !isObject(x) || typeof x['text'] !== 'string' || typeof x['norm'] !== 'string');
  if (bad >= 0) p.push(`${what}.paragraphs[${bad}]: expected a paragraph with text and norm`);
}

function checkVersionLine(v: Record<string, unknown>, p: Problems): ImportedArticle['versions'][number] | undefined {
  const meta = v['meta'];
  if (!isObject(meta)) {
    p.push(`meta: expected an object, got ${show(meta)}`);
    return undefined;
  }
  checkArticleId('meta.article', meta['article'], p);
  if (!isCount(meta['version'], 1)) p.push(`meta.version: expected an integer from 1, got ${show(meta['version'])}`);
  if (!isTime(meta['fetchedAt'])) p.push(`meta.fetchedAt: expected an ISO 8601 time, got ${show(meta['fetchedAt'])}`);
  const origin = meta['origin'];
  if (!isObject(origin) || !(ORIGIN_KINDS as readonly unknown[]).includes(origin['kind'])) {
    p.push(
      `meta.origin.kind: expected one of ${ORIGIN_KINDS.join(', ')}, got ${show(isObject(origin) ? origin['kind'] : origin)}`,
    );
  }
  for (const key of ['contentType', 'rawHash', 'contentHash', 'extractor', 'title', 'kind', 'summary'] as const) {
    if (typeof meta[key] !== 'string') p.push(`meta.${key}: expected a string, got ${show(meta[key])}`);
  }
  for (const key of ['rawBytes', 'paragraphs'] as const) {
    if (!isCount(meta[key], 0)) p.push(`meta.${key}: expected a count from 0, got ${show(meta[key])}`);
  }
  if (typeof meta['significance'] !== 'number' || !Number.isFinite(meta['significance'])) {
    p.push(`meta.significance: expected a number, got ${show(meta['significance'])}`);
  }
  checkArticle('article', v['article'], p);
  const changes = v['changes'];
  if (meta['version'] === 1 && changes !== null) p.push(`changes: expected null for version 1, got ${show(changes)}`);
  if (meta['version'] !== 1 && !isObject(changes)) {
    p.push(`changes: expected the ChangeSet against the previous version (an object), got ${show(changes)}`);
  }
  if (typeof v['contentType'] !== 'string' || v['contentType'] !== meta['contentType']) {
    p.push(`contentType: expected the meta's content type ${show(meta['contentType'])}, got ${show(v['contentType'])}`);
  }
  const raw64 = v['raw'];
  let raw: Buffer | undefined;
  if (typeof raw64 !== 'string' || raw64.length % 4 !== 0 || !BASE64.test(raw64)) {
    p.push(`raw: expected the raw source as base64, got ${show(raw64)}`);
  } else {
    raw = Buffer.from(raw64, 'base64');
    if (raw.length !== meta['rawBytes']) {
      p.push(`raw: ${raw.length} bytes, but meta.rawBytes says ${show(meta['rawBytes'])}`);
    } else if (createHash('sha256').update(raw).digest('hex') !== meta['rawHash']) {
      p.push('raw: the bytes do not match meta.rawHash (the line was changed or damaged)');
    }
  }
  if (p.length > 0 || raw === undefined) return undefined;
  return {
    meta: meta as unknown as VersionMeta,
    article: v['article'] as Article,
    changes: changes as ChangeSet | null,
    raw: new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength),
    contentType: v['contentType'] as string,
  };
}

function checkEventLine(v: Record<string, unknown>, p: Problems): NewChangeEvent | undefined {
  if (v['schema'] !== EVENT_SCHEMA) p.push(`schema: expected "${EVENT_SCHEMA}", got ${show(v['schema'])}`);
  checkArticleId('article', v['article'], p);
  if (!isCount(v['version'], 1)) p.push(`version: expected an integer from 1, got ${show(v['version'])}`);
  if (!isTime(v['at'])) p.push(`at: expected an ISO 8601 time, got ${show(v['at'])}`);
  for (const key of ['title', 'kind', 'summary'] as const) {
    if (typeof v[key] !== 'string') p.push(`${key}: expected a string, got ${show(v[key])}`);
  }
  if (typeof v['significance'] !== 'number' || !Number.isFinite(v['significance'])) {
    p.push(`significance: expected a number, got ${show(v['significance'])}`);
  }
  if (v['changes'] !== null && !isObject(v['changes'])) {
    p.push(`changes: expected a ChangeSet or null, got ${show(v['changes'])}`);
  }
  if (p.length > 0) return undefined;
  return {
    at: v['at'] as string,
    article: v['article'] as ArticleId,
    version: v['version'] as number,
    title: v['title'] as string,
    kind: v['kind'] as NewChangeEvent['kind'],
    summary: v['summary'] as string,
    significance: v['significance'] as number,
    changes: v['changes'] as ChangeSet | null,
  };
}

export interface ReadExportOptions {
  /**
   * Keep the versions and events in memory (default). With `false` only the plan is kept (ids and counts): for a
   * first pass over a file that a second pass (`importExportFile`) reads again.
   */
  readonly keep?: boolean;
  /** Called with every non-empty line, in order (the header included). */
  readonly onLine?: (text: string) => void;
}

/**
 * Reads and checks a whole export from `input` (named `name` in messages). Throws one `E_CORRUPT` error listing
 * every problem as `line N: …` (up to 20), so a damaged file is refused as a whole.
 */
export async function readExport(
  input: NodeJS.ReadableStream,
  name: string,
  options: ReadExportOptions = {},
): Promise<ParsedExport> {
  const keep = options.keep !== false;
  const problems: string[] = [];
  let more = 0;
  const report = (line: number, what: string): void => {
    if (problems.length < MAX_LISTED) problems.push(`line ${line}: ${what}`);
    else more++;
  };
  let header: ExportHeader | undefined;
  const byId = new Map<
    ArticleId,
    { count: number; versions: ImportedArticle['versions'][number][]; events: NewChangeEvent[] }
  >();
  const events: NewChangeEvent[] = [];
  let eventCount = 0;
  let n = 0;
  let sawHeader = false;
  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const text of lines) {
    n++;
    if (text.trim() === '') continue;
    options.onLine?.(text);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      report(n, `not JSON (${err instanceof Error ? err.message : String(err)})`);
      continue;
    }
    if (!isObject(value)) {
      report(n, `expected a JSON object, got ${show(value)}`);
      continue;
    }
    const p: Problems = [];
    if (!sawHeader) {
      sawHeader = true;
      if (value['type'] !== EXPORT_TYPE) {
        report(n, `expected the header {"type": "${EXPORT_TYPE}", ...}: is this a wirediff export?`);
        break;
      }
      checkHeader(value, p);
      if (p.length > 0) {
        for (const x of p) report(n, x);
        break;
      }
      header = value as unknown as ExportHeader;
      continue;
    }
    if (value['type'] === 'version') {
      const v = checkVersionLine(value, p);
      if (v !== undefined) {
        const entry = byId.get(v.meta.article) ?? { count: 0, versions: [], events: [] };
        const expected = entry.count + 1;
        if (v.meta.version !== expected) {
          p.push(
            `${v.meta.article} v${v.meta.version}: expected version ${expected} next (versions come in order from 1)`,
          );
        } else {
          entry.count++;
          if (keep) entry.versions.push(v);
          byId.set(v.meta.article, entry);
        }
      }
    } else if (value['type'] === 'event') {
      const e = checkEventLine(value, p);
      if (e !== undefined) {
        const entry = byId.get(e.article);
        if (entry === undefined || e.version > entry.count) {
          p.push(`event for ${e.article} v${e.version}, but that version is not in the file before it`);
        } else {
          eventCount++;
          if (keep) {
            entry.events.push(e);
            events.push(e);
          }
        }
      }
    } else {
      p.push(`unknown line type ${show(value['type'])} (expected "version" or "event")`);
    }
    for (const x of p) report(n, x);
  }
  if (!sawHeader) problems.push('the file is empty (expected a wirediff export)');
  if (header !== undefined && problems.length === 0 && header.articles !== byId.size) {
    problems.push(`line 1: the header says ${header.articles} articles, the file holds ${byId.size}`);
  }
  if (problems.length > 0 || header === undefined) {
    throw new WirediffError(
      'E_CORRUPT',
      `${name}: cannot import, nothing was written:\n  ${problems.join('\n  ')}` +
        (more > 0 ? `\n  ... and ${more} more problem(s)` : ''),
    );
  }
  return {
    header,
    articles: [...byId].map(([id, e]) => ({ id, count: e.count, versions: e.versions, events: e.events })),
    events,
    eventCount,
  };
}

export interface ImportOptions {
  /** Skip articles that already have versions in the store instead of refusing the import. */
  readonly skipExisting?: boolean;
  /** Names the store in messages. */
  readonly storeName?: string;
  readonly onProgress?: (p: HistoryProgress) => void;
}

export interface ImportResult {
  readonly imported: readonly { readonly id: ArticleId; readonly versions: number }[];
  readonly skipped: readonly { readonly id: ArticleId; readonly existing: number }[];
  readonly versions: number;
  readonly events: number;
}

/** The articles of the file that already have versions; throws `E_CONFLICT` (nothing written) unless skipping. */
async function checkConflicts(
  store: SnapshotStore,
  articles: readonly ImportedArticle[],
  options: ImportOptions,
): Promise<{ id: ArticleId; existing: number }[]> {
  const skipped: { id: ArticleId; existing: number }[] = [];
  for (const a of articles) {
    const existing = (await store.listVersions(a.id)).length;
    if (existing > 0) skipped.push({ id: a.id, existing });
  }
  if (skipped.length > 0 && options.skipExisting !== true) {
    const where = options.storeName !== undefined ? ` in ${options.storeName}` : '';
    throw new WirediffError(
      'E_CONFLICT',
      `cannot import: ${skipped.map((s) => `"${s.id}" already has ${s.existing} version(s)`).join(', ')}${where}; ` +
        'nothing was written (use --skip-existing to import only the other articles, or import into another store)',
    );
  }
  return skipped;
}

function appendImported(store: SnapshotStore, v: ImportedArticle['versions'][number]): Promise<VersionMeta> {
  return store.appendVersion({
    article: v.meta.article,
    fetchedAt: v.meta.fetchedAt,
    origin: v.meta.origin,
    contentType: v.contentType,
    raw: v.raw,
    parsed: v.article,
    contentHash: v.meta.contentHash,
    changes: v.changes,
    expectedLatest: v.meta.version - 1,
  });
}

function result(
  articles: readonly ImportedArticle[],
  skipped: { id: ArticleId; existing: number }[],
  events: number,
): ImportResult {
  const skip = new Set(skipped.map((s) => s.id));
  const imported = articles.filter((a) => !skip.has(a.id)).map((a) => ({ id: a.id, versions: a.count }));
  return { imported, skipped, versions: imported.reduce((n, a) => n + a.versions, 0), events };
}

/**
 * Appends a checked export (read with `readExport`, kept in memory) to the store and the event log. Refuses
 * (`E_CONFLICT`, nothing written) when an article already has versions, unless `skipExisting`. Versions are appended
 * with `expectedLatest`, so a concurrent writer makes the import fail rather than interleave.
 */
export async function importHistory(
  deps: { readonly store: SnapshotStore; readonly log: EventLog },
  parsed: ParsedExport,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const { store, log } = deps;
  const skipped = await checkConflicts(store, parsed.articles, options);
  const skip = new Set(skipped.map((s) => s.id));
  const todo = parsed.articles.filter((a) => !skip.has(a.id));
  const total = todo.reduce((n, a) => n + a.versions.length, 0);
  let done = 0;
  for (const a of todo) {
    for (const v of a.versions) {
      await appendImported(store, v);
      done++;
      options.onProgress?.({ done, total, article: a.id });
    }
  }
  let events = 0;
  for (const e of parsed.events) {
    if (skip.has(e.article)) continue;
    await log.append(e);
    events++;
  }
  return result(parsed.articles, skipped, events);
}

function lineHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64');
}

/** An export file checked by a first pass: its plan and a hash of each line, for the second pass to compare. */
export interface CheckedExportFile {
  readonly file: string;
  readonly name: string;
  readonly plan: ParsedExport;
  readonly lineHashes: readonly string[];
}

/**
 * The first pass over an export file: checks every line (as `readExport`) without keeping the versions in memory,
 * and remembers a hash of each line. Throws `E_CORRUPT` with `line N:` messages for a damaged file.
 */
export async function checkExportFile(file: string, name: string): Promise<CheckedExportFile> {
  const lineHashes: string[] = [];
  const plan = await readExport(createReadStream(file), name, {
    keep: false,
    onLine: (text) => void lineHashes.push(lineHash(text)),
  });
  return { file, name, plan, lineHashes };
}

/**
 * The second pass: imports a checked file, line by line, so memory stays flat however large the file. Refuses
 * conflicts as `importHistory` does (before writing). Each line is appended only after checking that it is the line
 * the first pass checked; a file changed in between stops the import at the first changed line with `E_CORRUPT`
 * (the message says what was imported so far).
 */
export async function importExportFile(
  deps: { readonly store: SnapshotStore; readonly log: EventLog },
  checked: CheckedExportFile,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const { store, log } = deps;
  const { file, name, plan } = checked;
  const hashes = checked.lineHashes;
  const skipped = await checkConflicts(store, plan.articles, options);
  const skip = new Set(skipped.map((s) => s.id));
  const total = plan.articles.filter((a) => !skip.has(a.id)).reduce((n, a) => n + a.count, 0);
  let done = 0;
  let events = 0;
  let k = 0;
  let n = 0;
  const changed = (line: number): WirediffError => {
    const so = `${done} version(s) and ${events} event(s)`;
    return new WirediffError(
      'E_CORRUPT',
      `${name}: line ${line} changed while it was being imported; stopped after ${so} (check the file, then import it again with --skip-existing)`,
    );
  };
  for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    n++;
    if (text.trim() === '') continue;
    if (lineHash(text) !== hashes[k++]) throw changed(n);
    if (k === 1) continue; // the header
    const value = JSON.parse(text) as Record<string, unknown>;
    if (value['type'] === 'version') {
      const v = checkVersionLine(value, []);
      if (v === undefined) throw changed(n);
      if (skip.has(v.meta.article)) continue;
      await appendImported(store, v);
      done++;
      options.onProgress?.({ done, total, article: v.meta.article });
    } else {
      const e = checkEventLine(value, []);
      if (e === undefined) throw changed(n);
      if (skip.has(e.article)) continue;
      await log.append(e);
      events++;
    }
  }
  if (k !== hashes.length) throw changed(n + 1);
  return result(plan.articles, skipped, events);
}
