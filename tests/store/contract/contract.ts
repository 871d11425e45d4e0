/**
 * One contract for every `SnapshotStore` + `EventLog` implementation, in the style of hono's shared router tests:
 * `runStoreContract(name, makeStore)` registers the same cases for the file store and the PostgreSQL store (see the
 * *.test.ts files beside this one). What only one implementation does (file layout, PostgreSQL id ordering under
 * concurrent writers) is tested beside that implementation.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentHash } from '../../../src/core/extract/hash.js';
import { isWirediffError } from '../../../src/core/errors.js';
import type { ChangeEvent } from '../../../src/core/model/event.js';
import type { EventLog, SnapshotStore } from '../../../src/store/types.js';
import type { StoreTarget } from '../../../src/store/open.js';
import { rawHashFor } from '../crash-content.js';
import { makeArticle, makeChanges, makeEvent, makeVersion } from '../fixtures.js';
import { transpileForChild } from '../transpile-for-child.js';
import { rejectsWith } from '../../support/errors.js';

export interface OpenedForTest {
  readonly store: SnapshotStore;
  readonly log: EventLog;
  close(): Promise<void>;
}

/** One empty store per test case: `open` may be called again after `close` (a reopen sees the same data). */
export interface StoreUnderTest {
  open(): Promise<OpenedForTest>;
  /** The store as a `StoreTarget` (store/open.ts), for a child process to open it. */
  readonly target: StoreTarget;
  /** Removes everything the store kept. */
  destroy(): Promise<void>;
}

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CHILD_DIR = `${ROOT}tests/artifacts/contract-child-${process.pid}`;
let builtWriter: Promise<string> | undefined;

/** The crash child, transpiled once per test file into tests/artifacts (inside the repo, so it finds node_modules). */
function crashWriter(): Promise<string> {
  builtWriter ??= transpileForChild(`${ROOT}tests/store/contract/crash-writer.ts`, ROOT, CHILD_DIR);
  return builtWriter;
}

const at = (minute: number): string => new Date(Date.UTC(2026, 11, 1, 9, minute)).toISOString();

