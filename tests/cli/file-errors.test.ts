/**
 * Every command that reads a file the user names says plainly why it could not: "no such file: PATH",
 * "permission denied: PATH", "PATH is a folder, not a file" (one line, exit 2, no error code in brackets).
 */
import { chmod, mkdir, open, readdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { describeError } from '../../src/cli/errors.js';
import { MAX_VERSION_FILE_BYTES } from '../../src/cli/load-version.js';
import { AP_FILES } from './helpers.js';
import { buildHistory, cli } from './history-fixture.js';
import { asUnprivileged } from './unprivileged.js';
import { tempDir } from '../support/temp.js';

let tmp: { dir: string; cleanup(): Promise<void> };
beforeEach(async () => {
  tmp = await tempDir('wirediff-file-errors-');
  await chmod(tmp.dir, 0o755);
  await mkdir(path.join(tmp.dir, 'folder.txt'));
  await writeFile(path.join(tmp.dir, 'secret.txt'), await readFile(AP_FILES[0]!));
  await chmod(path.join(tmp.dir, 'secret.txt'), 0o000);
});
afterEach(async () => {
  await tmp.cleanup();
});

function expectOneLine(r: { code: number; out: string; err: string }, line: string): void {
  expect(r).toEqual({ code: 2, out: '', err: `wirediff: ${line}\n` });
}

describe('wirediff ingest', () => {
  test('a missing file, a folder, an unreadable file', async () => {
    const at = (name: string): string => path.join(tmp.dir, name);
    expectOneLine(await cli(tmp.dir, ['ingest', 'a-story', 'missing.txt']), `no such file: ${at('missing.txt')}`);
    expectOneLine(
      await cli(tmp.dir, ['ingest', 'a-story', 'folder.txt']),
      `${at('folder.txt')} is a folder, not a file`,
    );
    expectOneLine(
      await asUnprivileged(() => cli(tmp.dir, ['ingest', 'a-story', 'secret.txt'])),
      `permission denied: ${at('secret.txt')}`,
    );
  });
});

describe('wirediff import', () => {
  test('a missing file, a folder, an unreadable file: named as given, nothing opened', async () => {
    expectOneLine(await cli(tmp.dir, ['import', 'missing.jsonl']), 'no such file: missing.jsonl');
    expectOneLine(await cli(tmp.dir, ['import', 'folder.txt']), 'folder.txt is a folder, not a file');
    expectOneLine(await asUnprivileged(() => cli(tmp.dir, ['import', 'secret.txt'])), 'permission denied: secret.txt');
  });
});

describe('wirediff diff', () => {
  test('a missing file, a folder, an unreadable file', async () => {
    const at = (name: string): string => path.join(tmp.dir, name);
    expectOneLine(await cli(tmp.dir, ['diff', at('missing.txt'), AP_FILES[1]!]), `no such file: ${at('missing.txt')}`);
    expectOneLine(
      await cli(tmp.dir, ['diff', AP_FILES[0]!, at('folder.txt')]),
      `${at('folder.txt')} is a folder, not a file`,
    );
    expectOneLine(
      await asUnprivileged(() => cli(tmp.dir, ['diff', at('secret.txt'), AP_FILES[1]!])),
      `permission denied: ${at('secret.txt')}`,
    );
  });
});

describe('wirediff export --out', () => {
  test('into a missing folder, onto a folder', async () => {
    await buildHistory(tmp.dir);
    expectOneLine(
      await cli(tmp.dir, ['export', '--all', '--out', path.join('nowhere', 'x.jsonl')]),
      `--out ${path.join('nowhere', 'x.jsonl')}: cannot write there: no such folder: nowhere`,
    );
    expectOneLine(
      await cli(tmp.dir, ['export', '--all', '--out', 'folder.txt']),
      '--out folder.txt: cannot write there: folder.txt is a folder, not a file',
    );
    // Neither failure leaves a temp file (lib/atomic-write.ts) or touches the folder.
    expect((await readdir(tmp.dir)).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
    expect(await readdir(path.join(tmp.dir, 'folder.txt'))).toEqual([]);
  });
});

describe('describeError', () => {
  test('a file-system error that names its path is said in plain words; others keep their code', async () => {
    const missing = path.join(tmp.dir, 'missing.txt');
    const enoent = await readFile(missing).catch((err: unknown) => err);
    expect(describeError(enoent)).toBe(`no such file: ${missing}`);
    const folder = path.join(tmp.dir, 'folder.txt');
    const eisdir = await open(folder, 'w').catch((err: unknown) => err);
    expect(describeError(eisdir)).toBe(`${folder} is a folder, not a file`);
    // Reading a folder fails without naming it: nothing to put in the words, so the code stays.
    const unnamed = await readFile(folder).catch((err: unknown) => err);
    expect(describeError(unnamed)).toBe('EISDIR: illegal operation on a directory, read (EISDIR)');
    const other = Object.assign(new Error('disk on fire'), { code: 'EIO' });
    expect(describeError(other)).toBe('disk on fire (EIO)');
  });
});

describe('a file over the size limit', () => {
  test('diff names the limit and what it is for (not the config fetch.maxBytes)', async () => {
    const big = path.join(tmp.dir, 'huge.txt');
    const handle = await open(big, 'w');
    await handle.truncate(MAX_VERSION_FILE_BYTES + 1);
    await handle.close();
    expectOneLine(
      await cli(tmp.dir, ['diff', big, AP_FILES[1]!]),
      `${big}: more than ${MAX_VERSION_FILE_BYTES} bytes (20 MiB), the most a version file can be: is it an article file?`,
    );
  });
});
