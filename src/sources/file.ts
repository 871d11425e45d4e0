/**
 * Local file sources: reading one article file with guards, and listing the article files of a folder (`dir`).
 */
import { constants as fsConstants, promises as fs } from 'node:fs';
import { extname, isAbsolute, join, relative } from 'node:path';
import { WirediffError } from '../core/errors.js';
import { fileErrorWords } from '../lib/file-errors.js';

export interface FileSource {
  bytes: Uint8Array;
  /** From the extension: `text/html` (.html, .htm), `application/xhtml+xml` (.xhtml), else `text/plain`. */
  contentType: string;
  mtimeMs: number;
}

const ARTICLE_EXTENSIONS = new Set(['.txt', '.html', '.htm', '.md']);
const READ_CHUNK_BYTES = 256 * 1024;
/** Bytes examined by the binary check. */
const SNIFF_BYTES = 8192;

/** Content type for a file name, from its extension. */
export function contentTypeForPath(file: string): string {
  const ext = extname(file).toLowerCase();
  if (ext === '.html' || ext === '.htm') return 'text/html';
  if (ext === '.xhtml') return 'application/xhtml+xml';
  return 'text/plain';
}

/**
 * True when the bytes look binary: a NUL byte, or more than 10% control characters (other than tab, newlines,
 * form feed and escape) in the first 8 KiB. Text with a UTF-16 byte-order mark is not binary.
 */
export function looksBinary(bytes: Uint8Array): boolean {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    return false;
  }
  const n = Math.min(bytes.length, SNIFF_BYTES);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === 0) return true;
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) || b === 0x7f) control++;
  }
  return n > 0 && control / n > 0.1;
}

function ioError(path: string, action: string, cause: unknown, what: 'file' | 'folder' = 'file'): WirediffError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  return new WirediffError(
    code === 'ENOENT' ? 'E_NOT_FOUND' : 'E_IO',
    fileErrorWords(path, code, what) ?? `${path}: could not ${action}${code !== undefined ? ` (${code})` : ''}`,
    { cause },
  );
}

/**
 * Reads an article file. Throws E_NOT_FOUND (missing: "no such file: PATH"), E_IO (a folder, not a regular file,
 * unreadable: "permission denied: PATH"), E_INPUT_TOO_LARGE
 * (more than maxBytes, checked before reading and while reading), E_INPUT_EMPTY (0 bytes or only whitespace) or
 * E_INPUT_BINARY.
 */
export async function readFileSource(file: string, options: { maxBytes: number }): Promise<FileSource> {
  const { maxBytes } = options;
  if (!Number.isInteger(maxBytes) || maxBytes < 1) {
    throw new WirediffError('E_CONFIG', `Expected \`maxBytes\` to be a positive integer, got \`${String(maxBytes)}\``);
  }
  let handle: fs.FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO must not hang waiting for a writer (it is then refused as not a regular file).
    handle = await fs.open(file, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  } catch (cause) {
    throw ioError(file, 'open the file', cause);
  }
  try {
    let stat;
    try {
      stat = await handle.stat();
    } catch (cause) {
      throw ioError(file, 'stat the file', cause);
    }
    if (stat.isDirectory()) throw new WirediffError('E_IO', `${file} is a folder, not a file`);
    if (!stat.isFile()) throw new WirediffError('E_IO', `${file}: not a regular file (a pipe, socket or device)`);
    if (stat.size > maxBytes) {
      throw new WirediffError(
        'E_INPUT_TOO_LARGE',
        `${file}: ${stat.size} bytes is more than the limit of ${maxBytes} bytes (the config's fetch.maxBytes); ` +
          'if this is an article, raise fetch.maxBytes in the config, else move the file out of the watched folder',
      );
    }
    // Read in chunks until EOF or past maxBytes: the size from stat can be stale (a growing file) or 0 (procfs).
    const chunks: Buffer[] = [];
    let length = 0;
    try {
      while (length <= maxBytes) {
        const chunk = Buffer.alloc(Math.min(READ_CHUNK_BYTES, maxBytes + 1 - length));
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
        if (bytesRead === 0) break;
        chunks.push(bytesRead === chunk.length ? chunk : chunk.subarray(0, bytesRead));
        length += bytesRead;
      }
    } catch (cause) {
      throw ioError(file, 'read the file', cause);
    }
    const buffer = Buffer.concat(chunks, length);
    if (length > maxBytes) {
      throw new WirediffError('E_INPUT_TOO_LARGE', `${file}: more than maxBytes (${maxBytes}) bytes`);
    }
    const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, length);
    if (length === 0 || /^[\s\uFEFF]*$/.test(Buffer.from(bytes).toString('utf8'))) {
      throw new WirediffError('E_INPUT_EMPTY', `${file}: the file is empty`);
    }
    if (looksBinary(bytes)) {
      throw new WirediffError(
        'E_INPUT_BINARY',
        `${file}: the file looks binary (NUL or control bytes), not text or HTML`,
      );
    }
    return { bytes, contentType: contentTypeForPath(file), mtimeMs: stat.mtimeMs };
  } finally {
    await handle.close();
  }
}

/** True for names editors and tools leave behind: `*~`, `*.swp`/`.swo`/`.swx`, `#…#`, `*.tmp`, `*.part`, … */
function isTempName(name: string): boolean {
  return (
    name.endsWith('~') ||
    /\.(sw[a-p]|tmp|temp|part|crdownload|bak|orig)$/i.test(name) ||
    (name.startsWith('#') && name.endsWith('#'))
  );
}

/** True when `name` is an article file name: `.txt`, `.html`, `.htm` or `.md`, not hidden, not a temp file. */
export function isArticleFileName(name: string): boolean {
  if (name.startsWith('.') || isTempName(name)) return false;
  return ARTICLE_EXTENSIONS.has(extname(name).toLowerCase());
}

/**
 * The article files directly in `dir` (not recursive), as `join(dir, name)`, sorted by name (code-point
 * order, stable across locales). Regular files only; a symlink is kept only when it resolves to a regular file
 * inside `dir`. Throws E_NOT_FOUND / E_IO when the folder cannot be read.
 */
export async function listArticleFiles(dir: string): Promise<string[]> {
  let entries;
  let realDir: string;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
    realDir = await fs.realpath(dir);
  } catch (cause) {
    throw ioError(dir, 'list the folder', cause, 'folder');
  }
  const names: string[] = [];
  for (const entry of entries) {
    if (!isArticleFileName(entry.name)) continue;
    if (entry.isFile()) {
      names.push(entry.name);
    } else if (entry.isSymbolicLink()) {
      try {
        const target = await fs.realpath(join(dir, entry.name));
        const rel = relative(realDir, target);
        const inside = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
        if (inside && (await fs.stat(target)).isFile()) names.push(entry.name);
      } catch {
        // a dangling link: not an article
      }
    }
  }
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return names.map((name) => join(dir, name));
}
