/**
 * The JSON document kept beside each version's raw bytes: its metadata, the extracted article and the ChangeSet
 * against the previous version (null for version 1), computed once by the caller and stored as given.
 */
import { WirediffError } from '../../core/errors.js';
import type { Article } from '../../core/model/article.js';
import type { ChangeSet } from '../../core/model/changeset.js';
import type { StoredVersion, VersionMeta } from '../../core/model/version.js';

export const VERSION_DOC_SCHEMA = 'wirediff.snapshot/1' as const;

export interface VersionDoc {
  readonly schema: typeof VERSION_DOC_SCHEMA;
  readonly meta: VersionMeta;
  readonly article: Article;
  readonly changes: ChangeSet | null;
}

export function encodeVersionDoc(v: StoredVersion): Buffer {
  const doc: VersionDoc = { schema: VERSION_DOC_SCHEMA, meta: v.meta, article: v.article, changes: v.changes };
  return Buffer.from(JSON.stringify(doc), 'utf8');
}

/** Parses and checks a version document; `E_CORRUPT` naming `where` when it is not one (or not version `n` of `id`). */
export function decodeVersionDoc(bytes: Uint8Array, where: string, id: string, n: number): StoredVersion {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch (cause) {
    throw new WirediffError('E_CORRUPT', `${where}: not valid JSON`, { cause });
  }
  const d = doc as Partial<VersionDoc> | null;
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
  if (d.changes === undefined || typeof d.changes !== 'object') {
    throw new WirediffError('E_CORRUPT', `${where}: no ChangeSet (null for a first version)`);
  }
  return { meta, article: d.article, changes: d.changes };
}
