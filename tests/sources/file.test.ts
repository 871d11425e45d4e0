import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isWirediffError } from '../../src/core/errors.js';
import { listArticleFiles, looksBinary, readFileSource } from '../../src/sources/index.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(join(tmpdir(), 'wirediff-sources-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (isWirediffError(err)) return err.code;
    throw err;
  }
  return 'no error';
}

describe('readFileSource', () => {
  it('reads an HTML file as text/html and a .txt / .md / extension-less file as text/plain', async () => {
    const cases: [string, string][] = [
      ['story.html', 'text/html'],
      ['story.HTM', 'text/html'],
      ['story.txt', 'text/plain'],
      ['story.md', 'text/plain'],
      ['STORY', 'text/plain'],
    ];
    for (const [name, type] of cases) {
      const file = join(dir, name);
      await fs.writeFile(file, '<p>DAMASCUS, Syria (AP) — Café.</p>\n');
      const source = await readFileSource(file, { maxBytes: 1_000 });
      expect(source.contentType, name).toBe(type);
      expect(Buffer.from(source.bytes).toString('utf8')).toBe('<p>DAMASCUS, Syria (AP) — Café.</p>\n');
      expect(source.mtimeMs).toBe((await fs.stat(file)).mtimeMs);
    }
  });

  it('reads the canonical AP fixture', async () => {
    const source = await readFileSource('tests/fixtures/ap-syria-breaking-update.txt', { maxBytes: 1024 * 1024 });
    expect(source.contentType).toBe('text/plain');
    expect(source.bytes.length).toBeGreaterThan(100);
  });

  it('refuses an empty or whitespace-only file with E_INPUT_EMPTY', async () => {
    await fs.writeFile(join(dir, 'empty.txt'), '');
    await fs.writeFile(join(dir, 'blank.txt'), ' \n\t\n');
    expect(await codeOf(readFileSource(join(dir, 'empty.txt'), { maxBytes: 100 }))).toBe('E_INPUT_EMPTY');
    expect(await codeOf(readFileSource(join(dir, 'blank.txt'), { maxBytes: 100 }))).toBe('E_INPUT_EMPTY');
  });

  it('refuses a binary file with E_INPUT_BINARY', async () => {
    await fs.writeFile(
      join(dir, 'image.html'),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
    );
    expect(await codeOf(readFileSource(join(dir, 'image.html'), { maxBytes: 100 }))).toBe('E_INPUT_BINARY');
  });

  it('refuses a file larger than maxBytes with E_INPUT_TOO_LARGE', async () => {
    await fs.writeFile(join(dir, 'big.txt'), 'a'.repeat(2_000));
    expect(await codeOf(readFileSource(join(dir, 'big.txt'), { maxBytes: 1_999 }))).toBe('E_INPUT_TOO_LARGE');
    expect((await readFileSource(join(dir, 'big.txt'), { maxBytes: 2_000 })).bytes.length).toBe(2_000);
  });

  it('refuses a FIFO as not a regular file instead of hanging on open', async () => {
    const fifo = join(dir, 'pipe.txt');
    execFileSync('mkfifo', [fifo]);
    expect(await codeOf(readFileSource(fifo, { maxBytes: 100 }))).toBe('E_IO');
  });

  it('reads a file whose stat size is 0 but which has content (procfs)', async () => {
    const source = await readFileSource('/proc/self/status', { maxBytes: 1024 * 1024 });
    expect(Buffer.from(source.bytes).toString('utf8')).toContain('Name:');
  });

  it('reports a missing file as E_NOT_FOUND and a folder as E_IO', async () => {
    expect(await codeOf(readFileSource(join(dir, 'missing.txt'), { maxBytes: 100 }))).toBe('E_NOT_FOUND');
    expect(await codeOf(readFileSource(dir, { maxBytes: 100 }))).toBe('E_IO');
  });
});

describe('looksBinary', () => {
  it('accepts text with tabs, newlines and a UTF-16 BOM; refuses NULs and control-heavy bytes', () => {
    expect(looksBinary(new Uint8Array(Buffer.from('a\tb\r\nc\f')))).toBe(false);
    expect(looksBinary(new Uint8Array([0xff, 0xfe, 0x41, 0x00]))).toBe(false);
    expect(looksBinary(new Uint8Array([0x41, 0x00, 0x42]))).toBe(true);
    expect(looksBinary(new Uint8Array([1, 2, 3, 4, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46]))).toBe(true);
  });
});

describe('listArticleFiles', () => {
  it('lists article files sorted, skipping dotfiles, temp/editor files, other extensions and sub-folders', async () => {
    const names = [
      'b.txt',
      'a.html',
      'C.md',
      'd.htm',
      '.hidden.txt',
      '.#lock.txt',
      'draft.txt~',
      '.story.txt.swp',
      'story.txt.swp',
      '#autosave.txt#',
      'image.png',
      'notes.txt.tmp',
      'data.json',
    ];
    for (const name of names) await fs.writeFile(join(dir, name), 'text');
    await fs.mkdir(join(dir, 'sub.txt'));
    await fs.writeFile(join(dir, 'sub.txt', 'inner.txt'), 'text');
    expect(await listArticleFiles(dir)).toEqual(['C.md', 'a.html', 'b.txt', 'd.htm'].map((n) => join(dir, n)));
  });

  it('keeps a symlink to a file inside the folder and drops links that escape it or dangle', async () => {
    const outside = await fs.mkdtemp(join(tmpdir(), 'wirediff-outside-'));
    try {
      await fs.writeFile(join(outside, 'secret.txt'), 'secret');
      await fs.writeFile(join(dir, 'real.txt'), 'text');
      await fs.symlink(join(dir, 'real.txt'), join(dir, 'alias.txt'));
      await fs.symlink(join(outside, 'secret.txt'), join(dir, 'escape.txt'));
      await fs.symlink('../../etc/passwd', join(dir, 'relative-escape.txt'));
      await fs.symlink(join(dir, 'missing.txt'), join(dir, 'dangling.txt'));
      expect(await listArticleFiles(dir)).toEqual([join(dir, 'alias.txt'), join(dir, 'real.txt')]);
    } finally {
      await fs.rm(outside, { recursive: true, force: true });
    }
  });

  it('returns an empty list for an empty folder and E_NOT_FOUND for a missing one', async () => {
    expect(await listArticleFiles(dir)).toEqual([]);
    expect(await codeOf(listArticleFiles(join(dir, 'nope')))).toBe('E_NOT_FOUND');
  });
});