export function runStoreContract(name: string, makeStore: () => Promise<StoreUnderTest>): void {
  describe(`store contract: ${name}`, () => {
    let sut: StoreUnderTest;
    let opened: OpenedForTest | undefined;
    const open = async (): Promise<OpenedForTest> => (opened = await sut.open());
    const reopen = async (): Promise<OpenedForTest> => {
      await opened?.close();
      opened = undefined;
      return open();
    };

    beforeEach(async () => {
      sut = await makeStore();
    });
    afterEach(async () => {
      await opened?.close();
      opened = undefined;
      await sut.destroy();
    });
    afterAll(async () => {
      await rm(CHILD_DIR, { recursive: true, force: true });
    });

    it('appends versions and reads back raw bytes, document and meta', async () => {
      const { store } = await open();
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
      const big = Buffer.from('<p>' + 'A long page that compresses well. '.repeat(4000) + '</p>');
      const v2 = makeVersion('ap-syria', 2, {
        changes: makeChanges('breaking-update', 'Breaking update: 2 paragraphs', 0.7),
        raw: big,
      });
      const m2 = await store.appendVersion(v2);
      expect(m2).toMatchObject({ version: 2, kind: 'breaking-update', significance: 0.7, rawBytes: big.length });
      expect(await store.getVersion('ap-syria', 1)).toEqual({ meta: m1, article: v1.parsed, changes: null });
      expect(await store.getLatest('ap-syria')).toEqual({ meta: m2, article: v2.parsed, changes: v2.changes });
      expect(await store.listVersions('ap-syria')).toEqual([m1, m2]);
      const raw = await store.getRaw('ap-syria', 2);
      expect(raw?.contentType).toBe('text/plain; charset=utf-8');
      expect(Buffer.from(raw!.bytes).equals(big)).toBe(true);
      // Bytes that are not text survive exactly.
      const binary = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7919) % 256));
      await store.appendVersion(makeVersion('bin', 1, { raw: binary }));
      expect(Buffer.from((await store.getRaw('bin', 1))!.bytes).equals(binary)).toBe(true);
      expect(await store.getVersion('ap-syria', 3)).toBeUndefined();
      expect(await store.getVersion('ap-syria', 0)).toBeUndefined();
      expect(await store.getRaw('ap-syria', 3)).toBeUndefined();
      expect(await store.getLatest('nope')).toBeUndefined();
      expect(await store.getArticle('nope')).toBeUndefined();
      expect(await store.listVersions('nope')).toEqual([]);
    });

    it('summarizes articles, newest change first, and the summaries survive a reopen', async () => {
      const { store } = await open();
      await store.appendVersion(makeVersion('older', 1));
      await store.appendVersion(makeVersion('newer', 1));
      await store.appendVersion(makeVersion('newer', 2));
      await store.appendVersion(makeVersion('newer', 3));
      const list = await store.listArticles();
      expect(list.map((a) => a.id)).toEqual(['newer', 'older']);
      expect(list[0]).toEqual({
        id: 'newer',
        title: 'Headline 3',
        versions: 3,
        firstSeen: makeVersion('newer', 1).fetchedAt,
        lastChange: makeVersion('newer', 3).fetchedAt,
        lastKind: 'update',
        lastSummary: 'Change 3',
        history: [
          { version: 1, at: makeVersion('newer', 1).fetchedAt, kind: 'initial', significance: 1 },
          { version: 2, at: makeVersion('newer', 2).fetchedAt, kind: 'update', significance: 0.02 },
          { version: 3, at: makeVersion('newer', 3).fetchedAt, kind: 'update', significance: 0.03 },
        ],
        variantsSeen: 0,
      });
      expect(await store.getArticle('older')).toEqual(list[1]);
      const again = await reopen();
      expect(await again.store.listArticles()).toEqual(list);
      expect((await again.store.getLatest('newer'))?.meta.version).toBe(3);
    });

    it('refuses a stale expectedLatest with E_CONFLICT and stores nothing', async () => {
      const { store } = await open();
      await store.appendVersion(makeVersion('a', 1));
      await rejectsWith(store.appendVersion(makeVersion('a', 2, { expectedLatest: 0 })), 'E_CONFLICT');
      await rejectsWith(store.appendVersion(makeVersion('a', 2, { expectedLatest: 5 })), 'E_CONFLICT');
      await rejectsWith(store.appendVersion(makeVersion('b', 1, { expectedLatest: 1 })), 'E_CONFLICT');
      await rejectsWith(store.commitVersion(makeVersion('a', 2, { expectedLatest: 0 }), { at: at(2) }), 'E_CONFLICT');
      expect((await store.listVersions('a')).length).toBe(1);
      expect(await store.getArticle('b')).toBeUndefined();
      expect((await store.listArticles()).map((x) => x.id)).toEqual(['a']);
    });

    it('serializes concurrent appends to one article: exactly one of two racing writers wins', async () => {
      const { store } = await open();
      await store.appendVersion(makeVersion('race', 1));
      const results = await Promise.allSettled([
        store.appendVersion(makeVersion('race', 2)),
        store.appendVersion(makeVersion('race', 2, { contentHash: 'other' })),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const failed = results.find((r) => r.status === 'rejected');
      expect(isWirediffError(failed?.reason, 'E_CONFLICT')).toBe(true);
      const many = await Promise.all(['p', 'q', 'r', 's'].map((id) => store.appendVersion(makeVersion(id, 1))));
      expect(many.map((m) => m.article)).toEqual(['p', 'q', 'r', 's']);
      expect((await store.listVersions('race')).map((m) => m.version)).toEqual([1, 2]);
    });

    it('refuses bad input: a missing ChangeSet, bad bytes, bad numbers, unsafe ids', async () => {
      const { store, log } = await open();
      await store.appendVersion(makeVersion('a', 1));
      await rejectsWith(store.appendVersion(makeVersion('a', 2, { changes: null })), 'E_USAGE');
      await rejectsWith(store.appendVersion(makeVersion('a', 2, { raw: 'text' as unknown as Uint8Array })), 'E_USAGE');
      await rejectsWith(store.appendVersion(makeVersion('a', 2, { expectedLatest: -1 })), 'E_USAGE');
      await rejectsWith(store.commitVersion(makeVersion('a', 2), {} as { at: string }), 'E_USAGE');
      for (const id of ['../x', 'a/b', '', '.hidden', 'UPPER', '..', 'a..b', 'x'.repeat(121), 'a\0b']) {
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
      await rejectsWith(log.readAfter(-1), 'E_USAGE');
      await rejectsWith(log.readAfter(1.5), 'E_USAGE');
      await rejectsWith(log.readLatest(-2), 'E_USAGE');
      await rejectsWith(log.append({ ...makeEvent('a', 3), version: 0 }), 'E_USAGE');
      expect((await store.listVersions('a')).length).toBe(1);
      expect(await log.bounds()).toEqual({ first: 0, last: 0 });
    });

    it('counts variants seen (dedupe of known content), durably', async () => {
      const { store } = await open();
      await store.appendVersion(makeVersion('ab', 1));
      await store.appendVersion(makeVersion('ab', 2));
      await store.recordVariant('ab', 1, '2026-01-01T01:00:00.000Z');
      await store.recordVariant('ab', 2, '2026-01-01T02:00:00.000Z');
      await store.recordVariant('ab', 1, '2026-01-01T03:00:00.000Z');
      expect((await store.getArticle('ab'))?.variantsSeen).toBe(3);
      await rejectsWith(store.recordVariant('ab', 3, 'x'), 'E_NOT_FOUND');
      await rejectsWith(store.recordVariant('none', 1, 'x'), 'E_NOT_FOUND');
      const again = await reopen();
      expect((await again.store.getArticle('ab'))?.variantsSeen).toBe(3);
      expect((await again.store.listVersions('ab')).length).toBe(2);
    });

    it('replaces derived data (reparse) without touching the raw source', async () => {
      const { store } = await open();
      const v1 = makeVersion('re', 1);
      await store.appendVersion(v1);
      const v2 = makeVersion('re', 2);
      const m2 = await store.appendVersion(v2);
      const parsed = { ...makeArticle('Better headline', ['One', 'Two', 'Three']), extractor: 'test-extract@2' };
      const changes = makeChanges('correction', 'Correction: a figure fixed', 0.2);
      const m = await store.replaceDerived('re', 2, parsed, changes);
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
      expect(await store.getLatest('re')).toEqual({ meta: m, article: parsed, changes });
      expect(Buffer.from((await store.getRaw('re', 2))!.bytes).equals(Buffer.from(v2.raw))).toBe(true);
      await rejectsWith(store.replaceDerived('re', 2, parsed, null), 'E_USAGE');
      await rejectsWith(store.replaceDerived('re', 3, parsed, changes), 'E_NOT_FOUND');
      expect((await store.replaceDerived('re', 1, parsed, null)).kind).toBe('initial');
      const again = await reopen();
      expect((await again.store.getVersion('re', 2))?.meta).toEqual(m);
      expect((await again.store.getArticle('re'))?.title).toBe('Better headline');
      expect((await again.store.getArticle('re'))?.history[1]).toMatchObject({ kind: 'correction', significance: 0.2 });
      expect(Buffer.from((await again.store.getRaw('re', 1))!.bytes).equals(Buffer.from(v1.raw))).toBe(true);
    });

    it('assigns event ids 1, 2, 3… and reads them back; bounds; readLatest per article', async () => {
      const { log } = await open();
      expect(await log.bounds()).toEqual({ first: 0, last: 0 });
      expect(await log.readAfter(0)).toEqual([]);
      expect(await log.readLatest(10)).toEqual([]);
      const e1 = await log.append(makeEvent('a', 1));
      expect(e1).toEqual({ schema: 'wirediff.event/1', id: 1, ...makeEvent('a', 1) });
      const e2 = await log.append(makeEvent('b', 1));
      const e3 = await log.append(makeEvent('a', 2));
      expect([e2.id, e3.id]).toEqual([2, 3]);
      expect(await log.bounds()).toEqual({ first: 1, last: 3 });
      expect(await log.readAfter(0)).toEqual([e1, e2, e3]);
      expect(await log.readAfter(1, 1)).toEqual([e2]);
      expect(await log.readAfter(3)).toEqual([]);
      expect(await log.readAfter(99)).toEqual([]);
      expect(await log.readAfter(0, 0)).toEqual([]);
      expect(await log.readLatest(2)).toEqual([e2, e3]);
      expect(await log.readLatest(10, 'a')).toEqual([e1, e3]);
      expect(await log.readLatest(1, 'a')).toEqual([e3]);
      expect(await log.readLatest(5, 'zzz')).toEqual([]);
      // The same bytes after serialization, whatever the store (feeds and the live stream send them as they are).
      expect(JSON.stringify((await log.readAfter(2))[0])).toBe(JSON.stringify(e3));
    });

    it('commits a version and its event together; concurrent commits publish in id order, to subscribers too', async () => {
      const { store, log } = await open();
      const seen: ChangeEvent[] = [];
      const stop = log.subscribe((e) => seen.push(e));
      log.subscribe(() => {
        throw new Error('listener fault');
      });
      const v2 = makeVersion('story', 2);
      const one = await store.commitVersion(makeVersion('story', 1), { at: at(1) });
      const two = await store.commitVersion(v2, { at: at(2) });
      expect(two.event).toEqual({
        schema: 'wirediff.event/1',
        id: 2,
        at: at(2),
        article: 'story',
        version: 2,
        title: two.meta.title,
        kind: two.meta.kind,
        summary: two.meta.summary,
        significance: two.meta.significance,
        changes: v2.changes,
      });
      const done = await Promise.all([
        ...['a', 'b', 'c', 'd', 'e', 'f'].map((id, i) => store.commitVersion(makeVersion(id, 1), { at: at(i) })),
        log.append(makeEvent('imported', 1)),
      ]);
      const ids = done.map((d) => ('event' in d ? d.event.id : d.id));
      expect([...ids].sort((x, y) => x - y)).toEqual([3, 4, 5, 6, 7, 8, 9]);
      // Every commit that resolved has been handed to the subscribers, in id order, each once.
      expect(seen.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(seen[0]).toEqual(one.event);
      stop();
      await store.commitVersion(makeVersion('story', 3), { at: at(3) });
      expect(seen).toHaveLength(9);
      const all = await log.readAfter(0);
      expect(all.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      // Each committed version has its event and each event its version (but the one appended on its own).
      for (const e of all.filter((x) => x.article !== 'imported')) {
        expect((await store.getVersion(e.article, e.version))?.meta.version).toBe(e.version);
      }
      const again = await reopen();
      expect(await again.log.readAfter(0)).toEqual(all);
      expect((await again.log.append(makeEvent('later', 1))).id).toBe(11);
    });

    it('resumes with readAfter from any id: exactly the events after it, in batches', async () => {
      const { store, log } = await open();
      const ids: number[] = [];
      for (let n = 1; n <= 40; n++) {
        for (const a of ['x', 'y', 'z'])
          ids.push((await store.commitVersion(makeVersion(a, n), { at: at(n) })).event.id);
      }
      expect(ids).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
      for (const from of [0, 1, 59, 119, 120]) {
        const got: number[] = [];
        for (let cursor = from; ;) {
          const batch = await log.readAfter(cursor, 7);
          if (batch.length === 0) break;
          got.push(...batch.map((e) => e.id));
          cursor = batch[batch.length - 1]!.id;
        }
        expect(got).toEqual(ids.slice(from));
      }
      expect((await log.readLatest(2, 'y')).map((e) => e.version)).toEqual([39, 40]);
      const again = await reopen();
      expect((await again.log.readAfter(100)).map((e) => e.id)).toEqual(ids.slice(100));
      expect(await again.log.bounds()).toEqual({ first: 1, last: 120 });
    });

    it('finishes writes accepted before close; after close every call rejects with E_CLOSED; close is idempotent', async () => {
      const first = await open();
      const { store, log } = first;
      const pending = Promise.all([1, 2, 3].map((n) => store.commitVersion(makeVersion(`w${n}`, 1), { at: at(n) })));
      await Promise.resolve();
      const closing = first.close();
      await pending;
      await closing;
      await first.close();
      await rejectsWith(store.listArticles(), 'E_CLOSED');
      await rejectsWith(store.appendVersion(makeVersion('late', 1)), 'E_CLOSED');
      await rejectsWith(log.readAfter(0), 'E_CLOSED');
      await rejectsWith(log.append(makeEvent('late', 1)), 'E_CLOSED');
      opened = undefined;
      const again = await open();
      expect((await again.log.readAfter(0)).map((e) => e.article).sort()).toEqual(['w1', 'w2', 'w3']);
    });

    it('loses nothing acknowledged when its writer process is killed with SIGKILL mid-commit', async () => {
      const writer = await crashWriter();
      for (let round = 0; round < 3; round++) {
        const child = spawn(process.execPath, [writer, JSON.stringify(sut.target)], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        const acked: { article: string; n: number; id: number }[] = [];
        let err = '';
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        await new Promise<void>((resolve, reject) => {
          let buf = '';
          child.stdout.on('data', (d: Buffer) => {
            buf += d.toString();
            for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
              const [tag, article, n, id] = buf.slice(0, nl).split(' ');
              buf = buf.slice(nl + 1);
              if (tag === 'C') acked.push({ article: article!, n: Number(n), id: Number(id) });
              // Killed in the middle of the stream, after a round-dependent number of commits.
              if (acked.length === 15 + round * 7) child.kill('SIGKILL');
            }
          });
          child.once('exit', () => (acked.length >= 15 ? resolve() : reject(new Error(`writer died: ${err}`))));
        });
        const { store, log } = await open();
        const events = await log.readAfter(0);
        for (const a of acked) {
          const v = await store.getVersion(a.article, a.n);
          expect(v?.meta.rawHash).toBe(rawHashFor(a.article, a.n));
          expect(events.find((e) => e.id === a.id)).toMatchObject({ article: a.article, version: a.n });
        }
        // Ids increase; every stored version has exactly one event, and every event its version.
        expect(events.map((e) => e.id)).toEqual([...events.map((e) => e.id)].sort((x, y) => x - y));
        const seen = new Set(events.map((e) => `${e.article}/${e.version}`));
        expect(seen.size).toBe(events.length);
        for (const s of await store.listArticles()) {
          for (let n = 1; n <= s.versions; n++) expect(seen.has(`${s.id}/${n}`)).toBe(true);
        }
        await opened?.close();
        opened = undefined;
      }
    });
  });
}
