/**
 * JSON of an article (as a version document stores it: each paragraph's `norm` left out where it equals its `text`)
 * and of a ChangeSet, encoded once, where they were made.
 *
 * Serialising a 2 MB article on the event loop takes 10–20 ms, and the store did it for every version (its document),
 * and again for the event's ChangeSet, and the worker pool took the article back as objects for the next diff. The
 * ingest worker (src/ingest/worker.ts) now encodes both with the functions below, off the event loop; the pool
 * remembers the bytes against the objects it hands back (`rememberEncoded`), and the store and the event log use them
 * instead of encoding again (`articleJson`, `changesJson`), byte for byte the same as encoding them here would give.
 *
 * The bytes are keyed by the objects themselves (weakly: they go when the object goes). Articles and ChangeSets are
 * values, never changed once made (their types are readonly), so the bytes stay right for as long as the object lives.
 */
import type { Article, Paragraph } from '../core/model/article.js';
import type { ChangeSet } from '../core/model/changeset.js';

const articles = new WeakMap<Article, Uint8Array>();
const changeSets = new WeakMap<ChangeSet, Uint8Array>();

/** The article as a version document stores it: each paragraph's `norm` left out where it equals its `text`. */
export function storedArticle(article: Article): Article {
  return {
    ...article,
    paragraphs: article.paragraphs.map((p) => {
      if (p.norm !== p.text) return p;
      const { norm: _norm, ...rest } = p;
      return rest as Paragraph;
    }),
  };
}

/** Encodes the article as a version document stores it (JSON, UTF-8, norms left out where they equal the text). */
export function encodeStoredArticle(article: Article): Buffer {
  return Buffer.from(JSON.stringify(storedArticle(article)), 'utf8');
}

/** Encodes a ChangeSet (JSON, UTF-8). */
export function encodeChangeSet(changes: ChangeSet): Buffer {
  return Buffer.from(JSON.stringify(changes), 'utf8');
}

/** Remembers the encodings of an article and its ChangeSet (made by `encodeStoredArticle`, `encodeChangeSet`). */
export function rememberEncoded(
  article: Article,
  articleBytes: Uint8Array,
  changes: ChangeSet | null,
  changesBytes: Uint8Array | null,
): void {
  articles.set(article, articleBytes);
  if (changes !== null && changesBytes !== null) changeSets.set(changes, changesBytes);
}

/** The article's remembered encoding, if any (without encoding it). */
export function knownArticleJson(article: Article): Uint8Array | undefined {
  return articles.get(article);
}

/** The article as a document stores it: the remembered bytes, else encoded now. */
export function articleJson(article: Article): Uint8Array {
  return articles.get(article) ?? encodeStoredArticle(article);
}

/** The ChangeSet's JSON: the remembered bytes, else encoded now. */
export function changesJson(changes: ChangeSet): Uint8Array {
  return changeSets.get(changes) ?? encodeChangeSet(changes);
}

/** Drops a ChangeSet's remembered bytes (once its version and event are written, nothing encodes it again). */
export function forgetChangesJson(changes: ChangeSet | null): void {
  if (changes !== null) changeSets.delete(changes);
}

/** Puts back the `norm` that `storedArticle` left out where it equals `text`; false when a paragraph is not one. */
export function restoreNorms(article: { paragraphs: unknown[] }): boolean {
  for (const p of article.paragraphs as { text?: unknown; norm?: unknown }[]) {
    if (typeof p !== 'object' || p === null || typeof p.text !== 'string') return false;
    if (p.norm === undefined) p.norm = p.text;
    else if (typeof p.norm !== 'string') return false;
  }
  return true;
}

/** Decodes `encodeStoredArticle`'s bytes back into the article (norms put back). Throws on bytes that are not one. */
export function decodeStoredArticle(bytes: Uint8Array): Article {
  const a = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as unknown;
  if (
    typeof a !== 'object' ||
    a === null ||
    !Array.isArray((a as { paragraphs?: unknown }).paragraphs) ||
    !restoreNorms(a as { paragraphs: unknown[] })
  ) {
    throw new Error('not an encoded article');
  }
  return a as Article;
}

/**
 * The JSON of `head` (an object of small fields) with one more field, `key`, last, whose value is already encoded:
 * the same bytes as `JSON.stringify({ ...head, [key]: value })` when `value` encodes to `valueJson`.
 */
export function jsonWithLast(head: object, key: string, valueJson: Uint8Array): Buffer {
  const start = JSON.stringify(head);
  const sep = start === '{}' ? '' : ',';
  return Buffer.concat([
    Buffer.from(`${start.slice(0, -1)}${sep}${JSON.stringify(key)}:`, 'utf8'),
    valueJson,
    Buffer.from('}', 'utf8'),
  ]);
}
