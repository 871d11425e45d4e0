/** The metadata both stores keep for a version: made when it is stored, and made again when it is re-extracted. */
import { createHash } from 'node:crypto';
import { contentHash } from '../core/extract/hash.js';
import type { Article } from '../core/model/article.js';
import type { ChangeSet } from '../core/model/changeset.js';
import { derivedMeta, type VersionMeta } from '../core/model/version.js';
import type { NewVersion } from './types.js';

/** The meta of `v` stored as version `n`, its raw source being `raw` (the bytes of `v.raw`). */
export function newVersionMeta(v: NewVersion, n: number, raw: Buffer): VersionMeta {
  return {
    article: v.article,
    version: n,
    fetchedAt: v.fetchedAt,
    origin: v.origin,
    contentType: v.contentType,
    rawBytes: raw.length,
    rawHash: createHash('sha256').update(raw).digest('hex'),
    contentHash: v.contentHash,
    ...derivedMeta(n, v.parsed, v.changes),
  };
}

/**
 * The meta of version `n` (`old`) after re-extraction gave `parsed` and `changes`. The content hash follows the
 * extraction: the next read of the same page must compare equal to it.
 */
export function rederivedMeta(old: VersionMeta, n: number, parsed: Article, changes: ChangeSet | null): VersionMeta {
  return { ...old, ...derivedMeta(n, parsed, changes), contentHash: contentHash(parsed) };
}

/** The bytes of `v.raw`, as a Buffer over the same memory. */
export function rawBuffer(v: NewVersion): Buffer {
  return Buffer.from(v.raw.buffer, v.raw.byteOffset, v.raw.byteLength);
}
