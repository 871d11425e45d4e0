/**
 * Article ids from source locators. Pure and deterministic (no I/O, no clock).
 *
 * - A URL: host (without a leading `www.`, with a non-default port) + path, lower-case, every run of other
 *   characters → `-`, e.g. `https://apnews.com/article/syria-123?utm=x#top` → `apnews-com-article-syria-123-1a2b3c4d`.
 *   The fragment is ignored; a query string adds an 8-hex hash suffix of the URL (so `?id=1` and `?id=2` differ).
 * - Anything else is a file path: the base name without its extension (`/news/Story One.txt` → `story-one`).
 * Accents are folded (`café` → `cafe`, `Łódź` → `lodz`). Longer than 120 characters → truncated with a hash suffix of the whole
 * locator. A reserved id (`all.txt` → `all`) gets the hash suffix too. A locator with no letters or digits at all gets
 * `article-<hash>`. The result always satisfies isArticleId.
 */
import { createHash } from 'node:crypto';
import { isArticleId, type ArticleId } from '../core/model/version.js';

const MAX_LENGTH = 120;

/** Ids no article may have: `all` names the combined feed (`feeds/all.xml`, `/feeds/all.xml`). */
export const RESERVED_ARTICLE_IDS: ReadonlySet<string> = new Set(['all']);

/** True for an id reserved for something other than an article (see RESERVED_ARTICLE_IDS). */
export function isReservedArticleId(id: string): boolean {
  return RESERVED_ARTICLE_IDS.has(id);
}
const HASH_LENGTH = 8;

function shortHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, HASH_LENGTH);
}

/** Latin letters that Unicode decomposition does not reduce to ASCII. */
const FOLD: Record<string, string> = {
  ł: 'l',
  ø: 'o',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[łøßæœđðþı]/g, (c) => FOLD[c] ?? c)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function withHash(slug: string, hashOf: string): string {
  const hash = shortHash(hashOf);
  const room = MAX_LENGTH - HASH_LENGTH - 1;
  const head = slug.slice(0, room).replace(/-+$/, '');
  return head === '' ? `article-${hash}` : `${head}-${hash}`;
}

function httpUrl(locator: string): URL | null {
  try {
    const url = new URL(locator.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

function baseNameWithoutExtension(locator: string): string {
  let name = locator;
  const fileUrl = /^file:/i.test(locator.trim()) ? safeUrl(locator.trim()) : null;
  if (fileUrl !== null) name = decodeURIComponentSafe(fileUrl.pathname);
  name = name.replace(/[\\/]+$/, '');
  const base = name.split(/[\\/]/).pop() ?? name;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

function safeUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A deterministic, path-safe article id for a URL or a file path (see the file comment). */
export function articleIdFor(locator: string): ArticleId {
  const url = httpUrl(locator);
  let slug: string;
  let needsHash = false;
  let hashOf = locator;
  if (url !== null) {
    url.hash = '';
    const host = url.host.replace(/^www\./, '');
    slug = slugify(`${host}${decodeURIComponentSafe(url.pathname)}`);
    needsHash = url.search !== '' && url.search !== '?';
    hashOf = url.href;
  } else {
    slug = slugify(baseNameWithoutExtension(locator));
  }
  let id: string;
  if (slug === '') id = `article-${shortHash(hashOf)}`;
  else if (needsHash || slug.length > MAX_LENGTH || isReservedArticleId(slug)) id = withHash(slug, hashOf);
  else id = slug;
  // Unreachable by construction; kept as a guard so no caller can ever get an unsafe id.
  if (!isArticleId(id)) id = `article-${shortHash(hashOf)}`;
  return id;
}
