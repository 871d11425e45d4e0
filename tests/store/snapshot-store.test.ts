import { createHash } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isWirediffError } from '../../src/core/errors.js';
import { contentHash } from '../../src/core/extract/hash.js';
import { openFileStore } from '../../src/store/open.js';
import type { FileStore } from '../../src/store/open.js';
import { makeArticle, makeChanges, makeEvent, makeVersion, readVersionParts } from './fixtures.js';
import { tempDir } from '../support/temp.js';

let dir: string;
let cleanup: () => Promise<void>;
let fs: FileStore | undefined;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await fs?.close();
  fs = undefined;
  await cleanup();
});

async function rejectsWith(p: Promise<unknown>, code: string): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isWirediffError(err) ? err.code : err).toBe(code);
}

describe('file snapshot store: round trips', () => {
  it('keeps versions with their raw bytes, document and meta', async () => {
    fs = await openFileStore({ dir });
    const { store } = fs;
    const v1 = makeVersion('ap-syria', 1);
    const m1 = await store.appendVersion(v1);
    expect(m1).toMatchObject({
      article: 'ap-syria',
      version: 1,
      kind: 'initial',
      title: 'Headline 1',
      paragraphs: 2,
      rawBytes: v1.raw.byteLength,
      rawHash: createHash('sha256').update(v1.raw).digest('hex'),
      contentHash: 'hash-ap-syria-1',
      extractor: 'test-extract@1',
      contentType: 'text/plain; charset=utf-8',
      fetchedAt: v1.fetchedAt,
      origin: { kind: 'push' },
    });
    const v2 = makeVersion('ap-syria', 2, {
      changes: makeChanges('breaking-update', 'Breaking update: 2 paragraphs', 0.7),
    });
    const m2 = await store.appendVersion(v2);
    expect(m2).toMatchObject({
      version: 2,
      kind: 'breaking-update',
      summary: 'Breaking update: 2 paragraphs',
      significance: 0.7,
    });

    const got1 = await store.getVersion('ap-syria', 1);
    expect(got1).toEqual({ meta: m1, article: v1.parsed, changes: null });
    const got2 = await store.getLatest('ap-syria');
    expect(got2).toEqual({ meta: m2, article: v2.parsed, changes: v2.changes });
    expect(await store.listVersions('ap-syria')).toEqual([m1, m2]);
    const raw = await store.getRaw('ap-syria', 2);
    expect(raw?.contentType).toBe('text/plain; charset=utf-8');
    expect(Buffer.from(raw!.bytes).equals(Buffer.from(v2.raw))).toBe(true);

    expect(await store.getVersion('ap-syria', 3)).toBeUndefined();
    expect(await store.getVersion('ap-syria', 0)).toBeUndefined();
    expect(await store.getRaw('ap-syria', 3)).toBeUndefined();
    expect(await store.getLatest('nope')).toBeUndefined();
    expect(await store.getArticle('nope')).toBeUndefined();
    expect(await store.listVersions('nope')).toEqual([]);

    // One file per version: "WDV2", the lengths, then the document and the raw bytes exactly as given (compressed).
    const files = (await readdir(join(dir, 'articles', 'ap-syria'))).sort();
    expect(files).toEqual(['000001.wdv', '000002.wdv']);
    const path2 = join(dir, 'articles', 'ap-syria', '000002.wdv');
    expect((await readFile(path2)).subarray(0, 4).toString('latin1')).toBe('WDV2');
    const parts = await readVersionParts(path2);
    expect(parts.doc.meta).toEqual(m2);
    expect(parts.raw.equals(Buffer.from(v2.raw))).toBe(true);
  });

  it('refuses a stale expectedLatest with E_CONFLICT and stores nothing', async () => {
    fs = await openFileStore({ dir });
    await fs.store.appendVersion(makeVersion('a', 1));
    await rejectsWith(fs.store.appendVersion(makeVersion('a', 2, { expectedLatest: 0 })), 'E_CONFLICT');
    await rejectsWith(fs.store.appendVersion(makeVersion('a', 2, { expectedLatest: 5 })), 'E_CONFLICT');
    await rejectsWith(fs.store.appendVersion(makeVersion('b', 1, { expectedLatest: 1 })), 'E_CONFLICT');
    expect((await fs.store.listVersions('a')).length).toBe(1);
    expect(await readdir(join(dir, 'articles', 'a'))).toEqual(['000001.wdv']);
    expect(await fs.store.getArticle('b')).toBeUndefined();
  });

  it('serializes concurrent appends to one article: exactly one of two racing writers wins', async () => {
    fs = await openFileStore({ dir });
    await fs.store.appendVersion(makeVersion('race', 1));
    const results = await Promise.allSettled([
      fs.store.appendVersion(makeVersion('race', 2)),
      fs.store.appendVersion(makeVersion('race', 2, { contentHash: 'other' })),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((r) => r.status === 'rejected');
    expect(isWirediffError(failed?.reason, 'E_CONFLICT')).toBe(true);
    // Chained writers that each expect the previous one all land, in order.
    const chained = await Promise.all([3, 4, 5].map((n) => fs!.store.appendVersion(makeVersion('race', n))));
    expect(chained.map((m) => m.version)).toEqual([3, 4, 5]);
    // Different articles write concurrently.
    const many = await Promise.all(['p', 'q', 'r', 's'].map((id) => fs!.store.appendVersion(makeVersion(id, 1))));
    expect(many.map((m) => m.article)).toEqual(['p', 'q', 'r', 's']);
  });

  it('refuses unsafe article ids at every entry point, and writes nothing outside the folder', async () => {
    fs = await openFileStore({ dir });
    const { store, log } = fs;
    const bad = ['../x', 'a/b', '%2e%2e', '', '.hidden', 'UPPER', 'a\\b', '..', 'a..b', 'x'.repeat(121), ' a', 'a\0b'];
    for (const id of bad) {
      await rejectsWith(store.appendVersion(makeVersion(id, 1)), 'E_BAD_ARTICLE_ID');
      await rejectsWith(store.getVersion(id, 1), 'E_BAD_ARTICLE_ID');
      await rejectsWith(store.getLatest(id), 'E_BAD_ARTICLE_ID');
      await rejectsWith(store.getRaw(id, 1), 'E_BAD_ARTICLE_ID');
      await rejectsWith(store.listVersions(id), 'E_BAD_ARTICLE_ID');
      await rejectsWith(store.getArticle(id), 'E_BAD_ARTICLE_ID');
      await rejectsWith(store.recordVariant(id, 1, 'now'), 'E_BAD_ARTICLE_ID');
      await rejectsWith(store.replaceDerived(id, 1, makeArticle('t', []), null), 'E_BAD_ARTICLE_ID');
      await rejectsWith(log.append(makeEvent(id, 1)), 'E_BAD_ARTICLE_ID');
      await rejectsWith(log.readLatest(5, id), 'E_BAD_ARTICLE_ID');
    }
    await rejectsWith(store.getVersion(42 as unknown as string, 1), 'E_BAD_ARTICLE_ID');
    expect((await readdir(dir)).sort()).toEqual(['articles', 'events.log', 'lock']);
    expect(await readdir(join(dir, 'articles'))).toEqual([]);
    expect(await readdir(join(dir, '..'))).not.toContain('x');
  });

  it('counts variants seen, durably', async () => {
    fs = await openFileStore({ dir });
    await fs.store.appendVersion(makeVersion('ab', 1));
    await fs.store.appendVersion(makeVersion('ab', 2));
    await fs.store.recordVariant('ab', 1, '2026-01-01T01:00:00.000Z');
    await fs.store.recordVariant('ab', 2, '2026-01-01T02:00:00.000Z');
    await fs.store.recordVariant('ab', 1, '2026-01-01T03:00:00.000Z');
    expect((await fs.store.getArticle('ab'))?.variantsSeen).toBe(3);
    await rejectsWith(fs.store.recordVariant('ab', 3, 'x'), 'E_NOT_FOUND');
    await rejectsWith(fs.store.recordVariant('none', 1, 'x'), 'E_NOT_FOUND');
    await fs.close();
    fs = await openFileStore({ dir });
    expect((await fs.store.getArticle('ab'))?.variantsSeen).toBe(3);
    const doc = JSON.parse(await readFile(join(dir, 'articles', 'ab', 'variants.json'), 'utf8'));
    expect(doc.versions['1']).toEqual({ count: 2, lastSeen: '2026-01-01T03:00:00.000Z' });
  });

  it('leaves a paragraph’s norm out of the file when it equals its text, and gives it back on reading', async () => {
    fs = await openFileStore({ dir });
    const same = { text: 'Already normal.', norm: 'Already normal.', block: 'body' as const, tag: 'p' as const };
    const differs = { text: '“Curly” — quotes', norm: '"Curly" - quotes', block: 'body' as const, tag: 'p' as const };
    const parsed = {
      ...makeArticle('T', []),
      paragraphs: [same, differs],
      blocks: [{ kind: 'body' as const, start: 0, end: 2 }],
    };
    await fs.store.appendVersion(makeVersion('norms', 1, { parsed }));
    const onDisk = (await readVersionParts(join(dir, 'articles', 'norms', '000001.wdv'))).doc;
    expect(onDisk.article.paragraphs).toEqual([{ text: same.text, block: 'body', tag: 'p' }, differs]);
    await fs.close();
    fs = await openFileStore({ dir });
    expect((await fs.store.getVersion('norms', 1))?.article.paragraphs).toEqual([same, differs]);
  });

  it('replaces derived data without touching the raw source', async () => {
    fs = await openFileStore({ dir });
    const v1 = makeVersion('re', 1);
    await fs.store.appendVersion(v1);
    const m2 = await fs.store.appendVersion(makeVersion('re', 2));
    const path = join(dir, 'articles', 're', '000002.wdv');
    const rawTail = async (): Promise<Buffer> => (await readVersionParts(path)).raw;
    const before = await rawTail();
    const parsed = { ...makeArticle('Better headline', ['One', 'Two', 'Three']), extractor: 'test-extract@2' };
    const changes = makeChanges('correction', 'Correction: a figure fixed', 0.2);
    const m = await fs.store.replaceDerived('re', 2, parsed, changes);
    expect(m).toEqual({
      ...m2,
      contentHash: contentHash(parsed),
      title: 'Better headline',
      paragraphs: 3,
      extractor: 'test-extract@2',
      kind: 'correction',
      summary: 'Correction: a figure fixed',
      significance: 0.2,
    });
    expect(await fs.store.getLatest('re')).toEqual({ meta: m, article: parsed, changes });
    // The version's file is rewritten whole (atomically), with the raw bytes and their hash as they were.
    expect((await rawTail()).equals(before)).toBe(true);
    expect(Buffer.from((await fs.store.getRaw('re', 2))!.bytes).equals(before)).toBe(true);
    expect(m.rawHash).toBe(m2.rawHash);
    await rejectsWith(fs.store.replaceDerived('re', 2, parsed, null), 'E_USAGE');
    await rejectsWith(fs.store.replaceDerived('re', 3, parsed, changes), 'E_NOT_FOUND');
    const m1 = await fs.store.replaceDerived('re', 1, parsed, null);
    expect(m1.kind).toBe('initial');
    await fs.close();
    fs = await openFileStore({ dir });
    expect((await fs.store.getVersion('re', 2))?.meta).toEqual(m);
    expect((await fs.store.getArticle('re'))?.title).toBe('Better headline');
    expect(Buffer.from((await fs.store.getRaw('re', 1))!.bytes).equals(Buffer.from(v1.raw))).toBe(true);
  });

  it('reports a file-system fault as E_IO and stays usable', async () => {
    fs = await openFileStore({ dir });
    // A plain file where the article's folder should be: the append cannot create its folder.
    await writeFile(join(dir, 'articles', 'blocked'), 'not a folder');
    const err = await fs.store.appendVersion(makeVersion('blocked', 1)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isWirediffError(err, 'E_IO')).toBe(true);
    expect((err as Error).cause).toBeInstanceOf(Error);
    expect(await fs.store.getArticle('blocked')).toBeUndefined();
    expect((await fs.store.appendVersion(makeVersion('fine', 1))).version).toBe(1);
    await fs.close();
    // On reopen the stray file is not an article.
    fs = await openFileStore({ dir });
    expect((await fs.store.listArticles()).map((a) => a.id)).toEqual(['fine']);
  });

  it('opens a missing folder read-only as an empty store and creates nothing', async () => {
    const missing = join(dir, 'nothing-here');
    fs = await openFileStore({ dir: missing, readOnly: true });
    expect(await fs.store.listArticles()).toEqual([]);
    expect(await fs.log.bounds()).toEqual({ first: 0, last: 0 });
    await rejectsWith(fs.store.appendVersion(makeVersion('a', 1)), 'E_READ_ONLY');
    await fs.close();
    await expect(stat(missing)).rejects.toThrow();
  });
});
