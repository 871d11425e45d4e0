/** The headline before and after (wire prefixes aside), and which headline of the page changed. */
import type { Article } from '../../model/article.js';
import type { ChangeFact, HeadlineSource } from '../../model/changeset.js';
import { normalizeText } from '../../extract/normalize.js';
import { splitHeadline } from '../conventions.js';

function headlineSource(oldA: Article, newA: Article): HeadlineSource {
  if (newA.format === 'text') return 'text';
  const o = oldA.headlines;
  const n = newA.headlines;
  if (o !== undefined && n !== undefined) {
    if ((n.h1 ?? '') !== '' && normalizeText(o.h1 ?? '') !== normalizeText(n.h1 ?? '')) return 'h1';
    if ((n.ogTitle ?? '') !== '' && normalizeText(o.ogTitle ?? '') !== normalizeText(n.ogTitle ?? '')) {
      return 'og:title';
    }
  }
  return 'title';
}

export function headlineFact(oldA: Article, newA: Article): ChangeFact | undefined {
  const oldHead = splitHeadline(oldA.title);
  const newHead = splitHeadline(newA.title);
  if (normalizeText(oldHead.text).toLowerCase() === normalizeText(newHead.text).toLowerCase()) return undefined;
  return { type: 'headline', old: oldHead.text, new: newHead.text, source: headlineSource(oldA, newA), at: {} };
}
