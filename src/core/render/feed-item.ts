/**
 * The HTML description of an RSS item: the summary, then only the changed paragraphs (word changes as `<ins>`/`<del>`,
 * each with a visible mark, since feed readers drop classes and styles), grouped under the story's blocks. No ids,
 * no `<details>`, no classes, no styles; every piece of text escaped; capped in size. Pure: returns the string, which
 * the RSS writer puts in the item's description (the feed library escapes or CDATA-wraps it as XML).
 */
import { WirediffError } from '../errors.js';
import type { Article } from '../model/article.js';
import type { ChangeSet, WordPart } from '../model/changeset.js';
import { escapeText } from './escape.js';
import {
  blockTitle,
  layoutChangeSet,
  paraRange,
  plural,
  sectionNote,
  statsLine,
  summaryParts,
  type ChangeOp,
} from './layout.js';

export interface FeedItemOptions {
  /** Changed paragraphs shown before "… and N more changes" (default 20, from 1 to 10,000). */
  readonly maxChanges?: number | undefined;
  /** Stop adding paragraphs once the description is this long in characters (default 20,000, from 1,000 to 10,000,000). */
  readonly maxChars?: number | undefined;
}

export const FEED_ITEM_DEFAULTS = { maxChanges: 20, maxChars: 20_000 } as const;

const esc = escapeText;

function checkInt(name: string, value: number | undefined, min: number, max: number, dflt: number): number {
  const v = value ?? dflt;
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new WirediffError(
      'E_USAGE',
      `renderFeedItemHtml: option "${name}" must be an integer from ${min} to ${max}, received ${String(v)}`,
    );
  }
  return v;
}

function parts(ps: readonly WordPart[]): string {
  const out: string[] = [];
  for (const p of ps) {
    if (p.t === '=') out.push(esc(p.v));
    else if (p.t === '+') out.push('<ins>', esc(p.v), '</ins>');
    else out.push('<del>', esc(p.v), '</del>');
  }
  return out.join('');
}

/** One change as compact HTML, or null for what is said elsewhere (a moved paragraph's old place). */
function changeHtml(op: ChangeOp): string | null {
  switch (op.op) {
    case 'insert':
      return `<p><b>+</b> <ins>${esc(op.text)}</ins></p>`;
    case 'delete':
      return `<p><b>−</b> <del>${esc(op.text)}</del></p>`;
    case 'edit':
      if (op.parts === null) return `<p><b>~</b> <del>${esc(op.old)}</del></p><p><ins>${esc(op.text)}</ins></p>`;
      return `<p><b>~</b> ${op.cosmetic ? '<em>(formatting only)</em> ' : ''}${parts(op.parts)}</p>`;
    case 'move':
      return `<p><b>↕</b> <em>(moved from ¶${op.o + 1}${op.parts === null ? '' : ', edited'})</em> ${op.parts === null ? esc(op.text) : parts(op.parts)}</p>`;
    case 'moved-out':
      return null;
    case 'split':
      return (
        `<p><b>⇉</b> <em>(¶${op.o + 1} split into ${paraRange(op.n, op.texts.length)})</em> <del>${esc(op.old)}</del></p>` +
        op.texts.map((t) => `<p><ins>${esc(t)}</ins></p>`).join('')
      );
    case 'merge':
      return (
        `<p><b>⇇</b> <em>(${paraRange(op.o, op.olds.length)} merged into ¶${op.n + 1})</em> ` +
        op.olds.map((t) => `<del>${esc(t)}</del>`).join(' ') +
        `</p><p><ins>${esc(op.text)}</ins></p>`
      );
  }
}

/**
 * The description of the RSS item for a new version of `article` (`cs` null: the first version, shown as its first
 * paragraphs). Pure: returns the string.
 */
export function renderFeedItemHtml(cs: ChangeSet | null, article: Article, options: FeedItemOptions = {}): string {
  const maxChanges = checkInt('maxChanges', options.maxChanges, 1, 10_000, FEED_ITEM_DEFAULTS.maxChanges);
  const maxChars = checkInt('maxChars', options.maxChars, 1_000, 10_000_000, FEED_ITEM_DEFAULTS.maxChars);
  const out: string[] = [];
  let size = 0;
  const add = (s: string): void => {
    out.push(s);
    size += s.length;
  };

  if (cs === null || cs.kind === 'initial') {
    const paras = article.paragraphs;
    add(
      `<p><strong>First version</strong>: ${esc(article.title === '' ? '(untitled)' : article.title)} — ${plural(paras.length, 'paragraph')}.</p>`,
    );
    let shown = 0;
    for (; shown < paras.length && shown < maxChanges && size < maxChars; shown++)
      add(`<p>${esc(paras[shown]!.text)}</p>`);
    if (shown < paras.length) add(`<p><em>… and ${plural(paras.length - shown, 'more paragraph')}.</em></p>`);
    return out.join('');
  }

  // The summary often starts with its own label ("Breaking update: 6 paragraphs…"): say it once, in bold.
  const { label, rest } = summaryParts(cs);
  add(`<p><strong>${esc(label)}</strong>${rest === '' ? '' : `: ${esc(rest)}`}</p>`);
  add(`<p>Paragraphs: ${esc(statsLine(cs.stats))}</p>`);
  if (cs.title.changed) add(`<p>Headline: <del>${esc(cs.title.old)}</del> → <ins>${esc(cs.title.new)}</ins></p>`);

  const layout = layoutChangeSet(cs, { next: article, context: 0, collapseAfter: 0, changesOnly: true });
  let total = 0;
  for (const s of layout.sections)
    for (const item of s.items) if (item.t === 'change' && item.op.op !== 'moved-out') total++;
  let shown = 0;
  outer: for (const section of layout.sections) {
    let headed = !section.heading;
    for (const item of section.items) {
      if (item.t !== 'change') continue;
      const html = changeHtml(item.op);
      if (html === null) continue;
      if (shown >= maxChanges || size >= maxChars) break outer;
      if (!headed) {
        add(`<p><strong>${esc(blockTitle(section.block))} (${esc(sectionNote(section))})</strong></p>`);
        headed = true;
      }
      add(html);
      shown++;
    }
  }
  if (shown < total) add(`<p><em>… and ${plural(total - shown, 'more change')}.</em></p>`);
  return out.join('');
}
