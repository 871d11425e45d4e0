/**
 * Moving a history between machines: the `wirediff.export/2` JSON-lines format, written by `wirediff export` and read
 * by `wirediff import` (which still reads `wirediff.export/1` files: the same without variants lines).
 *
 * The file is one JSON value per line:
 * 1. a header `{ "type": "wirediff-export", "schema": "wirediff.export/2", "exportedAt", "articles": n }`;
 * 2. every version of every exported article, oldest first per article:
 *    `{ "type": "version", "meta", "article", "changes", "raw": base64, "contentType" }`, followed (for an article
 *    whose known variants were seen again) by `{ "type": "variants", "article", "seen": n }`: the article's
 *    `variantsSeen` counter (absent means 0);
 * 3. the events of those articles, oldest first: `{ "type": "event", ...ChangeEvent }`.
 *
 * Import checks the whole file before it writes anything (every line, the version numbering, the raw bytes against
 * their sha256, the events against the versions). Versions keep their numbers, times and origins; events keep their
 * times and get new ids from the receiving event log.
 *
 * Import stores each version the way the pipeline does, with its event in one step (`commitVersion`, the event at its
 * original time), in the order of the file's events (so ids follow the original order across articles): a crash
 * at any moment leaves no version without its event. A version the file has no event for (trimmed by retention) is
 * stored alone (`appendVersion`); an event beyond a version's first (an old repair's duplicate) is appended to the
 * log, rebuilt from the stored version.
 *
 * Import can be run again after it stopped part-way (a crash, a kill): an article whose stored versions are the
 * first versions of the file's (same numbers, raw and content hashes) is resumed from the next version, and an event
 * already in the log for the same article and version is not appended twice (one missing for a stored version, as
 * imports before December 2026 could leave, is added). An article whose stored history
 * differs from the file's is a conflict: refused (nothing written) unless asked to skip it. The variants counter is
 * restored with `SnapshotStore.recordVariant`, one sighting at a time, up to the file's count (see `recordVariants`).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { WirediffError } from '../../core/errors.js';
import type { Article } from '../../core/model/article.js';
import { upgradeChangeSet, upgradeKind, type ChangeSet } from '../../core/model/changeset.js';
import { EVENT_SCHEMA, eventForVersion, type ChangeEvent, type NewChangeEvent } from '../../core/model/event.js';
import { isArticleId, type ArticleId, type VersionMeta, type VersionOrigin } from '../../core/model/version.js';
import type { EventLog, NewVersion, SnapshotStore } from '../types.js';

/** The schema `wirediff export` writes. */
export const EXPORT_SCHEMA = 'wirediff.export/2' as const;
/** The schema written before variants lines existed; still imported. */
export const EXPORT_SCHEMA_V1 = 'wirediff.export/1' as const;
const READABLE_SCHEMAS: readonly string[] = [EXPORT_SCHEMA, EXPORT_SCHEMA_V1];
export const EXPORT_TYPE = 'wirediff-export' as const;

