/**
 * status.json on disk: written whole through lib/atomic-write.ts, read back; a failed write throws (the
 * `StatusWriter` logs it instead), keeps the previous file and leaves no temp file.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, expect, test } from 'vitest';
import {
  readStatusFile,
  STATUS_FILE,
  STATUS_SCHEMA,
  StatusWriter,
  writeStatusFile,
  type WatcherStatus,
} from '../../src/watch/status-file.js';
import { tempDir } from '../support/temp.js';

let tmp: { dir: string; cleanup(): Promise<void> };
beforeEach(async () => {
  tmp = await tempDir('wirediff-status-file-');
});
afterEach(() => tmp.cleanup());

function status(updatedAt: string): WatcherStatus {
  return { schema: STATUS_SCHEMA, pid: 1, startedAt: updatedAt, updatedAt, running: true, sources: [] };
}

test('writes status.json whole and reads it back; a failed write keeps the old file and leaves no temp file', async () => {
  expect(await readStatusFile(tmp.dir)).toBeUndefined();
  await writeStatusFile(tmp.dir, status('2026-01-01T00:00:00.000Z'));
  expect(await readStatusFile(tmp.dir)).toEqual(status('2026-01-01T00:00:00.000Z'));
  expect(await readFile(path.join(tmp.dir, STATUS_FILE), 'utf8')).toMatch(/\n$/);

  // A folder cannot hold the file: the rename fails.
  const other = path.join(tmp.dir, 'other');
  await mkdir(path.join(other, STATUS_FILE), { recursive: true });
  await writeFile(path.join(other, STATUS_FILE, 'x'), 'x');
  await expect(writeStatusFile(other, status('2026-01-01T00:01:00.000Z'))).rejects.toThrow();
  expect(await readdir(other)).toEqual([STATUS_FILE]);
  expect(await readdir(tmp.dir)).toEqual(['other', STATUS_FILE].sort());
});

test('StatusWriter logs a failed write (never throws) and writes again once it can', async () => {
  const lines: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
  const blocked = path.join(tmp.dir, STATUS_FILE);
  await mkdir(path.join(blocked, 'x'), { recursive: true });
  let n = 0;
  const writer = new StatusWriter(tmp.dir, () => status(new Date(Date.UTC(2026, 0, 1, 0, n++)).toISOString()), logger);
  await writer.save();
  expect(lines.some((l) => l.includes('could not write the status file'))).toBe(true);
  expect(await readdir(tmp.dir)).toEqual([STATUS_FILE]);
  await rm(blocked, { recursive: true });
  await writer.save();
  expect((await readStatusFile(tmp.dir))?.updatedAt).toBe('2026-01-01T00:01:00.000Z');
  expect(await readdir(tmp.dir)).toEqual([STATUS_FILE]);
});
