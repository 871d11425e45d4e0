/** Parsing rendered fragments with a real HTML parser (linkedom) for renderer tests. */
import { parseHTML } from 'linkedom';

export function parseFragment(html: string): Document {
  const { document } = parseHTML(`<!doctype html><html><head></head><body>${html}</body></html>`);
  return document;
}

/** Every element with an `on…` attribute, a `style` attribute, or a script-capable tag: must be empty. */
export function activeContent(doc: Document): string[] {
  const found: string[] = [];
  for (const el of Array.from(doc.querySelectorAll('*'))) {
    const tag = el.tagName.toLowerCase();
    if (
      ['script', 'iframe', 'object', 'embed', 'img', 'svg', 'math', 'style', 'link', 'meta', 'base', 'form'].includes(
        tag,
      )
    ) {
      found.push(`<${tag}>`);
    }
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on') || name === 'style' || name === 'srcdoc' || name === 'formaction') {
        found.push(`${tag}[${name}]`);
      }
      if ((name === 'href' || name === 'src' || name === 'action') && !/^(#|https?:)/i.test(attr.value)) {
        found.push(`${tag}[${name}=${attr.value}]`);
      }
    }
  }
  return found;
}

/** The text of an element as the new version reads it: without deletions, marks, numbers and notes. */
export function newSideText(el: Element): string {
  const copy = el.cloneNode(true) as Element;
  for (const x of Array.from(copy.querySelectorAll('del, .wd-mark, .wd-num, .wd-note'))) x.remove();
  return copy.textContent ?? '';
}

/** The text of an element as the old version reads it: without insertions, marks, numbers and notes. */
export function oldSideText(el: Element): string {
  const copy = el.cloneNode(true) as Element;
  for (const x of Array.from(copy.querySelectorAll('ins, .wd-mark, .wd-num, .wd-note'))) x.remove();
  return copy.textContent ?? '';
}
