/**
 * What an edit changed (`EditClass`): only whitespace or punctuation, only dates and times, only figures, a word or
 * two, most of the paragraph, or more. The classifier turns these into facets; the fact finders skip cosmetic and
 * dates-only edits.
 */
import type { Article } from '../../model/article.js';
import type { Op } from '../../model/changeset.js';
import { normalizeText } from '../../extract/normalize.js';
import { maskDates } from '../conventions.js';
import { countWordDelta } from '../words.js';
import { isTextEdit } from './context.js';
import { changedFigures } from './figures.js';

/** An edit of at most this many words added and this many removed (dates and figures aside) is small: a typo, a word. */
export const TYPO_MAX_WORDS = 2;

/**
 * An edit that changes figures and at most this many other words each way ("down 1.2% in afternoon trading" →
 * "down 2.4% at the close") is a figure update, not an update of the text.
 */
export const FIGURE_EDIT_MAX_WORDS = 3;

/**
 * An edit keeping less than this share of its paragraph's characters is a rewrite of that paragraph (a new lede when
 * it is the lede).
 */
export const REWRITE_MAX_UNCHANGED = 0.5;

/**
 * What an edit changed: only whitespace or punctuation (`cosmetic`), only dates and times (`timestamp`), only figures
 * (`figures`), a word or two (`small`), most of the paragraph (`rewrite`), or more than a word or two (`substantive`).
 */
export type EditClass = 'cosmetic' | 'timestamp' | 'figures' | 'small' | 'rewrite' | 'substantive';

/** Words of a date-masked text (see `maskDates`) with figures masked too. */
function contentWords(masked: string): string[] {
  return masked
    .replace(/\d[\d,.]*%?/g, '#')
    .split(/[^\p{L}\p{N}#'-]+/u)
    .filter((w) => /[\p{L}\p{N}#]/u.test(w));
}

/** Share of characters kept by word parts (0 when there are none). */
export function unchangedShare(op: Extract<Op, { op: 'edit' }>): number {
  if (op.parts === null) return 0;
  let kept = 0;
  for (const p of op.parts) if (p.t === '=') kept += p.v.trim().length;
  const longest = Math.max(op.old.trim().length, op.text.trim().length);
  return longest === 0 ? 1 : kept / longest;
}

function classifyEdit(oldNorm: string, newNorm: string, unchanged: number, cosmetic: boolean): EditClass {
  if (cosmetic || oldNorm === newNorm) return 'cosmetic';
  const mo = maskDates(oldNorm);
  const mn = maskDates(newNorm);
  if (mo === mn) return 'timestamp';
  const d = countWordDelta(contentWords(mo), contentWords(mn));
  const figures = changedFigures(oldNorm, newNorm).length > 0;
  if (figures && d.added <= FIGURE_EDIT_MAX_WORDS && d.removed <= FIGURE_EDIT_MAX_WORDS) return 'figures';
  if (d.added <= TYPO_MAX_WORDS && d.removed <= TYPO_MAX_WORDS) return 'small';
  if (unchanged < REWRITE_MAX_UNCHANGED) return 'rewrite';
  return 'substantive';
}

/**
 * The edit class of each op (same index): for `edit`, `move` with a text change, `split` and `merge`; null for the
 * others.
 */
export function classifyEdits(ops: readonly Op[], oldA: Article, newA: Article): (EditClass | null)[] {
  return ops.map((op) => {
    if (isTextEdit(op)) {
      const oldP = oldA.paragraphs[op.o]!;
      const newP = newA.paragraphs[op.n]!;
      const unchanged =
        op.op === 'edit' ? unchangedShare(op) : unchangedShare({ ...op, op: 'edit', cosmetic: false, old: oldP.text });
      return classifyEdit(oldP.norm, newP.norm, unchanged, op.op === 'edit' && op.cosmetic);
    }
    if (op.op === 'split' || op.op === 'merge') {
      const oldNorm = op.op === 'split' ? normalizeText(op.old) : normalizeText(op.olds.join(' '));
      const newNorm = op.op === 'split' ? normalizeText(op.texts.join(' ')) : normalizeText(op.text);
      return classifyEdit(oldNorm, newNorm, op.similarity, false);
    }
    return null;
  });
}
