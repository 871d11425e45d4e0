/**
 * A per-article cache of version metas (`index.json`), so that opening a large store does not read and parse every
 * version document. It is never the truth: each entry carries the identity of the document it was read from (inode,
 * size, modification time in ns), and on open an entry is used only when the document on disk still has exactly that
 * identity; any other version is read from its document. A missing, stale or unreadable index only costs time.
 * Written on close for the articles that changed (and for those whose index was stale on open).
 */
import { readFile, stat } from 'node:fs/promises';
import type { VersionMeta } from '../../core/model/version.js';

export const INDEX_FILE = 'index.json';
export const META_INDEX_SCHEMA = 'wirediff.meta-index/1' as const;

export interface MetaIndexDoc {
  readonly schema: typeof META_INDEX_SCHEMA;
  /** Entry `i` is version `i + 1`. */
  readonly entries: readonly {
    readonly doc: string;
    readonly meta: VersionMeta;
    /** The id of the event the version was committed with (version-doc.ts); 0 or absent for none. */
    readonly event?: number;
  }[];
}

/** An identity no file has: its entry is never taken from the cache. */
export const UNKNOWN_IDENTITY = '';

/** The identity of a file as the cache records it: `ino:size:mtimeNs`. */
export async function fileIdentity(path: string): Promise<string> {
  const s = await stat(path, { bigint: true });
  return `${s.ino}:${s.size}:${s.mtimeNs}`;
}

/** Reads an index; undefined when it is missing or not one (never an error: it is only a cache). */
export async function readMetaIndex(path: string): Promise<MetaIndexDoc | undefined> {
  try {
    const doc = JSON.parse(await readFile(path, 'utf8')) as Partial<MetaIndexDoc> | null;
    if (typeof doc !== 'object' || doc === null || doc.schema !== META_INDEX_SCHEMA || !Array.isArray(doc.entries)) {
      return undefined;
    }
    return doc as MetaIndexDoc;
  } catch {
    return undefined;
  }
}

export function encodeMetaIndex(
  metas: readonly VersionMeta[],
  docs: readonly string[],
  events: readonly number[],
): Buffer {
  const doc: MetaIndexDoc = {
    schema: META_INDEX_SCHEMA,
    entries: metas.map((meta, i) => ({ doc: docs[i]!, meta, event: events[i] ?? 0 })),
  };
  return Buffer.from(JSON.stringify(doc), 'utf8');
}

/**
 * A copy of a meta that shares no memory with the strings it was made from. V8 makes a substring of 13 characters or
 * more (a title cut from the page by `split`, every string `JSON.parse` reads out of a document) as a view into the
 * whole string it came from, so a meta kept in the index for as long as the store is open would keep its version's
 * whole text (or document) alive with it: about one version's size of memory per version. Metas are small; copying
 * one costs microseconds.
 */
export function ownMeta(meta: VersionMeta): VersionMeta {
  return structuredClone(meta);
}