export interface ExportHeader {
  readonly type: typeof EXPORT_TYPE;
  readonly schema: typeof EXPORT_SCHEMA | typeof EXPORT_SCHEMA_V1;
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

/**
 * An article's known-variants counter (`ArticleSummary.variantsSeen`: how often a page equal to an earlier version
 * was seen again without making a version). Follows the article's last version line; written only when `seen` > 0.
 */
export interface ExportVariantsLine {
  readonly type: 'variants';
  readonly article: ArticleId;
  readonly seen: number;
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

// ---------------------------------------------------------------------------------------------------------------
// Reading and checking an export.

/** One article's history as read from an export, checked and ready to append. */
export interface ImportedArticle {
  readonly id: ArticleId;
  /** How many versions the file holds (`versions` is empty when the file was read without keeping them). */
  readonly count: number;
  /** Per version (index 0 is version 1), what tells one version from another; kept even without `versions`. */
  readonly identities: readonly VersionIdentity[];
  /** The article's variants counter from the file (0 when the file has no variants line for it). */
  readonly variantsSeen: number;
  readonly versions: readonly {
    readonly meta: VersionMeta;
    readonly article: Article;
    readonly changes: ChangeSet | null;
    readonly raw: Uint8Array;
    readonly contentType: string;
  }[];
  readonly events: readonly NewChangeEvent[];
}

export interface VersionIdentity {
  readonly rawHash: string;
  readonly contentHash: string;
  /** Where the version's line is in the file: its index among the non-empty lines (0 is the header). */
  readonly line: number;
}

/** An event of the file, in file order, without its content (rebuilt from its version on import). */
export interface ExportEventRef {
  readonly article: ArticleId;
  readonly version: number;
  readonly at: string;
}

export interface ParsedExport {
  readonly header: ExportHeader;
  readonly articles: readonly ImportedArticle[];
  /** Events in file order (each names an article of `articles`); empty when read without keeping them. */
  readonly events: readonly NewChangeEvent[];
  /** Every event of the file, in file order, as article, version and time: kept even without `events`. */
  readonly eventRefs: readonly ExportEventRef[];
  readonly eventCount: number;
}

const ORIGIN_KINDS: readonly VersionOrigin['kind'][] = ['url', 'feed', 'file', 'dir', 'push', 'import'];
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** At most this many problems are listed; the rest are counted. */
const MAX_LISTED = 20;

/** How an export's first line starts. */
const EXPECTED_HEADER = `{"type": "${EXPORT_TYPE}", "schema": "${EXPORT_SCHEMA}", ...}`;

/** "field: expected X, got nothing" reads as "field: missing (expected X)". */
function plainMissing(what: string): string {
  const m = /^([^:]+): expected (.*), got nothing$/s.exec(what);
  return m ? `${m[1]}: missing (expected ${m[2]})` : what;
}

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
  if (!READABLE_SCHEMAS.includes(v['schema'] as string)) {
    p.push(
      `schema ${show(v['schema'])} is not supported (expected "${EXPORT_SCHEMA}" or "${EXPORT_SCHEMA_V1}"; ` +
        'export again with this wirediff)',
    );
    return;
  }
  if (!isTime(v['exportedAt'])) p.push(`exportedAt: expected an ISO 8601 time, got ${show(v['exportedAt'])}`);
  if (!isCount(v['articles'], 0)) p.push(`articles: expected a count from 0, got ${show(v['articles'])}`);
}

function checkArticleId(what: string, id: unknown, p: Problems): id is ArticleId {
  if (isArticleId(id)) return true;
  if (id === undefined) {
    p.push(`${what}: missing (expected an article id: 1-120 of a-z 0-9 . _ -, starting with a letter or digit)`);
    return false;
  }
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
  if (v['contentType'] === undefined) {
    p.push(
      typeof meta['contentType'] === 'string'
        ? `contentType: missing (expected the meta's content type ${show(meta['contentType'])})`
        : 'contentType: missing (expected a content type such as "text/plain", the same as meta.contentType)',
    );
  } else if (typeof v['contentType'] !== 'string' || v['contentType'] !== meta['contentType']) {
    p.push(
      typeof meta['contentType'] === 'string'
        ? `contentType: expected the meta's content type ${show(meta['contentType'])}, got ${show(v['contentType'])}`
        : `contentType: ${show(v['contentType'])}, but meta.contentType is missing or not a string`,
    );
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
    meta: { ...(meta as unknown as VersionMeta), kind: upgradeKind(meta['kind'] as string) },
    article: v['article'] as Article,
    changes: changes === null ? null : upgradeChangeSet(changes as ChangeSet),
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
    kind: upgradeKind(v['kind'] as string),
    summary: v['summary'] as string,
    significance: v['significance'] as number,
    changes: v['changes'] === null ? null : upgradeChangeSet(v['changes'] as ChangeSet),
  };
}

function checkVariantsLine(v: Record<string, unknown>, p: Problems): ExportVariantsLine | undefined {
  checkArticleId('article', v['article'], p);
  if (!isCount(v['seen'], 0)) p.push(`seen: expected a count from 0, got ${show(v['seen'])}`);
  if (p.length > 0) return undefined;
  return { type: 'variants', article: v['article'] as ArticleId, seen: v['seen'] as number };
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
    if (problems.length < MAX_LISTED) problems.push(`line ${line}: ${plainMissing(what)}`);
    else more++;
  };
  const notAnExport = `expected the header ${EXPECTED_HEADER}: this is not a wirediff export (make one with "wirediff export")`;
  let header: ExportHeader | undefined;
  const byId = new Map<
    ArticleId,
    {
      count: number;
      identities: VersionIdentity[];
      variantsSeen: number | undefined;
      versions: ImportedArticle['versions'][number][];
      events: NewChangeEvent[];
    }
  >();
  const events: NewChangeEvent[] = [];
  const eventRefs: ExportEventRef[] = [];
  let eventCount = 0;
  let n = 0;
  /** Index of the current line among the non-empty ones. */
  let lineIndex = -1;
  let sawHeader = false;
  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const text of lines) {
    n++;
    if (text.trim() === '') continue;
    lineIndex++;
    options.onLine?.(text);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      // A first line that is not the header: not an export at all (a README, a CSV...): said once, not per line.
      if (!sawHeader) {
        sawHeader = true;
        report(n, notAnExport);
        break;
      }
      report(n, `not JSON (${err instanceof Error ? err.message : String(err)})`);
      continue;
    }
    if (!sawHeader && (!isObject(value) || value['type'] !== EXPORT_TYPE)) {
      sawHeader = true;
      report(n, notAnExport);
      break;
    }
    if (!isObject(value)) {
      report(n, `expected a JSON object, got ${show(value)}`);
      continue;
    }
    const p: Problems = [];
    if (!sawHeader) {
      sawHeader = true;
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
        const entry = byId.get(v.meta.article) ?? {
          count: 0,
          identities: [],
          variantsSeen: undefined,
          versions: [],
          events: [],
        };
        const expected = entry.count + 1;
        if (v.meta.version !== expected) {
          p.push(
            `${v.meta.article} v${v.meta.version}: expected version ${expected} next (versions come in order from 1)`,
          );
        } else if (entry.variantsSeen !== undefined) {
          p.push(`${v.meta.article} v${v.meta.version}: comes after the article's variants line (expected it last)`);
        } else {
          entry.count++;
          entry.identities.push({ rawHash: v.meta.rawHash, contentHash: v.meta.contentHash, line: lineIndex });
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
          eventRefs.push({ article: e.article, version: e.version, at: e.at });
          if (keep) {
            entry.events.push(e);
            events.push(e);
          }
        }
      }
    } else if (value['type'] === 'variants') {
      const x = checkVariantsLine(value, p);
      if (x !== undefined) {
        const entry = byId.get(x.article);
        if (entry === undefined) {
          p.push(`variants for ${x.article}, but no version of it is in the file before it`);
        } else if (entry.variantsSeen !== undefined) {
          p.push(`a second variants line for ${x.article} (expected one per article)`);
        } else {
          entry.variantsSeen = x.seen;
        }
      }
    } else {
      p.push(`unknown line type ${show(value['type'])} (expected "version", "variants" or "event")`);
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
    articles: [...byId].map(([id, e]) => ({
      id,
      count: e.count,
      identities: e.identities,
      variantsSeen: e.variantsSeen ?? 0,
      versions: e.versions,
      events: e.events,
    })),
    events,
    eventRefs,
    eventCount,
  };
}

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
export function newVersionOf(v: ImportedArticle['versions'][number]): NewVersion {
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
type VersionReader = (a: ImportedArticle, n: number) => Promise<ImportedArticle['versions'][number]>;

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
