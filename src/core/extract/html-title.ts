/**
 * The title of an HTML page: Readability's (JSON-LD, og:title…, else the <title> minus the site name), else og:title,
 * the first `<h1>`, the `<title>`; the article's own `<h1>` wins when it disagrees. Leading paragraphs that repeat
 * the title are not story text.
 */
import { normalizeText } from './normalize.js';
import { collapse } from './html-dom.js';
import type { ExtractedParagraph } from './html-paragraphs.js';

function metaContent(doc: Document, selector: string): string {
  return collapse(doc.querySelector(selector)?.getAttribute('content') ?? '');
}

/** The headlines a page states, read before furniture removal. */
export interface PageFacts {
  readonly ogTitle: string;
  readonly h1: string;
  /** The `<h1>` (or `[itemprop=headline]`) inside the article or main content; '' when there is none there. */
  readonly articleH1: string;
  readonly titleTag: string;
}

export function readFacts(doc: Document): PageFacts {
  return {
    ogTitle: metaContent(doc, 'meta[property="og:title"], meta[name="og:title"]'),
    h1: collapse(
      (doc.querySelector('[itemprop="headline"], article h1, main h1') ?? doc.querySelector('h1'))?.textContent ?? '',
    ),
    articleH1: collapse(doc.querySelector('[itemprop="headline"], article h1, main h1')?.textContent ?? ''),
    titleTag: collapse(doc.querySelector('title')?.textContent ?? ''),
  };
}

function sameText(a: string, b: string): boolean {
  return a !== '' && normalizeText(a).toLowerCase() === normalizeText(b).toLowerCase();
}

/** The title candidates, best first: Readability's title, og:title, the first `<h1>`, the `<title>`. */
export function titleCandidates(readableTitle: string | null | undefined, facts: PageFacts): string[] {
  return [collapse(readableTitle ?? ''), facts.ogTitle, facts.h1, facts.titleTag];
}

/** The title: the article's `<h1>` when it disagrees with the first candidate, else the first candidate not empty. */
export function chooseTitle(candidates: readonly string[], facts: PageFacts): string {
  // The headline readers see is the article's <h1>: when it and og:title (or Readability's title) disagree, it wins.
  const visible = facts.articleH1 !== '' && !sameText(facts.articleH1, candidates[0] ?? '') ? facts.articleH1 : '';
  return visible || (candidates.find((t) => t !== '') ?? '');
}

/** `paragraphs` without the leading ones that repeat a title candidate. */
export function dropTitleRepeats(
  paragraphs: readonly ExtractedParagraph[],
  candidates: readonly string[],
): readonly ExtractedParagraph[] {
  let out = paragraphs;
  while (out.length > 0 && candidates.some((t) => sameText(t, out[0]?.text ?? ''))) out = out.slice(1);
  return out;
}
