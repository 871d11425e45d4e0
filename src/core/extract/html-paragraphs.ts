/**
 * The paragraph walk: cuts the DOM under a root into paragraphs at block elements, keeping `<br>` line breaks, and
 * drops promotion lines and link lists. Iterative (an explicit stack, not recursion), so pathological nesting cannot
 * overflow the call stack.
 */
import type { ParagraphTag } from '../model/article.js';
import { WirediffError } from '../errors.js';
import { normalizeText } from './normalize.js';
import {
  collapse,
  HTML_SPACE_EDGES,
  HTML_SPACE_RUN,
  INLINE_ELEMENTS,
  isHidden,
  PARAGRAPH_ELEMENTS,
  SKIPPED_ELEMENTS,
} from './html-dom.js';

export interface ExtractedParagraph {
  readonly text: string;
  readonly tag: ParagraphTag;
}

/** A paragraph that is (almost) all link text and opens like this is a promotion, not story text. */
export const PROMO_LINE =
  /^(?:related(?: coverage| stories| story| content| articles?)?|read more|more|more on this|see also|also read|read also|watch|listen|recommended|sign up|subscribe|follow)\s*(?::|›|»|>|-|\||$)/i;
/** The share of link text from which a paragraph can be a promotion line, or a list item a link list. */
export const PROMO_LINK_SHARE = 0.8;

/** One step of the paragraph walk: visit a node (with the paragraph tag it inherits), or close a block. */
type WalkStep = { readonly node: Node; readonly tag: ParagraphTag | null; readonly link: boolean } | null;

/** Cuts the DOM under a root into paragraphs (see the module comment). */
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

/** The paragraphs under `root`; throws `E_INPUT_TOO_LARGE` past `maxParagraphs`. */
export function paragraphsOf(root: Node, maxParagraphs: number): ExtractedParagraph[] {
  const walker = new ParagraphWalker(maxParagraphs);
  walker.walk(root);
  return walker.paragraphs;
}
