/**
 * The HTML description of an RSS item: the change said once (its label and summary), its facts (the core's
 * `factLines`: "Figures: killed 4 → 7 (¶1, lede)"), the links to the diff and the version pages, then only the changed
 * paragraphs grouped under the story's blocks. Pure: returns the string, which
 * the RSS writer puts in the item's description (the feed library escapes or CDATA-wraps it as XML).
 *
 * It must read right in a text-only reader (newsboat, a mail client, a screen reader), which drops `<ins>`/`<del>`:
 * every change is also said in visible text next to the markup. A one-word swap reads "156 → 165"; other word
 * changes read "[-old words-] {+new words+}"; whole paragraphs carry a word ("Added:", "Removed:"). The marks sit in
 * `<del class="wd-del">`/`<ins class="wd-ins">`, so a reader that keeps styles can style them. No ids, no `<details>`,
 * no styles; every piece of text escaped; capped in size.
 */
import type { Article } from '../model/article.js';
import type { ChangeSet, WordPart } from '../model/changeset.js';
import { showAsReplaced } from '../model/changeset.js';
import { kindLabel } from '../model/kinds.js';
import { escapeText, safeUrl } from './escape.js';
import { factLines } from './facts.js';
import { blockTitle } from './blocks.js';
import { paraRange, sectionNote } from './labels.js';
import { layoutChangeSet, type ChangeOp } from './layout.js';
import { checkInt } from './html/options.js';
import { plural } from '../words.js';

export interface FeedItemOptions {
  /** Changed paragraphs shown before "… and N more changes" (default 20, from 1 to 10,000). */
  readonly maxChanges?: number | undefined;
  /** Stop adding paragraphs once the description is this long in characters (default 20,000, from 1,000 to 10,000,000). */
  readonly maxChars?: number | undefined;
  /** Links to the diff and the version pages, shown under the summary. */
  readonly links?: FeedItemLinks | undefined;
  /** The previous version: removed paragraphs are then placed in their blocks, in reading order (`readingOrderOld`). */
  readonly old?: Article | undefined;
}

export const FEED_ITEM_DEFAULTS = { maxChanges: 20, maxChars: 20_000 } as const;

const esc = escapeText;

const DEL = '<del class="wd-del">';
const INS = '<ins class="wd-ins">';

/** One word or figure, no spaces: a swap of two of these reads "old → new". */
const ONE_WORD = /^\S{1,40}$/;

function splitSpace(s: string): { lead: string; core: string; trail: string } {
  const core = s.trim();
  if (core === '') return { lead: s, core: '', trail: '' };
  const at = s.indexOf(core);
  return { lead: s.slice(0, at), core, trail: s.slice(at + core.length) };
}

/** One run of deleted and inserted words, marked up and said in visible text. */
function changeRun(removed: string, added: string): string {
  const d = splitSpace(removed);
  const a = splitSpace(added);
  if (d.core === '' && a.core === '') return esc(added);
  if (d.core === '') return `${esc(a.lead)}${INS}{+${esc(a.core)}+}</ins>${esc(a.trail)}`;
  if (a.core === '') return `${esc(d.lead)}${DEL}[-${esc(d.core)}-]</del>${esc(d.trail)}`;
  if (ONE_WORD.test(d.core) && ONE_WORD.test(a.core)) {
    return `${esc(d.lead)}${DEL}${esc(d.core)}</del> → ${INS}${esc(a.core)}</ins>${esc(a.trail)}`;
  }
  return `${esc(d.lead)}${DEL}[-${esc(d.core)}-]</del> ${INS}{+${esc(a.core)}+}</ins>${esc(a.trail)}`;
}

/** Word changes inside a paragraph: kept words as they are, each run of changes through `changeRun`. */
function parts(ps: readonly WordPart[]): string {
  const out: string[] = [];
  for (let i = 0; i < ps.length;) {
    const p = ps[i]!;
    if (p.t === '=') {
      out.push(esc(p.v));
      i++;
      continue;
    }
    let removed = '';
    let added = '';
    for (; i < ps.length && ps[i]!.t !== '='; i++) {
      if (ps[i]!.t === '-') removed += ps[i]!.v;
      else added += ps[i]!.v;
    }
    out.push(changeRun(removed, added));
  }
  return out.join('');
}

