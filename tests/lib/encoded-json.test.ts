/**
 * The article's and the ChangeSet's JSON encoded where they were made (the ingest worker) and used as they are by the
 * version document and the event record: the same bytes as serialising them on the spot, and really the bytes given.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { contentHash, parseArticle } from '../../src/core/extract/index.js';
import { diffVersions } from '../../src/core/diff/index.js';
import { derivedMeta, type StoredVersion } from '../../src/core/model/version.js';
import {
  decodeStoredArticle,
  encodeChangeSet,
  encodeStoredArticle,
  jsonWithLast,
  rememberEncoded,
  storedArticle,
} from '../../src/lib/encoded-json.js';
import { decodeVersionDoc, encodeVersionDoc, VERSION_DOC_SCHEMA } from '../../src/store/file/version-doc.js';
import { openFileStore, type FileStore } from '../../src/store/open.js';
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

// Curly quotes and double spaces make some paragraphs' norm differ from their text (those keep it in the document).
const before = parseArticle({
  body: 'Talks resume in Doha\n\nNegotiators  met on “Tuesday” night.\n\nThe ceasefire held.\n\nAid convoys waited.\n',
  format: 'text',
});
const after = parseArticle({
  body: 'Talks resume in Doha\n\nA draft was agreed overnight.\n\nNegotiators  met on “Tuesday” night.\n\nThe ceasefire held, officials said.\n',
  format: 'text',
});
const changes = diffVersions(before, after);

function stored(article = after, ch = changes): StoredVersion {
  return {
    meta: {
      article: 'doha',
      version: 2,
      fetchedAt: '2026-12-06T00:00:00.000Z',
      origin: { kind: 'push' },
      contentType: 'text/plain',
      rawBytes: 10,
      rawHash: 'ab'.repeat(32),
      contentHash: contentHash(article),
      ...derivedMeta(2, article, ch),
    },
    article,
    changes: ch,
  };
}

test('the document is the same bytes whether its article and ChangeSet were encoded before or are encoded now', () => {
  expect(after.paragraphs.some((p) => p.norm !== p.text)).toBe(true);
  const ref = { id: 7, at: '2026-12-06T00:00:01.000Z' };
  const plain = Buffer.from(
    JSON.stringify({
      schema: VERSION_DOC_SCHEMA,
      meta: stored().meta,
      article: storedArticle(after),
      changes,
      event: ref,
    }),
    'utf8',
  );
  expect(encodeVersionDoc(stored(), ref).equals(plain)).toBe(true);
  // Copies of the objects, with the worker's encodings remembered against them.
  const article = structuredClone(after);
  const ch = structuredClone(changes);
  rememberEncoded(article, encodeStoredArticle(article), ch, encodeChangeSet(ch));
  expect(encodeVersionDoc(stored(article, ch), ref).equals(plain)).toBe(true);
  expect(decodeVersionDoc(plain, 'doc', 'doha', 2).version).toEqual(stored());
  // A first version (no ChangeSet) and no event.
  const first = { ...stored(), changes: null };
  expect(
    encodeVersionDoc(first, null).equals(
      Buffer.from(
        JSON.stringify({
          schema: VERSION_DOC_SCHEMA,
          meta: first.meta,
          article: storedArticle(after),
          changes: null,
          event: null,
        }),
      ),
    ),
  ).toBe(true);
});

test('remembered encodings are what gets written (not serialised again)', () => {
  const article = structuredClone(after);
  const ch = structuredClone(changes);
  // Stand-ins that differ from what serialising would give: the document must carry these bytes.
  const articleBytes = encodeStoredArticle({ ...article, title: 'Encoded on the worker' });
  const changesBytes = encodeChangeSet({ ...ch, summary: 'Encoded on the worker too' });
  rememberEncoded(article, articleBytes, ch, changesBytes);
  const doc = JSON.parse(encodeVersionDoc(stored(article, ch), null).toString('utf8')) as {
    article: { title: string };
    changes: { summary: string };
  };
  expect(doc.article.title).toBe('Encoded on the worker');
  expect(doc.changes.summary).toBe('Encoded on the worker too');
});

test('an encoded article decodes back to the article; jsonWithLast is JSON.stringify with one more field', () => {
  expect(decodeStoredArticle(encodeStoredArticle(after))).toEqual(after);
  expect(() => decodeStoredArticle(Buffer.from('{"title":"x"}'))).toThrow(/not an encoded article/);
  const head = { a: 1, b: 'two', c: null };
  expect(jsonWithLast(head, 'changes', encodeChangeSet(changes)).toString('utf8')).toBe(
    JSON.stringify({ ...head, changes }),
  );
  expect(jsonWithLast({}, 'x', Buffer.from('[1]')).toString('utf8')).toBe('{"x":[1]}');
});

test('a version and its event committed with remembered encodings read back as committed, before and after a reopen', async () => {
  fs = await openFileStore({ dir });
  const v1 = await fs.store.commitVersion(
    {
      article: 'doha',
      fetchedAt: '2026-12-06T00:00:00.000Z',
      origin: { kind: 'push' },
      contentType: 'text/plain',
      raw: Buffer.from('raw one'),
      parsed: before,
      contentHash: contentHash(before),
      changes: null,
      expectedLatest: 0,
    },
    { at: '2026-12-06T00:00:00.000Z' },
  );
  const article = structuredClone(after);
  const ch = structuredClone(changes);
  rememberEncoded(article, encodeStoredArticle(article), ch, encodeChangeSet(ch));
  const v2 = await fs.store.commitVersion(
    {
      article: 'doha',
      fetchedAt: '2026-12-06T00:01:00.000Z',
      origin: { kind: 'push' },
      contentType: 'text/plain',
      raw: Buffer.from('raw two'),
      parsed: article,
      contentHash: contentHash(article),
      changes: ch,
      expectedLatest: 1,
    },
    { at: '2026-12-06T00:01:00.000Z' },
  );
  expect(v2.event.changes).toEqual(changes);
  await fs.close();
  fs = await openFileStore({ dir });
  const read = await fs.store.getVersion('doha', 2);
  expect(read?.article).toEqual(after);
  expect(read?.changes).toEqual(changes);
  expect(await fs.log.readAfter(0)).toEqual([v1.event, v2.event]);
});
