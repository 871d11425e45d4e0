/**
 * A file or folder that cannot be opened is reported in plain words that name it: "no such file: PATH",
 * "permission denied: PATH", "PATH is a folder, not a file" (and the folder forms when listing a `dir` source).
 */
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isWirediffError } from '../../src/core/errors.js';
import { fileErrorWords } from '../../src/lib/file-errors.js';
import { listArticleFiles, readFileSource } from '../../src/sources/file.js';
import { asUnprivileged } from '../cli/unprivileged.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(join(tmpdir(), 'wirediff-file-errors-'));
  await fs.chmod(dir, 0o755);
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    if (isWirediffError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a failure');
}

describe('readFileSource', () => {
  it('a missing file: "no such file: PATH" (E_NOT_FOUND)', async () => {
    const file = join(dir, 'missing.txt');
    expect(await failure(readFileSource(file, { maxBytes: 100 }))).toEqual({
      code: 'E_NOT_FOUND',
      message: `no such file: ${file}`,
    });
  });

  it('a path through a file: "no such file", saying why', async () => {
    await fs.writeFile(join(dir, 'story.txt'), 'text');
    const file = join(dir, 'story.txt', 'v2.txt');
    expect((await failure(readFileSource(file, { maxBytes: 100 }))).message).toBe(
      `no such file: ${file} (a part of the path is a file, not a folder)`,
    );
  });

  it('a folder: "PATH is a folder, not a file" (E_IO)', async () => {
    expect(await failure(readFileSource(dir, { maxBytes: 100 }))).toEqual({
      code: 'E_IO',
      message: `${dir} is a folder, not a file`,
    });
  });

  it('an unreadable file: "permission denied: PATH" (E_IO)', async () => {
    const file = join(dir, 'secret.txt');
    await fs.writeFile(file, 'text');
    await fs.chmod(file, 0o000);
    const r = await asUnprivileged(() => failure(readFileSource(file, { maxBytes: 100 })));
    expect(r).toEqual({ code: 'E_IO', message: `permission denied: ${file}` });
  });
});

describe('listArticleFiles', () => {
  it('a missing folder, a file, an unreadable folder', async () => {
    const missing = join(dir, 'nowhere');
    expect(await failure(listArticleFiles(missing))).toEqual({
      code: 'E_NOT_FOUND',
      message: `no such folder: ${missing}`,
    });
    const file = join(dir, 'story.txt');
    await fs.writeFile(file, 'text');
    expect((await failure(listArticleFiles(file))).message).toBe(`${file} is a file, not a folder`);
    const closed = join(dir, 'closed');
    await fs.mkdir(closed, { mode: 0o000 });
    await fs.chmod(closed, 0o000);
    expect((await asUnprivileged(() => failure(listArticleFiles(closed)))).message).toBe(
      `permission denied: ${closed}`,
    );
  });
});

describe('fileErrorWords', () => {
  it('has plain words for the codes a person can act on, and none for the others', () => {
    expect(fileErrorWords('a.txt', 'ENOENT')).toBe('no such file: a.txt');
    expect(fileErrorWords('a', 'ENOENT', 'folder')).toBe('no such folder: a');
    expect(fileErrorWords('a.txt', 'EACCES')).toBe('permission denied: a.txt');
    expect(fileErrorWords('a.txt', 'EPERM')).toBe('permission denied: a.txt');
    expect(fileErrorWords('a.txt', 'EISDIR')).toBe('a.txt is a folder, not a file');
    expect(fileErrorWords('a.txt', 'EIO')).toBeUndefined();
    expect(fileErrorWords('a.txt', undefined)).toBeUndefined();
  });
});
