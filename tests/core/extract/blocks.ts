import { expect } from 'vitest';
import type { Article } from '../../../src/core/model/article.js';

/** The article's blocks cover every paragraph, in order, without gaps or overlap, and each paragraph names its block. */
export function expectBlocksCoverParagraphs(a: Article): void {
  let next = 0;
  for (const b of a.blocks) {
    expect(b.start).toBe(next);
    expect(b.end).toBeGreaterThan(b.start);
    for (let i = b.start; i < b.end; i++) expect(a.paragraphs[i]!.block).toBe(b.kind);
    next = b.end;
  }
  expect(next).toBe(a.paragraphs.length);
}
