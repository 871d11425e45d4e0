/** Bylines (by-lines and credit lines) and datelines changed. */
import type { Article } from '../../model/article.js';
import type { ChangeFact } from '../../model/changeset.js';
import { normalizeText } from '../../extract/normalize.js';
import type { FactContext, Role } from './context.js';

/** The article's byline paragraphs joined with " / ", else the byline the page marks up. */
function bylines(a: Article, roles: readonly Role[]): string {
  return (
    a.paragraphs
      .filter((_, i) => roles[i] === 'byline')
      .map((p) => p.text.trim())
      .join(' / ') ||
    (a.byline ?? '')
  );
}

/** The `byline` fact, then the `dateline` fact, when they changed. */
export function creditFacts(ctx: FactContext): ChangeFact[] {
  const facts: ChangeFact[] = [];
  const ob = bylines(ctx.oldA, ctx.oldRoles);
  const nb = bylines(ctx.newA, ctx.newRoles);
  if (normalizeText(ob) !== normalizeText(nb)) facts.push({ type: 'byline', old: ob, new: nb, at: {} });
  const od = ctx.oldA.dateline ?? '';
  const nd = ctx.newA.dateline ?? '';
  if (normalizeText(od) !== normalizeText(nd)) {
    facts.push({ type: 'dateline', old: od, new: nd, at: ctx.ledeNew >= 0 ? { n: ctx.ledeNew } : {} });
  }
  return facts;
}