/** One change as compact HTML, or null for what is said elsewhere (a moved paragraph's old place). */
function changeHtml(op: ChangeOp): string | null {
  switch (op.op) {
    case 'insert':
      return `<p><b>+ Added:</b> ${INS}${esc(op.text)}</ins></p>`;
    case 'delete':
      return `<p><b>− Removed:</b> ${DEL}${esc(op.text)}</del></p>`;
    case 'edit':
      if (op.parts === null || showAsReplaced(op)) {
        return `<p><b>~ Rewritten. Was:</b> ${DEL}${esc(op.old)}</del></p><p><b>Now:</b> ${INS}${esc(op.text)}</ins></p>`;
      }
      return `<p><b>~ Edited:</b> ${op.cosmetic ? '<em>(formatting only)</em> ' : ''}${parts(op.parts)}</p>`;
    case 'move':
      return `<p><b>↕ Moved</b> <em>(from ¶${op.o + 1}${op.parts === null ? '' : ', edited'})</em>: ${op.parts === null ? esc(op.text) : parts(op.parts)}</p>`;
    case 'moved-out':
      return null;
    case 'split':
      return (
        `<p><b>⇉ Split</b> <em>(¶${op.o + 1} into ${paraRange(op.n, op.texts.length)})</em>. Was: ${DEL}${esc(op.old)}</del></p>` +
        op.texts.map((t) => `<p><b>Now:</b> ${INS}${esc(t)}</ins></p>`).join('')
      );
    case 'merge':
      return (
        `<p><b>⇇ Merged</b> <em>(${paraRange(op.o, op.olds.length)} into ¶${op.n + 1})</em>. Was: ` +
        op.olds.map((t) => `${DEL}${esc(t)}</del>`).join(' ') +
        `</p><p><b>Now:</b> ${INS}${esc(op.text)}</ins></p>`
      );
  }
}

/**
 * The older article as the diff is laid out against it. When the newer version has no breaking-update block or banner
 * left (a write-thru folded the update into the story), the older one's update and banner paragraphs are read as
 * story paragraphs: the removed ones then stand where they were, inside the story, and the page reads in order (one
 * "Story") instead of "Story", the removed update, the removed banner, then "Story" again.
 */
export function readingOrderOld(old: Article, next: Article): Article {
  const layered = (b: string): boolean => b === 'update' || b === 'banner';
  if (next.paragraphs.some((p) => layered(p.block)) || !old.paragraphs.some((p) => layered(p.block))) return old;
  return {
    ...old,
    paragraphs: old.paragraphs.map((p) => (layered(p.block) ? { ...p, block: 'body' } : p)),
    blocks: old.blocks.map((b) => (layered(b.kind) ? { ...b, kind: 'body' } : b)),
  };
}

/** Where an item's reader goes on from the description. */
export interface FeedItemLinks {
  /** The change's page (the diff); absent for a first version. */
  readonly diff?: string | undefined;
  readonly diffLabel?: string | undefined;
  /** The version's page. */
  readonly version: string;
  readonly versionLabel: string;
}

function linksHtml(links: FeedItemLinks | undefined): string {
  if (links === undefined) return '';
  const out: string[] = [];
  if (links.diff !== undefined) {
    out.push(`<a href="${esc(safeUrl(links.diff))}">${esc(links.diffLabel ?? 'What changed')}</a>`);
  }
  out.push(`<a href="${esc(safeUrl(links.version))}">${esc(links.versionLabel)}</a>`);
  return `<p>${out.join(' · ')}</p>`;
}

/**
 * The description of the RSS item for a new version of `article` (`cs` null: the first version, shown as its first
 * paragraphs). Pure: returns the string.
 */
export function renderFeedItemHtml(cs: ChangeSet | null, article: Article, options: FeedItemOptions = {}): string {
  const fn = 'renderFeedItemHtml';
  const maxChanges = checkInt(fn, 'maxChanges', options.maxChanges, 1, 10_000, FEED_ITEM_DEFAULTS.maxChanges);
  const maxChars = checkInt(fn, 'maxChars', options.maxChars, 1_000, 10_000_000, FEED_ITEM_DEFAULTS.maxChars);
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
    add(linksHtml(options.links));
    return out.join('');
  }

  // The kind's label once, in bold, then the summary (without a label of its own that says the same).
  const label = kindLabel(cs.kind);
  let rest = cs.summary.replace(/\s+/g, ' ').trim();
  if (rest.toLowerCase().startsWith(`${label.toLowerCase()}:`)) rest = rest.slice(label.length + 1).trim();
  add(`<p><strong>${esc(label)}</strong>${rest === '' ? '' : `: ${esc(rest)}`}</p>`);
  // The headline change is said with its marks (as the core's HTML header says it), the other facts as text.
  const facts = factLines(cs.facts).filter((f) => !(cs.title.changed && f.label === 'Headline'));
  if (facts.length > 0) add(`<ul>${facts.map((f) => `<li><b>${esc(f.label)}:</b> ${esc(f.text)}</li>`).join('')}</ul>`);
  if (cs.title.changed)
    add(`<p><b>Headline:</b> ${DEL}${esc(cs.title.old)}</del> → ${INS}${esc(cs.title.new)}</ins></p>`);
  add(linksHtml(options.links));

  const layout = layoutChangeSet(cs, {
    old: options.old === undefined ? undefined : readingOrderOld(options.old, article),
    next: article,
    context: 0,
    collapseAfter: 0,
    changesOnly: true,
  });
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
