/**
 * Page furniture removal: scripts, styles, forms, navigation, hidden elements, and elements whose class, id or role
 * names furniture (ads, share widgets, related-story boxes, cookie prompts…) are taken out of the DOM before the
 * article is looked for; the byline element the page marks up is read and taken out too.
 */
import { normalizeText } from './normalize.js';
import { collapse, isHidden, PARAGRAPH_ELEMENTS, SKIPPED_ELEMENTS } from './html-dom.js';
import { MARKER_MAX_CHARS, classifyMarker, findDateline } from './structure.js';

/**
 * Class or id words that mark page furniture: ads, share widgets, related-story and most-read boxes, newsletter
 * and cookie prompts, comments, navigation. Matched against the words of `class` and `id` split at `-`, `_`,
 * spaces and camel-case humps.
 */
export const FURNITURE_WORDS: ReadonlySet<string> = new Set([
  'ad',
  'ads',
  'adslot',
  'adunit',
  'advert',
  'adverts',
  'advertisement',
  'advertising',
  'adsbygoogle',
  'banner-ad',
  'dfp',
  'gpt',
  'sponsor',
  'sponsored',
  'promo',
  'promoted',
  'share',
  'shares',
  'sharing',
  'sharebar',
  'social',
  'related',
  'recommended',
  'recommendations',
  'recirc',
  'recirculation',
  'outbrain',
  'taboola',
  'trending',
  'newsletter',
  'subscribe',
  'subscription',
  'signup',
  'paywall',
  'cookie',
  'cookies',
  'consent',
  'gdpr',
  'comment',
  'comments',
  'disqus',
  'breadcrumb',
  'breadcrumbs',
  'nav',
  'navbar',
  'navigation',
  'menu',
  'masthead',
  'sidebar',
  'footer',
  'toolbar',
  'popup',
  'modal',
  'overlay',
]);

/** Multi-word furniture names, matched on the whole class/id string: "most-read", "read-more", "more-stories". */
export const FURNITURE_PHRASES =
  /(?:^|[\s_-])(?:sr-only|visually-hidden|screen-reader-text|most-?read|most-?popular|most-?viewed|read-?more|more-?stories|more-?from|also-?read|you-?may-?like|top-?stories|further-?reading)(?:$|[\s_-])/i;

/** ARIA landmark roles that are not the article. */
export const FURNITURE_ROLES: ReadonlySet<string> = new Set([
  'navigation',
  'banner',
  'complementary',
  'contentinfo',
  'search',
  'dialog',
  'alertdialog',
  'menu',
  'menubar',
  'toolbar',
  'alert',
]);

/** Class/id names Readability takes for a byline (its own pattern), which it removes from the article. */
const READABILITY_BYLINE = /byline|author|dateline|writtenby|p-author/i;
/** The attributes Readability reads a byline from. */
const BYLINE_ATTRIBUTES = ['class', 'id', 'rel', 'itemprop'] as const;
/** The longest byline element read as a byline. */
const BYLINE_ELEMENT_MAX_CHARS = 120;
/** Elements that contain the article and are never removed as furniture. */
const ARTICLE_ROOT_SELECTOR = 'article, main, [role="main"], [itemprop="articleBody"]';

