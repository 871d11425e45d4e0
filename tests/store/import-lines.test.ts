/**
 * The export's line schemas (src/store/interchange/schema.ts, zod): every problem of a line is listed, each naming the
 * field (nested paths included), what it must be and what it is; a good line is taken as it was written. The lines
 * are those of a real export of a real store.
 */
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportHistory, EXPORT_SCHEMA } from '../../src/store/interchange/index.js';
import {
  checkEventLine,
  checkHeader,
  checkVariantsLine,
  checkVersionLine,
} from '../../src/store/interchange/schema.js';
import { openFileStore } from '../../src/store/open.js';
import { buildHistory } from '../cli/history-fixture.js';
import { tempDir } from '../support/temp.js';

let tmp: { dir: string; cleanup(): Promise<void> };
/** The export's lines, parsed: the header, ap-syria v1..v4, its variants line, syria-copy v1..v2, then the events. */
let exported: Record<string, unknown>[];

beforeAll(async () => {
  tmp = await tempDir('wirediff-lines-');
  await buildHistory(tmp.dir, { variants: 2 });
  const opened = await openFileStore({ dir: path.join(tmp.dir, 'snapshots'), readOnly: true });
  const out: string[] = [];
  try {
    await exportHistory(opened, (l) => void out.push(l), { exportedAt: '2026-12-06T00:00:00.000Z' });
  } finally {
    await opened.close();
  }
  exported = out.map((l) => JSON.parse(l) as Record<string, unknown>);
});
afterAll(async () => {
  await tmp.cleanup();
});

const line = (type: string, n = 0): Record<string, unknown> =>
  structuredClone(exported.filter((l) => l['type'] === type)[n]!);

describe('the line schemas', () => {
  it('take good lines as they were written', () => {
    expect(exported[0]).toMatchObject({ type: 'wirediff-export', schema: EXPORT_SCHEMA, articles: 2 });
    const p: string[] = [];
    expect(checkHeader(exported[0]!, p)).toBe(exported[0]);
    const v = line('version', 1);
    const checked = checkVersionLine(v, p);
    expect(checked?.article).toEqual(v['article']);
    expect(checked?.meta).toEqual(v['meta']);
    expect(Buffer.from(checked!.raw).toString('base64')).toBe(v['raw']);
    expect(checkEventLine(line('event'), p)?.article).toBe('ap-syria');
    expect(checkVariantsLine(line('variants'), p)).toEqual({ type: 'variants', article: 'ap-syria', seen: 2 });
    expect(p).toEqual([]);
  });

  it('list every problem of a version line, with nested paths, the expectation and the value', () => {
    const v = line('version', 1);
    const meta = v['meta'] as Record<string, unknown>;
    meta['version'] = 0;
    meta['origin'] = { kind: 'ftp' };
    delete meta['fetchedAt'];
    meta['significance'] = 'high';
    const article = v['article'] as { paragraphs: Record<string, unknown>[]; title: unknown };
    article.title = 7;
    article.paragraphs[1] = { text: 'no norm' };
    v['changes'] = null;
    const p: string[] = [];
    expect(checkVersionLine(v, p)).toBeUndefined();
    expect(p).toEqual([
      'Expected `meta.version` to be an integer from 1, got `0` (number)',
      'Expected `meta.fetchedAt` to be an ISO 8601 time, but it is missing',
      'Expected `meta.origin.kind` to be one of url, feed, file, dir, push, import, got `ftp` (string)',
      'Expected `meta.significance` to be a number, got `high` (string)',
      'Expected `article.title` to be a string, got `7` (number)',
      'Expected `article.paragraphs[1]` to be a paragraph with text and norm, got an object',
      'Expected `changes` to be the ChangeSet against the previous version (an object), got null',
    ]);
  });

  it('check the raw bytes against the meta', () => {
    const v = line('version');
    const p: string[] = [];
    expect(checkVersionLine({ ...v, raw: 'not base64!' }, p)).toBeUndefined();
    const bytes = Buffer.from(String(v['raw']), 'base64');
    const meta = v['meta'] as { rawBytes: number };
    expect(checkVersionLine({ ...v, raw: bytes.subarray(1).toString('base64') }, p)).toBeUndefined();
    expect(p).toEqual([
      'Expected `raw` to be the raw source as base64, got `not base64!` (string)',
      `Expected \`raw\` to be ${meta.rawBytes} bytes (meta.rawBytes), got ${meta.rawBytes - 1} bytes`,
    ]);
  });

  it('check the header, event and variants lines alike', () => {
    const p: string[] = [];
    expect(checkHeader({ ...exported[0], schema: 'wirediff.export/9', articles: -1 }, p)).toBeUndefined();
    expect(checkHeader({ ...exported[0], exportedAt: 'yesterday', articles: 1.5 }, p)).toBeUndefined();
    expect(checkEventLine({ ...line('event'), schema: 'x', version: '2', changes: [] }, p)).toBeUndefined();
    expect(checkVariantsLine({ type: 'variants', seen: 1 }, p)).toBeUndefined();
    expect(p).toEqual([
      'Expected `schema` to be a supported schema, "wirediff.export/2" or "wirediff.export/1" (export again with ' +
        'this wirediff), got `wirediff.export/9` (string)',
      'Expected `exportedAt` to be an ISO 8601 time, got `yesterday` (string)',
      'Expected `articles` to be a count from 0, got `1.5` (number)',
      'Expected `schema` to be "wirediff.event/1", got `x` (string)',
      'Expected `version` to be an integer from 1, got `2` (string)',
      'Expected `changes` to be a ChangeSet or null, got an array of 0',
      'Expected `article` to be an article id (1-120 of a-z 0-9 . _ -, starting with a letter or digit, no ".."), ' +
        'but it is missing',
    ]);
  });
});
