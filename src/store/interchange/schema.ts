/**
 * The lines of an export, as zod schemas: the header, a version line, a variants line and an event line. Every field
 * problem reads "Expected `meta.version` to be an integer from 1, got `0` (number)" (core/expect.ts); a line's
 * problems are all listed, not only the first. What ties fields together (a version 1 has no ChangeSet, the content
 * type is the meta's, the raw bytes match meta.rawBytes and meta.rawHash) is checked after the schema, in code.
 *
 * The schemas only check: an accepted line is used as it was read (unknown fields kept), so an export read and
 * written again is the same.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { expectedField, showValue } from '../../core/expect.js';
import type { Article } from '../../core/model/article.js';
import { upgradeChangeSet, upgradeKind, type ChangeSet } from '../../core/model/changeset.js';
import { EVENT_SCHEMA, type NewChangeEvent } from '../../core/model/event.js';
import { isArticleId, type ArticleId, type VersionMeta, type VersionOrigin } from '../../core/model/version.js';
import {
  EXPORT_SCHEMA,
  EXPORT_SCHEMA_V1,
  READABLE_SCHEMAS,
  type ExportHeader,
  type ExportVariantsLine,
  type ImportedVersion,
} from './format.js';

/** Problems with one line, each a sentence ("Expected `seen` to be a count from 0, got `-1` (number)"). */
export type Problems = string[];

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const ORIGIN_KINDS: readonly VersionOrigin['kind'][] = ['url', 'feed', 'file', 'dir', 'push', 'import'];
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

// Field schemas. Each carries, as its message, what the field must be: the problem line is built from it.

const text = z.string({ error: 'a string' });
const isoTime = z
  .string({ error: 'an ISO 8601 time' })
  .refine((v) => !Number.isNaN(Date.parse(v)), { error: 'an ISO 8601 time' });
/** A safe integer from `min` ("a count from 0", "an integer from 1"). */
const integerFrom = (min: number, what = `an integer from ${min}`) =>
  z.number({ error: what }).int({ error: what }).min(min, { error: what });
const finite = z.number({ error: 'a number' });
const articleId = z.custom<ArticleId>(isArticleId, {
  error: 'an article id (1-120 of a-z 0-9 . _ -, starting with a letter or digit, no "..")',
});
/** A JSON object (any fields). */
const object = (what: string) => z.custom<Record<string, unknown>>(isObject, { error: what });

const headerLine = z.looseObject({
  schema: z.enum([EXPORT_SCHEMA, EXPORT_SCHEMA_V1], {
    error: `a supported schema, "${EXPORT_SCHEMA}" or "${EXPORT_SCHEMA_V1}" (export again with this wirediff)`,
  }),
  exportedAt: isoTime,
  articles: integerFrom(0, 'a count from 0'),
});

const paragraphs = z.array(z.unknown(), { error: 'an array' }).superRefine((list, ctx) => {
  const bad = list.findIndex((x) => !isObject(x) || typeof x['text'] !== 'string' || typeof x['norm'] !== 'string');
  if (bad >= 0) {
    ctx.addIssue({ code: 'custom', path: [bad], message: 'a paragraph with text and norm', input: list[bad] });
  }
});

const extractedArticle = z.looseObject(
  {
    title: text,
    extractor: text,
    blocks: z.array(z.unknown(), { error: 'an array' }),
    paragraphs,
  },
  { error: 'an extracted article (an object)' },
);

const versionMeta = z.looseObject(
  {
    article: articleId,
    version: integerFrom(1),
    fetchedAt: isoTime,
    origin: z.looseObject(
      { kind: z.enum(ORIGIN_KINDS, { error: `one of ${ORIGIN_KINDS.join(', ')}` }) },
      { error: `an origin (an object whose kind is one of ${ORIGIN_KINDS.join(', ')})` },
    ),
    contentType: text,
    rawHash: text,
    contentHash: text,
    extractor: text,
    title: text,
    kind: text,
    summary: text,
    rawBytes: integerFrom(0, 'a count from 0'),
    paragraphs: integerFrom(0, 'a count from 0'),
    significance: finite,
  },
  { error: 'an object' },
);

/** The fields of a version line; `changes`, `contentType` and `raw` depend on the meta and are checked after. */
const versionLine = z.looseObject({ meta: versionMeta, article: extractedArticle });

