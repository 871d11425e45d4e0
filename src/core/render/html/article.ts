/**
 * One version as it was, as an HTML fragment: the title, then each block of the story in order (labelled: breaking
 * update, banner, earlier story, correction, byline, dateline; the plain story body has no label). Paragraph ids are
 * `<prefix>p-N` (1-based); list items are grouped in a `wd-list`.
 */
import type { Article, Paragraph } from '../../model/article.js';
import { blockTitle, knownBlock } from '../blocks.js';
import { checkIdPrefix, checkInt } from './options.js';
import { esc } from './pieces.js';

export interface ArticleHtmlOptions {
  readonly idPrefix?: string | undefined;
  /** Level of the title heading (default 2); block headings are one level below. */
  readonly headingLevel?: 1 | 2 | 3 | 4 | 5 | undefined;
}

function paragraphHtml(p: Paragraph, id: string, level: number): string {
  const cls = `wd-para wd-b-${knownBlock(p.block)}`;
  const text = esc(p.text);
  switch (p.tag) {
    case 'h':
      return `<h${level} class="${cls} wd-tag-h" id="${id}">${text}</h${level}>`;
    case 'blockquote':
      return `<blockquote class="${cls}" id="${id}"><p>${text}</p></blockquote>`;
    case 'pre':
      return `<pre class="${cls}" id="${id}">${text}</pre>`;
    case 'li':
      return `<li class="${cls}" id="${id}">${text}</li>`;
    default:
      return `<p class="${cls}" id="${id}">${text}</p>`;
  }
}

/** The byline and dateline, when the article has them apart from its paragraphs. */
function metaHtml(article: Article): string | null {
  const meta: string[] = [];
  const paras = article.paragraphs;
  if (article.byline !== undefined && !paras.some((p) => p.block === 'byline')) {
    meta.push(`<span class="wd-byline">${esc(article.byline)}</span>`);
  }
  if (article.dateline !== undefined && !paras.some((p) => p.block === 'dateline')) {
    meta.push(`<span class="wd-dateline">${esc(article.dateline)}</span>`);
  }
  return meta.length > 0 ? `<p class="wd-meta">${meta.join(' · ')}</p>` : null;
}

/** Paragraphs `from` to `to` (exclusive), all of one block, as a section; `level` is its heading's. */
function sectionHtml(
  out: string[],
  paras: readonly Paragraph[],
  from: number,
  to: number,
  pfx: string,
  level: number,
): void {
  const block = knownBlock(paras[from]!.block);
  out.push(`<section class="wd-block wd-block-${block}">`);
  // The plain story body has no label.
  if (block !== 'body') out.push(`<h${level} class="wd-block-title">${esc(blockTitle(block))}</h${level}>`);
  let inList = false;
  for (let k = from; k < to; k++) {
    const p = paras[k]!;
    if (p.tag === 'li' && !inList) {
      out.push('<ul class="wd-list">');
      inList = true;
    } else if (p.tag !== 'li' && inList) {
      out.push('</ul>');
      inList = false;
    }
    out.push(paragraphHtml(p, `${pfx}p-${k + 1}`, Math.min(6, level + 1)));
  }
  if (inList) out.push('</ul>');
  out.push('</section>');
}

/** Renders one version as it was. Pure: returns the string. */
export function renderArticleHtml(article: Article, options: ArticleHtmlOptions = {}): string {
  const fn = 'renderArticleHtml';
  const pfx = checkIdPrefix(fn, options.idPrefix);
  const level = checkInt(fn, 'headingLevel', options.headingLevel, 1, 5, 2);
  const out: string[] = ['<article class="wd-article">'];
  if (article.title !== '') out.push(`<h${level} class="wd-title">${esc(article.title)}</h${level}>`);
  const meta = metaHtml(article);
  if (meta !== null) out.push(meta);
  const paras = article.paragraphs;
  let i = 0;
  while (i < paras.length) {
    const block = knownBlock(paras[i]!.block);
    let j = i;
    while (j < paras.length && knownBlock(paras[j]!.block) === block) j++;
    sectionHtml(out, paras, i, j, pfx, level + 1);
    i = j;
  }
  out.push('</article>');
  return out.join('');
}
