/**
 * The small pieces of markup both diff views are made of: marks, paragraph numbers, text paragraphs, word changes,
 * notes and move links. Every piece of article text goes through `escapeText` here.
 */
import type { BlockKind } from '../../model/article.js';
import type { WordPart } from '../../model/changeset.js';
import { showAsReplaced } from '../../model/changeset.js';
import { escapeText } from '../escape.js';
import type { ChangeOp } from '../layout.js';

export const esc = escapeText;

/**
 * Labels we write (numbers, ranges, counts) with every non-ASCII character as a numeric reference, so that the
 * markup itself never makes the output a two-byte string: rendering and writing a page of Latin-1 text stays cheap.
 */
export function label(s: string): string {
  return esc(s).replace(/[^ -~]/g, (c) => (c === '¶' ? c : `&#${c.codePointAt(0)};`));
}

type MarkKind = 'added' | 'removed' | 'edited' | 'cosmetic' | 'moved' | 'moved-out' | 'split' | 'merged' | 'unchanged';

export const MARKS: Readonly<Record<MarkKind, string>> = {
  added: '<span class="wd-mark" role="img" aria-label="added">+</span>',
  removed: '<span class="wd-mark" role="img" aria-label="removed">&#8722;</span>',
  edited: '<span class="wd-mark" role="img" aria-label="edited">~</span>',
  cosmetic: '<span class="wd-mark" role="img" aria-label="edited (formatting only)">~</span>',
  moved: '<span class="wd-mark" role="img" aria-label="moved here">&#8597;</span>',
  'moved-out': '<span class="wd-mark" role="img" aria-label="moved away">&#8597;</span>',
  split: '<span class="wd-mark" role="img" aria-label="split">&#8649;</span>',
  merged: '<span class="wd-mark" role="img" aria-label="merged">&#8647;</span>',
  unchanged: '',
};

/** Word parts as HTML: `both` shows insertions and deletions, `old` only deletions, `new` only insertions. */
export function partsHtml(parts: readonly WordPart[], side: 'both' | 'old' | 'new'): string {
  const out: string[] = [];
  for (const p of parts) {
    if (p.t === '=') out.push(esc(p.v));
    else if (p.t === '+') {
      if (side !== 'old') out.push('<ins>', esc(p.v), '</ins>');
    } else if (side !== 'new') out.push('<del>', esc(p.v), '</del>');
  }
  return out.join('');
}

const PREVIEW_CHARS = 120;

/** The start of a text on one line, at most `PREVIEW_CHARS` characters (an ellipsis when cut). */
export function preview(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  const cps = [...t];
  return cps.length <= PREVIEW_CHARS ? t : `${cps.slice(0, PREVIEW_CHARS - 1).join('')}…`;
}

/** A paragraph number ("¶3", "was ¶3", "¶3–¶5"). */
export function num(text: string): string {
  return `<span class="wd-num">${text}</span>`;
}

export function textP(html: string, id?: string): string {
  return id === undefined ? `<p class="wd-text">${html}</p>` : `<p class="wd-text" id="${id}">${html}</p>`;
}

/** A text paragraph holding `text` as inserted. */
export function insP(text: string, id?: string): string {
  return textP(`<ins>${esc(text)}</ins>`, id);
}

/** A text paragraph holding `text` as deleted. */
export function delP(text: string, id?: string): string {
  return textP(`<del>${esc(text)}</del>`, id);
}

export function note(html: string): string {
  return `<p class="wd-note">${html}</p>`;
}

/** The link between a moved paragraph's two places ("moved from ¶7", "moved to ¶2"). */
export function moveLink(href: string, words: string): string {
  return `<a class="wd-move-link" href="${href}">${words}</a>`;
}

export function rowClass(change: string, block: BlockKind, extra = ''): string {
  return `${change} wd-b-${block}${extra}`;
}

type EditOp = Extract<ChangeOp, { op: 'edit' }>;

/** How an edit is shown: its mark, its extra classes, and whether it reads as a replacement (whole texts). */
export function editLook(op: EditOp): { mark: string; extra: string; replaced: boolean } {
  const replaced = showAsReplaced(op);
  return {
    mark: op.cosmetic ? MARKS.cosmetic : MARKS.edited,
    extra: (op.cosmetic ? ' wd-cosmetic' : '') + (replaced ? ' wd-replaced' : ''),
    replaced,
  };
}

/** An edit's text as paragraphs, on one `side` or both: the word changes marked, or (`replaced`) the whole texts. */
export function editedText(op: EditOp, replaced: boolean, side: 'both' | 'old' | 'new'): string {
  if (replaced || op.parts === null) {
    if (side === 'old') return delP(op.old);
    return side === 'new' ? insP(op.text) : delP(op.old) + insP(op.text);
  }
  return textP(partsHtml(op.parts, side));
}

/** A moved paragraph's text at its new place: its word changes marked when it was also edited. */
export function movedText(op: Extract<ChangeOp, { op: 'move' }>): string {
  return op.parts === null ? esc(op.text) : partsHtml(op.parts, 'both');
}