function words(value: string): string[] {
  return value
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

function isFurniture(el: Element): boolean {
  const role = el.getAttribute('role');
  if (role !== null && FURNITURE_ROLES.has(role.trim().toLowerCase())) return true;
  const names = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`;
  if (names.trim() === '') return false;
  if (FURNITURE_PHRASES.test(names)) return true;
  return words(names).some((w) => FURNITURE_WORDS.has(w));
}

/**
 * Removes page furniture from the document: skipped elements (scripts, styles, forms, nav…), hidden elements, and
 * elements whose class, id or role names furniture (ads, share, related, cookie…). An element that holds the article
 * (`article`, `main`, `[itemprop=articleBody]`) or most of the page's paragraphs is kept whatever its class says.
 * Returns the byline element's text, if the page marks one up, and removes that element.
 *
 * One depth-first pass with an explicit stack: a removed element's subtree is never visited, and nesting depth
 * costs nothing.
 */
export function removeFurniture(doc: Document): string | undefined {
  const body = doc.body as HTMLElement | null;
  const totalParagraphs = body === null ? 0 : body.getElementsByTagName('p').length;
  let byline: string | undefined;
  const stack: [Element, boolean][] = [];
  const pushChildren = (el: Element, inParagraph: boolean): void => {
    for (let child = el.lastElementChild; child !== null; child = child.previousElementSibling) {
      stack.push([child, inParagraph]);
    }
  };
  if (doc.documentElement) pushChildren(doc.documentElement, false);
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [el, inParagraph] = item;
    const verdict = judge(el, inParagraph, totalParagraphs);
    if (verdict === 'remove') {
      el.remove();
      continue;
    }
    if (verdict !== 'keep' && verdict !== 'keep-subtree') {
      byline ??= verdict.byline;
      el.remove();
      continue;
    }
    if (verdict === 'keep') pushChildren(el, inParagraph || PARAGRAPH_ELEMENTS.has(el.localName));
  }
  return byline;
}

/** What `removeFurniture` does with one element. */
type Verdict = 'keep' | 'keep-subtree' | 'remove' | { readonly byline: string };

function judge(el: Element, inParagraph: boolean, totalParagraphs: number): Verdict {
  const name = el.localName;
  if (name === 'head') return 'keep-subtree'; // read for the title and by Readability for metadata; never walked
  if (name === 'body') return 'keep';
  if (name === 'script' && (el.getAttribute('type') ?? '').trim().toLowerCase() === 'application/ld+json') {
    return 'keep-subtree'; // JSON-LD metadata (headline, author) for Readability; never walked as text
  }
  if (SKIPPED_ELEMENTS.has(name)) {
    // A page that wraps its whole article in <header> or <aside> keeps it.
    const wrapper = name === 'header' || name === 'footer' || name === 'aside';
    return wrapper && holdsArticle(el, totalParagraphs) ? 'keep' : 'remove';
  }
  if (isHidden(el)) return 'remove';
  const names = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`;
  if (names.trim() !== '' && isStoryMarker(el)) {
    // Story markers are often styled as banners (class="breaking-banner"), which Readability drops as page
    // furniture: strip their class and id so the banner, notes and corrections stay in the article.
    el.removeAttribute('class');
    el.removeAttribute('id');
    return 'keep';
  }
  const rel = (el.getAttribute('rel') ?? '').toLowerCase();
  const itemprop = (el.getAttribute('itemprop') ?? '').toLowerCase();
  if (READABILITY_BYLINE.test(names) || rel === 'author' || itemprop.includes('author')) {
    if (inParagraph) {
      // Part of a paragraph's text (a dateline span, an author's name in a sentence): Readability would lift it
      // out as the byline, so strip what it looks for.
      for (const attr of BYLINE_ATTRIBUTES) el.removeAttribute(attr);
      return 'keep';
    }
    const text = shortText(el, BYLINE_ELEMENT_MAX_CHARS);
    if (text !== undefined && text !== '' && !holdsArticle(el, totalParagraphs)) {
      if (findDateline(text) === undefined) return { byline: text };
      // A dateline standing alone in a "dateline" element stays, as text.
      for (const attr of BYLINE_ATTRIBUTES) el.removeAttribute(attr);
      return 'keep';
    }
  }
  return isFurniture(el) && !holdsArticle(el, totalParagraphs) ? 'remove' : 'keep';
}

/**
 * The element's text, whitespace collapsed, or undefined as soon as it passes `max` characters: reads only as much
 * of the subtree as it needs, so asking every element of a large page stays cheap.
 */
function shortText(el: Element, max: number): string | undefined {
  let text = '';
  const stack: Node[] = [el];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (node.nodeType === 3) {
      text += (node as Text).data;
      if (text.length > max * 4 && collapse(text).length > max) return undefined;
      continue;
    }
    for (let child = node.lastChild; child !== null; child = child.previousSibling) stack.push(child);
  }
  const out = collapse(text);
  return out.length > max ? undefined : out;
}

/** True when the element's text is a banner, update note or correction (see `classifyMarker`). */
function isStoryMarker(el: Element): boolean {
  const text = shortText(el, MARKER_MAX_CHARS);
  if (text === undefined) return false;
  const kind = classifyMarker(text, normalizeText(text));
  return kind === 'separator' || kind === 'banner' || kind === 'correction';
}

function holdsArticle(el: Element, totalParagraphs: number): boolean {
  if (el.matches(ARTICLE_ROOT_SELECTOR) || el.querySelector(ARTICLE_ROOT_SELECTOR) !== null) return true;
  const paragraphs = el.getElementsByTagName('p').length;
  return paragraphs >= 3 && paragraphs * 2 > totalParagraphs;
}