const eventLine = z.looseObject({
  schema: z.literal(EVENT_SCHEMA, { error: `"${EVENT_SCHEMA}"` }),
  article: articleId,
  version: integerFrom(1),
  at: isoTime,
  title: text,
  kind: text,
  summary: text,
  significance: finite,
  changes: object('a ChangeSet or null').nullable(),
});

const variantsLine = z.looseObject({ article: articleId, seen: integerFrom(0, 'a count from 0') });

/** The problems zod found, as lines ("Expected `meta.version` to be …, got …"); none when the value fits. */
function problemsOf(schema: z.ZodType, value: unknown, p: Problems): boolean {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return true;
  for (const issue of result.error.issues) {
    const path = issue.path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('');
    p.push(expectedField(path.replace(/^\./, ''), issue.message, issue.input));
  }
  return false;
}

/** Checks the header line (whose `type` is the export's). */
export function checkHeader(v: Record<string, unknown>, p: Problems): ExportHeader | undefined {
  if (!READABLE_SCHEMAS.includes(v['schema'] as string)) {
    // An unknown schema: its other fields may mean anything, so only this is said.
    problemsOf(headerLine.pick({ schema: true }), v, p);
    return undefined;
  }
  return problemsOf(headerLine, v, p) ? (v as unknown as ExportHeader) : undefined;
}

/** The checks that tie a version line's fields together: its ChangeSet, content type and raw bytes. */
function checkVersionParts(v: Record<string, unknown>, meta: Record<string, unknown>, p: Problems): Buffer | undefined {
  const changes = v['changes'];
  if (meta['version'] === 1 && changes !== null) p.push(expectedField('changes', 'null for version 1', changes));
  if (meta['version'] !== 1 && !isObject(changes)) {
    p.push(expectedField('changes', 'the ChangeSet against the previous version (an object)', changes));
  }
  const metaType = meta['contentType'];
  if (typeof metaType === 'string') {
    if (v['contentType'] !== metaType) {
      p.push(expectedField('contentType', `the meta's content type ${JSON.stringify(metaType)}`, v['contentType']));
    }
  } else {
    p.push(
      expectedField(
        'contentType',
        'a content type such as "text/plain", the same as meta.contentType (which is missing or not a string)',
        v['contentType'],
      ),
    );
  }
  const raw64 = v['raw'];
  if (typeof raw64 !== 'string' || raw64.length % 4 !== 0 || !BASE64.test(raw64)) {
    p.push(expectedField('raw', 'the raw source as base64', raw64));
    return undefined;
  }
  const raw = Buffer.from(raw64, 'base64');
  if (raw.length !== meta['rawBytes']) {
    const says = typeof meta['rawBytes'] === 'number' ? String(meta['rawBytes']) : showValue(meta['rawBytes']);
    p.push(`Expected \`raw\` to be ${says} bytes (meta.rawBytes), got ${raw.length} bytes`);
    return undefined;
  }
  if (createHash('sha256').update(raw).digest('hex') !== meta['rawHash']) {
    p.push(
      'Expected `raw` to be bytes whose sha256 is meta.rawHash, got other bytes (the line was changed or damaged)',
    );
    return undefined;
  }
  return raw;
}

/** Checks a version line; the version, ready to store, when it has no problem. */
export function checkVersionLine(v: Record<string, unknown>, p: Problems): ImportedVersion | undefined {
  const fits = problemsOf(versionLine, v, p);
  const meta = v['meta'];
  if (!isObject(meta)) return undefined;
  const raw = checkVersionParts(v, meta, p);
  if (!fits || p.length > 0 || raw === undefined) return undefined;
  const changes = v['changes'];
  return {
    meta: { ...(meta as unknown as VersionMeta), kind: upgradeKind(meta['kind'] as string) },
    article: v['article'] as Article,
    changes: changes === null ? null : upgradeChangeSet(changes as ChangeSet),
    raw: new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength),
    contentType: v['contentType'] as string,
  };
}

/** Checks an event line; the event (without id) when it has no problem. */
export function checkEventLine(v: Record<string, unknown>, p: Problems): NewChangeEvent | undefined {
  if (!problemsOf(eventLine, v, p)) return undefined;
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

/** Checks a variants line. */
export function checkVariantsLine(v: Record<string, unknown>, p: Problems): ExportVariantsLine | undefined {
  if (!problemsOf(variantsLine, v, p)) return undefined;
  return { type: 'variants', article: v['article'] as ArticleId, seen: v['seen'] as number };
}
