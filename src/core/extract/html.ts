/**
 * HTML → title and paragraphs. A real parser (linkedom) builds the DOM, page furniture is removed
 * (html-furniture.ts), a real extractor (Mozilla Readability, as used by Firefox Reader View) finds the article, and a
 * walk over the article's DOM cuts it into paragraphs at block elements (html-paragraphs.ts); the title is chosen in
 * html-title.ts. This module runs Readability within its bounds and falls back to the article container.
 *
 * Pure: linkedom and Readability only compute over the string they are given (no network, no clock).
 */
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { collapse } from './html-dom.js';
import { removeFurniture } from './html-furniture.js';
import { paragraphsOf, type ExtractedParagraph } from './html-paragraphs.js';
import { chooseTitle, dropTitleRepeats, readFacts, titleCandidates, type PageFacts } from './html-title.js';

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

function textLength(paragraphs: readonly ExtractedParagraph[]): number {
  return paragraphs.reduce((n, p) => n + p.text.length, 0);
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

/** Parses the page (a fragment wrapped in a document), reads its headlines, then removes its furniture. */
function cleanDocument(html: string): { doc: Document; facts: PageFacts; byline: string | undefined } {
  const { document } = parseHTML(
    HTML_ROOT.test(html) ? html : `<!DOCTYPE html><html><head></head><body>${html}</body></html>`,
  );
  const facts = readFacts(document);
  const byline = removeFurniture(document);
  return { doc: document, facts, byline };
}

type Readable = ReturnType<Readability<Node>['parse']>;

/**
 * Readability's article of the cleaned document, or null when the page is past Readability's bounds (see
 * `READABILITY_MAX_ELEMENTS`) or Readability cannot read it (the container walk then reads it).
 */
function runReadability(doc: Document): Readable {
  if (doc.querySelectorAll('*').length > READABILITY_MAX_ELEMENTS || depthExceeds(doc, READABILITY_MAX_DEPTH)) {
    return null;
  }
  try {
    return new Readability<Node>(doc, { serializer: (node) => node }).parse();
  } catch {
    return null; // A page Readability cannot read falls back to the container walk.
  }
}

interface Found {
  readonly paragraphs: readonly ExtractedParagraph[];
  readonly via: ExtractedHtml['via'];
  /** The byline element of the second parse (read only when the container was walked). */
  readonly byline?: string | undefined;
}

/**
 * Walks the article container of a fresh parse (Readability changed the first one) and keeps its paragraphs when
 * Readability found none or much less than the container holds; else Readability's.
 */
function preferContainer(html: string, fromReadability: readonly ExtractedParagraph[], maxParagraphs: number): Found {
  const second = cleanDocument(html);
  const container = containerOf(second.doc);
  const fromContainer = container === null ? [] : paragraphsOf(container, maxParagraphs);
  const useContainer =
    fromReadability.length === 0 || textLength(fromReadability) < READABILITY_MIN_SHARE * textLength(fromContainer);
  return useContainer
    ? { paragraphs: fromContainer, via: 'container', byline: second.byline }
    : { paragraphs: fromReadability, via: 'readability', byline: second.byline };
}

/**
 * Extracts the article from an HTML page. Readability runs over the cleaned DOM; its article is used unless it found
 * nothing or much less than a lone `<article>` element holds, in which case that container (or `<main>`, or the
 * body) is walked instead. The title is chosen as html-title.ts says; leading paragraphs that repeat it are dropped.
 */
export function extractHtml(html: string, maxParagraphs: number): ExtractedHtml {
  const first = cleanDocument(html);
  const { facts } = first;
  const loneArticle = first.doc.querySelectorAll('article').length === 1;
  const readable = runReadability(first.doc);
  const fromReadability = readable?.content ? paragraphsOf(readable.content, maxParagraphs) : [];
  const found: Found =
    fromReadability.length === 0 || loneArticle
      ? preferContainer(html, fromReadability, maxParagraphs)
      : { paragraphs: fromReadability, via: 'readability' };
  const candidates = titleCandidates(readable?.title, facts);
  const title = chooseTitle(candidates, facts);
  const paragraphs = dropTitleRepeats(found.paragraphs, candidates);
  const byline = collapse(readable?.byline ?? '') || first.byline || found.byline;
  const headlines = {
    ...(facts.h1 !== '' ? { h1: facts.h1 } : {}),
    ...(facts.ogTitle !== '' ? { ogTitle: facts.ogTitle } : {}),
  };
  return { title, paragraphs, via: found.via, headlines, ...(byline ? { byline } : {}) };
}
