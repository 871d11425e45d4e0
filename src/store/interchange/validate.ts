/**
 * Reading and checking a whole export before anything is written: every line against its schema (schema.ts), the
 * version numbering, the variants lines and the events against the versions. A damaged file is refused as a whole
 * with one `E_CORRUPT` error listing its problems as `line N: …`.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { WirediffError } from '../../core/errors.js';
import { expectedField, showValue } from '../../core/expect.js';
import type { NewChangeEvent } from '../../core/model/event.js';
import type { ArticleId } from '../../core/model/version.js';
import {
  EXPORT_SCHEMA,
  EXPORT_TYPE,
  type ExportEventRef,
  type ExportHeader,
  type ImportedVersion,
  type ParsedExport,
  type VersionIdentity,
} from './format.js';
import { checkEventLine, checkHeader, checkVariantsLine, checkVersionLine, isObject, type Problems } from './schema.js';

/** At most this many problems are listed; the rest are counted. */
const MAX_LISTED = 20;

/** How an export's first line starts. */
const EXPECTED_HEADER = `{"type": "${EXPORT_TYPE}", "schema": "${EXPORT_SCHEMA}", ...}`;

export interface ReadExportOptions {
  /**
   * Keep the versions and events in memory (default). With `false` only the plan is kept (ids and counts): for a
   * first pass over a file that a second pass (`importExportFile`) reads again.
   */
  readonly keep?: boolean;
  /** Called with every non-empty line, in order (the header included). */
  readonly onLine?: (text: string) => void;
}

interface ArticleEntry {
  count: number;
  identities: VersionIdentity[];
  variantsSeen: number | undefined;
  versions: ImportedVersion[];
  events: NewChangeEvent[];
}

/** The plan of an export, built line by line in file order: what each body line adds, or why it cannot. */
class PlanBuilder {
  private readonly byId = new Map<ArticleId, ArticleEntry>();
  private readonly events: NewChangeEvent[] = [];
  private readonly eventRefs: ExportEventRef[] = [];
  private eventCount = 0;

  /** `keep`: keep the versions and events (see `ReadExportOptions.keep`). */
  constructor(private readonly keep: boolean) {}

  get articles(): number {
    return this.byId.size;
  }

  /** Checks one body line (`lineIndex`: its index among the non-empty lines) and adds it; its problems go to `p`. */
  add(value: Record<string, unknown>, lineIndex: number, p: Problems): void {
    if (value['type'] === 'version') {
      const v = checkVersionLine(value, p);
      if (v !== undefined) this.addVersion(v, lineIndex, p);
    } else if (value['type'] === 'event') {
      const e = checkEventLine(value, p);
      if (e !== undefined) this.addEvent(e, p);
    } else if (value['type'] === 'variants') {
      const x = checkVariantsLine(value, p);
      if (x !== undefined) this.addVariants(x.article, x.seen, p);
    } else {
      p.push(expectedField('type', 'a line type: "version", "variants" or "event"', value['type']));
    }
  }

  private addVersion(v: ImportedVersion, lineIndex: number, p: Problems): void {
    const entry = this.byId.get(v.meta.article) ?? {
      count: 0,
      identities: [],
      variantsSeen: undefined,
      versions: [],
      events: [],
    };
    const expected = entry.count + 1;
    if (v.meta.version !== expected) {
      p.push(`${v.meta.article} v${v.meta.version}: expected version ${expected} next (versions come in order from 1)`);
    } else if (entry.variantsSeen !== undefined) {
      p.push(`${v.meta.article} v${v.meta.version}: comes after the article's variants line (expected it last)`);
    } else {
      entry.count++;
      entry.identities.push({ rawHash: v.meta.rawHash, contentHash: v.meta.contentHash, line: lineIndex });
      if (this.keep) entry.versions.push(v);
      this.byId.set(v.meta.article, entry);
    }
  }

  private addEvent(e: NewChangeEvent, p: Problems): void {
    const entry = this.byId.get(e.article);
    if (entry === undefined || e.version > entry.count) {
      p.push(`event for ${e.article} v${e.version}, but that version is not in the file before it`);
      return;
    }
    this.eventCount++;
    this.eventRefs.push({ article: e.article, version: e.version, at: e.at });
    if (this.keep) {
      entry.events.push(e);
      this.events.push(e);
    }
  }

  private addVariants(article: ArticleId, seen: number, p: Problems): void {
    const entry = this.byId.get(article);
    if (entry === undefined) {
      p.push(`variants for ${article}, but no version of it is in the file before it`);
    } else if (entry.variantsSeen !== undefined) {
      p.push(`a second variants line for ${article} (expected one per article)`);
    } else {
      entry.variantsSeen = seen;
    }
  }

  result(header: ExportHeader): ParsedExport {
    return {
      header,
      articles: [...this.byId].map(([id, e]) => ({
        id,
        count: e.count,
        identities: e.identities,
        variantsSeen: e.variantsSeen ?? 0,
        versions: e.versions,
        events: e.events,
      })),
      events: this.events,
      eventRefs: this.eventRefs,
      eventCount: this.eventCount,
    };
  }
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
  const problems: string[] = [];
  let more = 0;
  const report = (line: number, what: string): void => {
    if (problems.length < MAX_LISTED) problems.push(`line ${line}: ${what}`);
    else more++;
  };
  const notAnExport = `expected the header ${EXPECTED_HEADER}: this is not a wirediff export (make one with "wirediff export")`;
  const plan = new PlanBuilder(options.keep !== false);
  let header: ExportHeader | undefined;
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
      report(n, `Expected the line to be a JSON object, got ${showValue(value)}`);
      continue;
    }
    const p: Problems = [];
    if (!sawHeader) {
      sawHeader = true;
      header = checkHeader(value, p);
      if (header === undefined) {
        for (const x of p) report(n, x);
        break;
      }
      continue;
    }
    plan.add(value, lineIndex, p);
    for (const x of p) report(n, x);
  }
  if (!sawHeader) problems.push('the file is empty (expected a wirediff export)');
  if (header !== undefined && problems.length === 0 && header.articles !== plan.articles) {
    problems.push(`line 1: the header says ${header.articles} articles, the file holds ${plan.articles}`);
  }
  if (problems.length > 0 || header === undefined) {
    throw new WirediffError(
      'E_CORRUPT',
      `${name}: cannot import, nothing was written:\n  ${problems.join('\n  ')}` +
        (more > 0 ? `\n  ... and ${more} more problem(s)` : ''),
    );
  }
  return plan.result(header);
}

/** What tells a line read by the first pass from the same line read again by the second. */
export function lineHash(text: string): string {
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
