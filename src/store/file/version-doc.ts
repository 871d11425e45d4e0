/**
 * The JSON document of a version (the head of its `.wdv` file, version-file.ts): its metadata, the extracted article,
 * the ChangeSet against the previous version (null for version 1), computed once by the caller and stored as given,
 * and, when the version was committed together with its change event, that event's id and time.
 *
 * On disk a paragraph's `norm` (its normalized text) is left out when it equals its `text`, which is most paragraphs
 * of most stories: it roughly halves the document, and so the bytes each version writes and fsyncs. Decoding puts it
 * back, so readers always get whole `Article`s.
 *
 * The event reference is what lets the event log skip its own flush: the version file is durable before the event is
 * published, and on open any event the log lost (a crash before the kernel wrote it out) is rebuilt from the
 * documents that name it (open.ts). Documents of versions stored without an event (imports) have `event: null`.
 */
import { WirediffError } from '../../core/errors.js';
import { parseJsonDoc } from './json-doc.js';
import type { Article } from '../../core/model/article.js';
import { upgradeChangeSet, upgradeKind, type ChangeSet } from '../../core/model/changeset.js';
import type { StoredVersion, VersionMeta } from '../../core/model/version.js';
import { articleJson, changesJson, restoreNorms } from '../../lib/encoded-json.js';

export const VERSION_DOC_SCHEMA = 'wirediff.snapshot/1' as const;

/** The change event a version was committed with: its id in the event log and its time. */
export interface EventRef {
  readonly id: number;
  readonly at: string;
}

export interface VersionDoc {
  readonly schema: typeof VERSION_DOC_SCHEMA;
  readonly meta: VersionMeta;
  readonly article: Article;
  readonly changes: ChangeSet | null;
  /** Absent in documents written before events were committed with versions: the same as null. */
  readonly event?: EventRef | null;
}

export interface DecodedVersionDoc {
  readonly version: StoredVersion;
  readonly event: EventRef | null;
}

/**
 * The document's bytes in parts (to be copied once, into the version file's payload): the same bytes as
 * `JSON.stringify({ schema, meta, article, changes, event })` with the article's norms left out, but the article and
 * the ChangeSet are taken as the ingest worker encoded them when it did (encoded.ts), not serialised again here.
 */
export function encodeVersionDocParts(v: StoredVersion, event: EventRef | null): Uint8Array[] {
  return [
    Buffer.from(`{"schema":${JSON.stringify(VERSION_DOC_SCHEMA)},"meta":${JSON.stringify(v.meta)},"article":`, 'utf8'),
    articleJson(v.article),
    Buffer.from(`,"changes":${v.changes === null ? 'null' : ''}`, 'utf8'),
    ...(v.changes === null ? [] : [changesJson(v.changes)]),
    Buffer.from(`,"event":${JSON.stringify(event)}}`, 'utf8'),
  ];
}

export function encodeVersionDoc(v: StoredVersion, event: EventRef | null): Buffer {
  return Buffer.concat(encodeVersionDocParts(v, event));
}

/** Parses and checks a version document; `E_CORRUPT` naming `where` when it is not one (or not version `n` of `id`). */
export function decodeVersionDoc(bytes: Uint8Array, where: string, id: string, n: number): DecodedVersionDoc {
  const d = parseJsonDoc(bytes, where) as Partial<VersionDoc> | null;
  if (typeof d !== 'object' || d === null || d.schema !== VERSION_DOC_SCHEMA) {
    throw new WirediffError('E_CORRUPT', `${where}: expected a ${VERSION_DOC_SCHEMA} document`);
  }
  const meta = d.meta;
  if (typeof meta !== 'object' || meta === null || meta.article !== id || meta.version !== n) {
    throw new WirediffError('E_CORRUPT', `${where}: its meta does not name version ${n} of ${id}`);
  }
  if (typeof d.article !== 'object' || d.article === null || !Array.isArray(d.article.paragraphs)) {
    throw new WirediffError('E_CORRUPT', `${where}: no extracted article`);
  }
  if (!restoreNorms(d.article as unknown as { paragraphs: unknown[] })) {
    throw new WirediffError('E_CORRUPT', `${where}: a paragraph of its article has no text`);
  }
  if (d.changes === undefined || typeof d.changes !== 'object') {
    throw new WirediffError('E_CORRUPT', `${where}: no ChangeSet (null for a first version)`);
  }
  const event = d.event ?? null;
  if (
    event !== null &&
    (typeof event !== 'object' || !Number.isSafeInteger(event.id) || event.id < 1 || typeof event.at !== 'string')
  ) {
    throw new WirediffError('E_CORRUPT', `${where}: its event reference is not {id, at}`);
  }
  // ChangeSets of schema /1 are read as /2 (see upgradeChangeSet).
  const changes = d.changes === null ? null : upgradeChangeSet(d.changes);
  return { version: { meta: { ...meta, kind: upgradeKind(meta.kind) }, article: d.article, changes }, event };
}
