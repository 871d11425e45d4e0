import type { Article } from '../model/article.js';

/**
 * The article as plain text: the title, a blank line, then the paragraphs (their original text) separated by blank
 * lines, ending with a newline. Without a title, the paragraphs alone. Parsing the result as text gives back the
 * same paragraphs (and the title, when it reads as a headline: one short line not ending in a full stop).
 */
export function articleToText(a: Article): string {
  const parts = a.title === '' ? [] : [a.title];
  for (const p of a.paragraphs) parts.push(p.text);
  return parts.length === 0 ? '' : parts.join('\n\n') + '\n';
}
