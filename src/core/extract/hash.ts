import { createHash } from 'node:crypto';
import type { Article } from '../model/article.js';
import { normalizeText } from './normalize.js';

/**
 * sha256 (hex) of the article's content: the normalized title, then each paragraph's normalized form, one per line
 * (normalized text holds no line breaks, so the framing is unambiguous). Equal hashes mean the same content up to
 * cosmetic differences (whitespace, quote and dash style, invisible characters); blocks and format do not count.
 */
export function contentHash(a: Article): string {
  const h = createHash('sha256');
  h.update('wirediff-content/1\n');
  h.update(normalizeText(a.title));
  for (const p of a.paragraphs) {
    h.update('\n');
    h.update(p.norm);
  }
  return h.digest('hex');
}
