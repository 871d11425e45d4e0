/**
 * HTML → title and paragraphs. A real parser (linkedom) builds the DOM, page furniture is removed, a real
 * extractor (Mozilla Readability, as used by Firefox Reader View) finds the article, and a walk over the article's
 * DOM cuts it into paragraphs at block elements.
 *
 * Pure: linkedom and Readability only compute over the string they are given (no network, no clock).
 */
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import type { ParagraphTag } from '../model/article.js';
import { WirediffError } from '../errors.js';
import { normalizeText } from './normalize.js';
import { MARKER_MAX_CHARS, classifyMarker, findDateline } from './structure.js';

export interface ExtractedParagraph {
  readonly text: string;
  readonly tag: ParagraphTag;
}

export interface ExtractedHtml {
  readonly title: string;
  readonly paragraphs: readonly ExtractedParagraph[];
  /** The byline the page marks up (Readability's, or a `.byline`/`[rel=author]` element), if any. */
  readonly byline?: string;
  /** The page's `<h1>` and `og:title` (empty ones left out). */
  readonly headlines: { readonly h1?: string; readonly ogTitle?: string };
  /** Which path found the paragraphs (for tests and debugging). */
  readonly via: 'readability' | 'container';
}

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

/** A paragraph that is (almost) all link text and opens like this is a promotion, not story text. */
export const PROMO_LINE =
  /^(?:related(?: coverage| stories| story| content| articles?)?|read more|more|more on this|see also|also read|read also|watch|listen|recommended|sign up|subscribe|follow)\s*(?::|›|»|>|-|\||$)/i;
/** The share of link text from which a paragraph can be a promotion line, or a list item a link list. */
export const PROMO_LINK_SHARE = 0.8;

/** Inline styles that hide an element. */
const HIDDEN_STYLE = /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\b/i;
/** Class/id names Readability takes for a byline (its own pattern), which it removes from the article. */
const READABILITY_BYLINE = /byline|author|dateline|writtenby|p-author/i;
/** The attributes Readability reads a byline from. */
const BYLINE_ATTRIBUTES = ['class', 'id', 'rel', 'itemprop'] as const;
/** The longest byline element read as a byline. */
const BYLINE_ELEMENT_MAX_CHARS = 120;
/** HTML's whitespace (not the no-break space, which is text). */
const HTML_SPACE_RUN = /[ \t\n\r\f]+/g;
const HTML_SPACE_EDGES = /^[ \t\n\r\f]+|[ \t\n\r\f]+$/g;
/**
 * Readability over linkedom grows faster than the page (measured on the shared 2-core test machine: 9,000
 * elements took 7 s, 800 nested divs 16 s). Past this many elements after furniture removal, or this deep a tree
 * (real pages nest 20–40 deep), the page is read by the container walk alone, which is linear.
 */
export const READABILITY_MAX_ELEMENTS = 5_000;
export const READABILITY_MAX_DEPTH = 100;
/** A whole document (linkedom needs an <html> root; a fragment is wrapped in one). */
const HTML_ROOT = /<html[\s>]/i;
/** Readability's paragraphs count when they hold at least this share of the text found in a lone `<article>`. */
const READABILITY_MIN_SHARE = 0.5;
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

