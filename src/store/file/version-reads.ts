/**
 * Reading a version the file snapshot store's index says exists (version-file.ts, version-doc.ts): a missing file is
 * damage (`E_CORRUPT`), other failures are `E_IO`.
 */
import { join } from 'node:path';
import { WirediffError } from '../../core/errors.js';
import type { ArticleId } from '../../core/model/version.js';
import { articleDir, versionFileName } from './layout.js';
import { decodeVersionDoc } from './version-doc.js';
import type { DecodedVersionDoc } from './version-doc.js';
import { readVersionFile, readVersionHead, readVersionRaw } from './version-file.js';

/** The path of version `n` of `id` under `root`. */
export function versionPath(root: string, id: ArticleId, n: number): string {
  return join(articleDir(root, id), versionFileName(n));
}

/** Reads and decodes version `n`'s document (not its raw bytes), with its size in bytes. */
export async function readDoc(root: string, id: ArticleId, n: number): Promise<DecodedVersionDoc & { bytes: number }> {
  const path = versionPath(root, id, n);
  const head = await readIndexed(path, () => readVersionHead(path));
  return { ...decodeVersionDoc(head.doc, path, id, n), bytes: head.doc.length };
}

/** Reads version `n`'s raw source, `rawBytes` long. */
export function readRaw(root: string, id: ArticleId, n: number, rawBytes: number): Promise<Buffer> {
  const path = versionPath(root, id, n);
  return readIndexed(path, () => readVersionRaw(path, rawBytes));
}

/** Reads version `n`'s whole file: its document (decoded) and its raw source, `rawBytes` long. */
export async function readWhole(
  root: string,
  id: ArticleId,
  n: number,
  rawBytes: number,
): Promise<{ doc: DecodedVersionDoc; raw: Buffer }> {
  const path = versionPath(root, id, n);
  const file = await readIndexed(path, () => readVersionFile(path, rawBytes));
  return { doc: decodeVersionDoc(file.doc, path, id, n), raw: file.raw };
}

/** Reads a file the index says exists: a missing one is damage (`E_CORRUPT`), other failures are `E_IO`. */
async function readIndexed<T>(path: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (cause) {
    if (cause instanceof WirediffError) throw cause;
    const code = (cause as NodeJS.ErrnoException).code;
    throw new WirediffError(code === 'ENOENT' ? 'E_CORRUPT' : 'E_IO', `${path}: cannot read an indexed file`, {
      cause,
    });
  }
}
