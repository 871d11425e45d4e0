/**
 * Reading one version of an article from a file (or standard input) for the commands that take files.
 */
import { parseArticle } from '../core/extract/index.js';
import type { Article } from '../core/model/article.js';
import { WirediffError } from '../core/errors.js';
import { decodeBody, readFileSource } from '../sources/index.js';

/** The largest file `diff` and `ingest` read: generous for any article, small enough to refuse a mistake. */
export const MAX_VERSION_FILE_BYTES = 20 * 1024 * 1024;

export interface LoadedVersion {
  readonly path: string;
  readonly bytes: Uint8Array;
  readonly contentType: string;
  readonly text: string;
  readonly article: Article;
}

/** Reads, decodes and parses a version file; every failure is a WirediffError whose message names the file. */
export async function loadVersionFile(path: string): Promise<LoadedVersion> {
  let source: { bytes: Uint8Array; contentType: string };
  try {
    source = await readFileSource(path, { maxBytes: MAX_VERSION_FILE_BYTES });
  } catch (err) {
    throw named(path, err);
  }
  const { text } = decodeBody(source.bytes, source.contentType);
  const format = source.contentType.startsWith('text/html') ? 'html' : 'text';
  try {
    const article = parseArticle({ body: text, format });
    return { path, bytes: source.bytes, contentType: source.contentType, text, article };
  } catch (err) {
    throw named(path, err);
  }
}

function named(path: string, err: unknown): WirediffError {
  if (err instanceof WirediffError && err.code === 'E_INPUT_TOO_LARGE') {
    // Not the config's fetch.maxBytes: a fixed limit of the commands that read version files.
    return new WirediffError(
      err.code,
      `${path}: more than ${MAX_VERSION_FILE_BYTES} bytes (${MAX_VERSION_FILE_BYTES / 1024 / 1024} MiB), the most a ` +
        'version file can be: is it an article file?',
      { cause: err },
    );
  }
  if (err instanceof WirediffError) {
    return err.message.includes(path) ? err : new WirediffError(err.code, `${path}: ${err.message}`, { cause: err });
  }
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const reason =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EACCES'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'is a folder, not a file'
          : err instanceof Error
            ? err.message
            : String(err);
  return new WirediffError('E_IO', `${path}: cannot read: ${reason}`, { cause: err });
}
