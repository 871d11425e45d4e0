import type { ParagraphTag } from '../model/article.js';

export interface ExtractedHtml {
  readonly title: string;
  readonly paragraphs: readonly { readonly text: string; readonly tag: ParagraphTag }[];
  readonly byline?: string;
}

export function extractHtml(_html: string, _maxParagraphs: number): ExtractedHtml {
  return { title: '', paragraphs: [] };
}
