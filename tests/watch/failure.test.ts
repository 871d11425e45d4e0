/** Poll failures are reported with catalogue codes, the HTTP status and the errno apart (never `HTTP_503`, `ENOENT`). */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ERROR_CATALOGUE, WirediffError } from '../../src/core/errors.js';
import { readFileSource } from '../../src/sources/index.js';
import { describeFailure, HttpStatusError } from '../../src/watch/failure.js';
import { tempDir } from '../support/temp.js';

describe('describeFailure', () => {
  test('an HTTP error status: E_FETCH_STATUS with the status apart; 429 and 5xx hold the host', () => {
    const e = new HttpStatusError(503, 30_000, 'https://news.example/a');
    expect(describeFailure(e)).toEqual({
      code: 'E_FETCH_STATUS',
      message: 'https://news.example/a: HTTP 503',
      httpStatus: 503,
    });
    expect([e.holdsHost, new HttpStatusError(429, undefined, 'x').holdsHost]).toEqual([true, true]);
    expect(new HttpStatusError(404, undefined, 'x').holdsHost).toBe(false);
  });

  test('a raw file error: E_NOT_FOUND or E_IO, with the errno apart', async () => {
    const tmp = await tempDir();
    try {
      const missing = await readFile(path.join(tmp.dir, 'gone.txt')).catch((err: unknown) => err);
      expect(describeFailure(missing)).toMatchObject({ code: 'E_NOT_FOUND', errno: 'ENOENT' });
      const folder = await readFile(tmp.dir).catch((err: unknown) => err);
      expect(describeFailure(folder)).toMatchObject({ code: 'E_IO', errno: 'EISDIR' });
    } finally {
      await tmp.cleanup();
    }
  });

  test('a WirediffError keeps its code; the errno of its cause is given apart', async () => {
    const tmp = await tempDir();
    try {
      const err = await readFileSource(path.join(tmp.dir, 'gone.txt'), { maxBytes: 1024 }).catch((e: unknown) => e);
      expect(describeFailure(err)).toMatchObject({ code: 'E_NOT_FOUND', errno: 'ENOENT' });
      expect(describeFailure(new WirediffError('E_FETCH_TIMEOUT', 'too slow'))).toEqual({
        code: 'E_FETCH_TIMEOUT',
        message: 'too slow',
      });
    } finally {
      await tmp.cleanup();
    }
  });

  test('anything else: E_IO; every code given is in the catalogue', () => {
    const plain = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    const cases = [describeFailure('a string'), describeFailure(plain), describeFailure(new Error('odd'))];
    expect(cases).toEqual([
      { code: 'E_IO', message: 'a string' },
      { code: 'E_IO', message: 'write EPIPE', errno: 'EPIPE' },
      { code: 'E_IO', message: 'odd' },
    ]);
    for (const c of cases) expect(Object.keys(ERROR_CATALOGUE)).toContain(c.code);
  });
});