function isHidden(el: Element): boolean {
  if (el.hasAttribute('hidden')) return true;
  if ((el.getAttribute('aria-hidden') ?? '').trim().toLowerCase() === 'true') return true;
  return HIDDEN_STYLE.test(el.getAttribute('style') ?? '');
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
function removeFurniture(doc: Document): string | undefined {
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

function collapse(s: string): string {
  return s.replace(HTML_SPACE_RUN, ' ').replace(HTML_SPACE_EDGES, '');
}

/** One step of the paragraph walk: visit a node (with the paragraph tag it inherits), or close a block. */
type WalkStep = { readonly node: Node; readonly tag: ParagraphTag | null; readonly link: boolean } | null;

/**
 * Cuts the DOM under a root into paragraphs. Iterative (an explicit stack, not recursion), so pathological nesting
 * cannot overflow the call stack.
 */
class ParagraphWalker {
  readonly paragraphs: ExtractedParagraph[] = [];
  private buffer = '';
  private bufferTag: ParagraphTag = 'p';
  /** Characters of the buffer that are link text (for `PROMO_LINE`). */
  private linkChars = 0;

  constructor(private readonly maxParagraphs: number) {}

  walk(root: Node): void {
    const stack: WalkStep[] = [];
    const pushChildren = (node: Node, tag: ParagraphTag | null, link: boolean): void => {
      for (let child = node.lastChild; child !== null; child = child.previousSibling) {
        stack.push({ node: child, tag, link });
      }
    };
    pushChildren(root, null, false);
    for (let step = stack.pop(); step !== undefined; step = stack.pop()) {
      if (step === null) {
        this.flush(); // the end of a block
        continue;
      }
      const { node, tag, link } = step;
      if (node.nodeType === 3) {
        const data = (node as Text).data;
        this.bufferTag = tag ?? 'p';
        const text = tag === 'pre' ? data : data.replace(HTML_SPACE_RUN, ' ');
        this.buffer += text;
        if (link) this.linkChars += text.length;
        continue;
      }
      if (node.nodeType !== 1) continue;
      const el = node as Element;
      const name = el.localName;
      if (SKIPPED_ELEMENTS.has(name) || isHidden(el)) continue;
      if (name === 'br') {
        this.buffer += '\n';
        continue;
      }
      if (INLINE_ELEMENTS.has(name)) {
        pushChildren(el, tag, link || name === 'a');
        continue;
      }
      const own = PARAGRAPH_ELEMENTS.get(name);
      const inner = own === undefined ? tag : tag === null || tag === 'p' ? own : tag;
      this.flush();
      stack.push(null);
      pushChildren(el, inner, link);
    }
    this.flush();
  }

  flush(): void {
    const raw = this.buffer;
    const linkShare = raw.length === 0 ? 0 : this.linkChars / raw.length;
    this.buffer = '';
    this.linkChars = 0;
    if (raw === '') return;
    // Promotion lines ("RELATED: …", "READ MORE: …") and lists of links inside the article are not story text.
    if (linkShare >= PROMO_LINK_SHARE && (this.bufferTag === 'li' || PROMO_LINE.test(collapse(raw)))) return;
    if (this.bufferTag === 'pre') {
      this.push(raw.replace(/^\n+|\s+$/g, ''), 'pre');
      return;
    }
    // A line break (<br>) stays as `\n`; two or more in a row end the paragraph, as they do on screen.
    const cleaned = raw.replace(/ *\n */g, '\n');
    for (const piece of cleaned.split(/\n{2,}/)) this.push(piece.replace(HTML_SPACE_EDGES, ''), this.bufferTag);
  }

  private push(text: string, tag: ParagraphTag): void {
    if (normalizeText(text) === '') return;
    this.paragraphs.push({ text, tag });
    if (this.paragraphs.length > this.maxParagraphs) {
      throw new WirediffError(
        'E_INPUT_TOO_LARGE',
        `The HTML has more than ${this.maxParagraphs} paragraphs (the \`maxParagraphs\` limit)`,
      );
    }
  }
}

/** How deep the element tree under `root` goes, counting no further than `limit + 1`. */
function depthExceeds(root: Node, limit: number): boolean {
  const stack: [Node, number][] = [[root, 0]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [node, depth] = item;
    if (depth > limit) return true;
    for (let child = node.firstChild; child !== null; child = child.nextSibling) {
      if (child.nodeType === 1) stack.push([child, depth + 1]);
    }
  }
  return false;
}

function paragraphsOf(root: Node, maxParagraphs: number): ExtractedParagraph[] {
  const walker = new ParagraphWalker(maxParagraphs);
  walker.walk(root);
  return walker.paragraphs;
}

function textLength(paragraphs: readonly ExtractedParagraph[]): number {
  return paragraphs.reduce((n, p) => n + p.text.length, 0);
}

function metaContent(doc: Document, selector: string): string {
  return collapse(doc.querySelector(selector)?.getAttribute('content') ?? '');
}

interface PageFacts {
  readonly ogTitle: string;
  readonly h1: string;
  /** The `<h1>` (or `[itemprop=headline]`) inside the article or main content; '' when there is none there. */
  readonly articleH1: string;
  readonly titleTag: string;
}

function readFacts(doc: Document): PageFacts {
  return {
    ogTitle: metaContent(doc, 'meta[property="og:title"], meta[name="og:title"]'),
    h1: collapse(
      (doc.querySelector('[itemprop="headline"], article h1, main h1') ?? doc.querySelector('h1'))?.textContent ?? '',
    ),
    articleH1: collapse(doc.querySelector('[itemprop="headline"], article h1, main h1')?.textContent ?? ''),
    titleTag: collapse(doc.querySelector('title')?.textContent ?? ''),
  };
}

/** The article container for the fallback path: a lone `<article>`, `[itemprop=articleBody]`, `<main>`, or the body. */
function containerOf(doc: Document): Node | null {
  const articles = doc.querySelectorAll('article');
  if (articles.length === 1) return articles[0] ?? null;
  return (
    doc.querySelector('[itemprop="articleBody"]') ??
    doc.querySelector('main') ??
    doc.querySelector('[role="main"]') ??
    doc.body
  );
}

function cleanDocument(html: string): { doc: Document; facts: PageFacts; byline: string | undefined } {
  const { document } = parseHTML(
    HTML_ROOT.test(html) ? html : `<!DOCTYPE html><html><head></head><body>${html}</body></html>`,
  );
  const facts = readFacts(document);
  const byline = removeFurniture(document);
  return { doc: document, facts, byline };
}

function sameText(a: string, b: string): boolean {
  return a !== '' && normalizeText(a).toLowerCase() === normalizeText(b).toLowerCase();
}

/**
 * Extracts the article from an HTML page. Readability runs over the cleaned DOM; its article is used unless it found
 * nothing or much less than a lone `<article>` element holds, in which case that container (or `<main>`, or the
 * body) is walked instead. The title is Readability's (JSON-LD, og:title…, else the <title> minus the site name),
 * else og:title, the first `<h1>`, the `<title>`. Leading paragraphs that repeat the title are dropped.
 */
export function extractHtml(html: string, maxParagraphs: number): ExtractedHtml {
  // Readability changes the DOM it reads, so the fallback container is read from a second parse when needed.
  const first = cleanDocument(html);
  const { facts } = first;
  const loneArticle = first.doc.querySelectorAll('article').length === 1;
  let readable: ReturnType<Readability<Node>['parse']> = null;
  const elements = first.doc.querySelectorAll('*').length;
  if (elements <= READABILITY_MAX_ELEMENTS && !depthExceeds(first.doc, READABILITY_MAX_DEPTH)) {
    try {
      readable = new Readability<Node>(first.doc, { serializer: (node) => node }).parse();
    } catch {
      readable = null; // A page Readability cannot read falls back to the container walk below.
    }
  }
  let paragraphs = readable?.content ? paragraphsOf(readable.content, maxParagraphs) : [];
  let via: ExtractedHtml['via'] = 'readability';
  let fallbackByline: string | undefined;
  if (paragraphs.length === 0 || loneArticle) {
    const second = cleanDocument(html);
    fallbackByline = second.byline;
    const container = containerOf(second.doc);
    const fromContainer = container === null ? [] : paragraphsOf(container, maxParagraphs);
    if (paragraphs.length === 0 || textLength(paragraphs) < READABILITY_MIN_SHARE * textLength(fromContainer)) {
      paragraphs = fromContainer;
      via = 'container';
    }
  }
  const candidates = [collapse(readable?.title ?? ''), facts.ogTitle, facts.h1, facts.titleTag];
  // The headline readers see is the article's <h1>: when it and og:title (or Readability's title) disagree, it wins.
  const visible = facts.articleH1 !== '' && !sameText(facts.articleH1, candidates[0] ?? '') ? facts.articleH1 : '';
  const title = visible || (candidates.find((t) => t !== '') ?? '');
  while (paragraphs.length > 0 && candidates.some((t) => sameText(t, paragraphs[0]?.text ?? ''))) {
    paragraphs = paragraphs.slice(1);
  }
  const byline = collapse(readable?.byline ?? '') || first.byline || fallbackByline;
  const headlines = {
    ...(facts.h1 !== '' ? { h1: facts.h1 } : {}),
    ...(facts.ogTitle !== '' ? { ogTitle: facts.ogTitle } : {}),
  };
  return { title, paragraphs, via, headlines, ...(byline ? { byline } : {}) };
}
