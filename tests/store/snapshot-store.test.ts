import { createHash } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isWirediffError } from '../../src/core/errors.js';
import { contentHash } from '../../src/core/extract/hash.js';
import { openFileStore } from '../../src/store/open.js';
import { makeArticle, makeChanges, makeEvent, makeVersion, readVersionParts } from './fixtures.js';
import { fileStoreEach } from '../support/stores.js';
import { rejectsWith } from '../support/errors.js';

const ctx = fileStoreEach();

describe('file snapshot store: round trips', () => {
  it('keeps versions with their raw bytes, document and meta', async () => {
    ctx.fs = await openFileStore({ dir: ctx.dir });
    const { store } = ctx.fs;
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
    const files = (await readdir(join(ctx.dir, 'articles', 'ap-syria'))).sort();
    expect(files).toEqual(['000001.wdv', '000002.wdv']);
    const path2 = join(ctx.dir, 'articles', 'ap-syria', '000002.wdv');
    expect((await readFile(path2)).subarray(0, 4).toString('latin1')).toBe('WDV2');
    const parts = await readVersionParts(path2);
    expect(parts.doc.meta).toEqual(m2);
    expect(parts.raw.equals(Buffer.from(v2.raw))).toBe(true);
  });

  it('refuses a stale expectedLatest with E_CONFLICT and stores nothing', async () => {
    ctx.fs = await openFileStore({ dir: ctx.dir });
    await ctx.fs.store.appendVersion(makeVersion('a', 1));
    await rejectsWith(ctx.fs.store.appendVersion(makeVersion('a', 2, { expectedLatest: 0 })), 'E_CONFLICT');
    await rejectsWith(ctx.fs.store.appendVersion(makeVersion('a', 2, { expectedLatest: 5 })), 'E_CONFLICT');
    await rejectsWith(ctx.fs.store.appendVersion(makeVersion('b', 1, { expectedLatest: 1 })), 'E_CONFLICT');
    expect((await ctx.fs.store.listVersions('a')).length).toBe(1);
    expect(await readdir(join(ctx.dir, 'articles', 'a'))).toEqual(['000001.wdv']);
    expect(await ctx.fs.store.getArticle('b')).toBeUndefined();
  });

  it('serializes concurrent appends to one article: exactly one of two racing writers wins', async () => {
    ctx.fs = await openFileStore({ dir: ctx.dir });
    await ctx.fs.store.appendVersion(makeVersion('race', 1));
    const results = await Promise.allSettled([
      ctx.fs.store.appendVersion(makeVersion('race', 2)),
      ctx.fs.store.appendVersion(makeVersion('race', 2, { contentHash: 'other' })),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((r) => r.status === 'rejected');
    expect(isWirediffError(failed?.reason, 'E_CONFLICT')).toBe(true);
    // Chained writers that each expect the previous one all land, in order.
    const chained = await Promise.all([3, 4, 5].map((n) => ctx.fs!.store.appendVersion(makeVersion('race', n))));
    expect(chained.map((m) => m.version)).toEqual([3, 4, 5]);
    // Different articles write concurrently.
    const many = await Promise.all(['p', 'q', 'r', 's'].map((id) => ctx.fs!.store.appendVersion(makeVersion(id, 1))));
    expect(many.map((m) => m.article)).toEqual(['p', 'q', 'r', 's']);
  });

  it('refuses unsafe article ids at every entry point, and writes nothing outside the folder', async () => {
    ctx.fs = await openFileStore({ dir: ctx.dir });
    const { store, log } = ctx.fs;
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
    expect((await readdir(ctx.dir)).sort()).toEqual(['articles', 'events.log', 'lock']);
    expect(await readdir(join(ctx.dir, 'articles'))).toEqual([]);
    expect(await readdir(join(ctx.dir, '..'))).not.toContain('x');
  });

  it('counts variants seen, durably', async () => {
    ctx.fs = await openFileStore({ dir: ctx.dir });
    await ctx.fs.store.appendVersion(makeVersion('ab', 1));
    await ctx.fs.store.appendVersion(makeVersion('ab', 2));
    await ctx.fs.store.recordVariant('ab', 1, '2026-01-01T01:00:00.000Z');
    await ctx.fs.store.recordVariant('ab', 2, '2026-01-01T02:00:00.000Z');
    await ctx.fs.store.recordVariant('ab', 1, '2026-01-01T03:00:00.000Z');
    expect((await ctx.fs.store.getArticle('ab'))?.variantsSeen).toBe(3);
    await rejectsWith(ctx.fs.store.recordVariant('ab', 3, 'x'), 'E_NOT_FOUND');
    await rejectsWith(ctx.fs.store.recordVariant('none', 1, 'x'), 'E_NOT_FOUND');
    await ctx.fs.close();
    ctx.fs = await openFileStore({ dir: ctx.dir });
    expect((await ctx.fs.store.getArticle('ab'))?.variantsSeen).toBe(3);
    const doc = JSON.parse(await readFile(join(ctx.dir, 'articles', 'ab', 'variants.json'), 'utf8'));
    expect(doc.versions['1']).toEqual({ count: 2, lastSeen: '2026-01-01T03:00:00.000Z' });
  });

  it('leaves a paragraph’s norm out of the file when it equals its text, and gives it back on reading', async () => {
    ctx.fs = await openFileStore({ dir: ctx.dir });
    const same = { text: 'Already normal.', norm: 'Already normal.', block: 'body' as const, tag: 'p' as const };
    const differs = { text: '“Curly” — quotes', norm: '"Curly" - quotes', block: 'body' as const, tag: 'p' as const };
    const parsed = {
      ...makeArticle('T', []),
      paragraphs: [same, differs],
      blocks: [{ kind: 'body' as const, start: 0, end: 2 }],
    };
    await ctx.fs.store.appendVersion(makeVersion('norms', 1, { parsed }));
    const onDisk = (await readVersionParts(join(ctx.dir, 'articles', 'norms', '000001.wdv'))).doc;
    expect(onDisk.article.paragraphs).toEqual([{ text: same.text, block: 'body', tag: 'p' }, differs]);
    await ctx.fs.close();
    ctx.fs = await openFileStore({ dir: ctx.dir });
    expect((await ctx.fs.store.getVersion('norms', 1))?.article.paragraphs).toEqual([same, differs]);
  });

  it('replaces derived data without touching the raw source', async () => {
    ctx.fs = await openFileStore({ dir: ctx.dir });
    const v1 = makeVersion('re', 1);
    await ctx.fs.store.appendVersion(v1);
    const m2 = await ctx.fs.store.appendVersion(makeVersion('re', 2));
    const path = join(ctx.dir, 'articles', 're', '000002.wdv');
    const rawTail = async (): Promise<Buffer> => (await readVersionParts(path)).raw;
    const before = await rawTail();
    const parsed = { ...makeArticle('Better headline', ['One', 'Two', 'Three']), extractor: 'test-extract@2' };
    const changes = makeChanges('correction', 'Correction: a figure fixed', 0.2);
    const m = await ctx.fs.store.replaceDerived('re', 2, parsed, changes);
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
    expect(await ctx.fs.store.getLatest('re')).toEqual({ meta: m, article: parsed, changes });
    // The version's file is rewritten whole (atomically), with the raw bytes and their hash as they were.
    expect((await rawTail()).equals(before)).toBe(true);
    expect(Buffer.from((await ctx.fs.store.getRaw('re', 2))!.bytes).equals(before)).toBe(true);
    expect(m.rawHash).toBe(m2.rawHash);
    await rejectsWith(ctx.fs.store.replaceDerived('re', 2, parsed, null), 'E_USAGE');
    await rejectsWith(ctx.fs.store.replaceDerived('re', 3, parsed, changes), 'E_NOT_FOUND');
    const m1 = await ctx.fs.store.replaceDerived('re', 1, parsed, null);
    expect(m1.kind).toBe('initial');
    await ctx.fs.close();
    ctx.fs = await openFileStore({ dir: ctx.dir });
    expect((await ctx.fs.store.getVersion('re', 2))?.meta).toEqual(m);
    expect((await ctx.fs.store.getArticle('re'))?.title).toBe('Better headline');
    expect(Buffer.from((await ctx.fs.store.getRaw('re', 1))!.bytes).equals(Buffer.from(v1.raw))).toBe(true);
  });

  it('reports a file-system fault as E_IO and stays usable', async () => {
    ctx.fs = await openFileStore({ dir: ctx.dir });
    // A plain file where the article's folder should be: the append cannot create its folder.
    await writeFile(join(ctx.dir, 'articles', 'blocked'), 'not a folder');
    const err = await ctx.fs.store.appendVersion(makeVersion('blocked', 1)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isWirediffError(err, 'E_IO')).toBe(true);
    expect((err as Error).cause).toBeInstanceOf(Error);
    expect(await ctx.fs.store.getArticle('blocked')).toBeUndefined();
    expect((await ctx.fs.store.appendVersion(makeVersion('fine', 1))).version).toBe(1);
    await ctx.fs.close();
    // On reopen the stray file is not an article.
    ctx.fs = await openFileStore({ dir: ctx.dir });
    expect((await ctx.fs.store.listArticles()).map((a) => a.id)).toEqual(['fine']);
  });

  it('opens a missing folder read-only as an empty store and creates nothing', async () => {
    const missing = join(ctx.dir, 'nothing-here');
    ctx.fs = await openFileStore({ dir: missing, readOnly: true });
    expect(await ctx.fs.store.listArticles()).toEqual([]);
    expect(await ctx.fs.log.bounds()).toEqual({ first: 0, last: 0 });
    await rejectsWith(ctx.fs.store.appendVersion(makeVersion('a', 1)), 'E_READ_ONLY');
    await ctx.fs.close();
    await expect(stat(missing)).rejects.toThrow();
  });
});
