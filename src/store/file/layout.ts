/**
 * Where things live under the store's folder:
 *
 *   <dir>/events.log                     the global append-only event log (framed records, see record-framing.ts)
 *   <dir>/articles/<id>/000001.wdv       version 1: its document (meta + extracted article + ChangeSet + event
 *                                        reference) and its raw source bytes exactly as fetched, in one file
 *                                        (version-file.ts, version-doc.ts)
 *   <dir>/articles/<id>/variants.json    counters of known variants seen again (A/B headlines, flip-flops)
 *   <dir>/articles/<id>/index.json       a cache of the version metas, checked against the version files (meta-index.ts)
 *   <dir>/lock                           locked (an OS lock) by the process that has the store open for writing,
 *                                        and holding its pid (store-lock.ts)
 *   .tmp-*                               temp files of atomic writes in progress; removed on open
 *
 * Stores written by wirediff before December 2026 kept each version as two files, `000001.raw` and `000001.json`;
 * opening such a store for writing converts them (recovery.ts), and a read-only open refuses it with a message.
 *
 * Articles live under `articles/` rather than beside `events.log` so that no valid id (`events.log` is one) can
 * collide with the store's own files. Paths are built only from checked ids and numbers.
 */
import { join } from 'node:path';
import { checkArticleId } from './input-checks.js';

export const EVENTS_FILE = 'events.log';
export const ARTICLES_DIR = 'articles';
export const LOCK_FILE = 'lock';
export const VARIANTS_FILE = 'variants.json';

/** `wdv` is a version file; `raw` and `json` are the two halves of a version in the older layout. */
export type VersionFileExt = 'wdv' | 'raw' | 'json';

const VERSION_FILE = /^(\d{6,})\.(wdv|raw|json)$/;

export function articlesRoot(root: string): string {
  return join(root, ARTICLES_DIR);
}

export function articleDir(root: string, id: string): string {
  checkArticleId(id, 'store path');
  return join(root, ARTICLES_DIR, id);
}

export function versionFileName(n: number, ext: VersionFileExt = 'wdv'): string {
  return `${String(n).padStart(6, '0')}.${ext}`;
}

/** Parses a version file name (`000012.wdv`) into its number and extension; undefined for other names. */
export function parseVersionFileName(name: string): { n: number; ext: VersionFileExt } | undefined {
  const m = VERSION_FILE.exec(name);
  if (!m) return undefined;
  const n = Number(m[1]);
  const ext = m[2] as VersionFileExt;
  if (!Number.isSafeInteger(n) || n < 1 || versionFileName(n, ext) !== name) return undefined;
  return { n, ext };
}
