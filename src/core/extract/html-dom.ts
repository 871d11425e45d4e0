/**
 * What the HTML extraction knows of elements: the ones whose content is never article text, the ones that hold a
 * paragraph, the inline ones, and which are hidden; and HTML's own white space.
 */
import type { ParagraphTag } from '../model/article.js';

/** Elements whose content is never article text. */
export const SKIPPED_ELEMENTS: ReadonlySet<string> = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'svg',
  'math',
  'canvas',
  'video',
  'audio',
  'picture',
  'img',
  'figure',
  'figcaption',
  'form',
  'button',
  'input',
  'select',
  'option',
  'textarea',
  'label',
  'nav',
  'aside',
  'header',
  'footer',
  'menu',
  'dialog',
  'head',
  'title',
  'meta',
  'link',
  'base',
  'amp-ad',
  'amp-embed',
  'amp-analytics',
  'amp-sticky-ad',
]);

/** Elements that hold a paragraph, and the tag family it is recorded with. */
export const PARAGRAPH_ELEMENTS: ReadonlyMap<string, ParagraphTag> = new Map<string, ParagraphTag>([
  ['p', 'p'],
  ['h1', 'h'],
  ['h2', 'h'],
  ['h3', 'h'],
  ['h4', 'h'],
  ['h5', 'h'],
  ['h6', 'h'],
  ['li', 'li'],
  ['blockquote', 'blockquote'],
  ['pre', 'pre'],
]);

/** Elements that flow inside a paragraph; every other element is a block and ends the paragraph before it. */
export const INLINE_ELEMENTS: ReadonlySet<string> = new Set([
  'a',
  'abbr',
  'b',
  'bdi',
  'bdo',
  'cite',
  'code',
  'data',
  'del',
  'dfn',
  'em',
  'font',
  'i',
  'ins',
  'kbd',
  'mark',
  'q',
  's',
  'samp',
  'small',
  'span',
  'strike',
  'strong',
  'sub',
  'sup',
  'time',
  'tt',
  'u',
  'var',
  'wbr',
  'br',
]);

/** Inline styles that hide an element. */
const HIDDEN_STYLE = /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\b/i;
/** HTML's whitespace (not the no-break space, which is text). */
export const HTML_SPACE_RUN = /[ \t\n\r\f]+/g;
export const HTML_SPACE_EDGES = /^[ \t\n\r\f]+|[ \t\n\r\f]+$/g;

/** True for an element the page hides (`hidden`, `aria-hidden="true"`, `display: none`, `visibility: hidden`). */
export function isHidden(el: Element): boolean {
  if (el.hasAttribute('hidden')) return true;
  if ((el.getAttribute('aria-hidden') ?? '').trim().toLowerCase() === 'true') return true;
  return HIDDEN_STYLE.test(el.getAttribute('style') ?? '');
}

/** `s` with HTML white space runs folded to one space and trimmed. */
export function collapse(s: string): string {
  return s.replace(HTML_SPACE_RUN, ' ').replace(HTML_SPACE_EDGES, '');
}
