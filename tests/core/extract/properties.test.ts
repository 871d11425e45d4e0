/**
 * Property tests over seeded random inputs: parsing never fails with anything but a WirediffError, blocks always
 * cover the paragraphs, and printing an article as text parses back to the same article.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Article } from '../../../src/core/model/article.js';
import { isWirediffError } from '../../../src/core/errors.js';
import { articleToText, normalizeText, parseArticle } from '../../../src/core/extract/index.js';
import { expectBlocksCoverParagraphs } from './blocks.js';

function expectWellFormed(a: Article): void {
  expectBlocksCoverParagraphs(a);
  for (const p of a.paragraphs) {
    expect(p.norm).toBe(normalizeText(p.text));
    expect(p.norm).not.toBe('');
  }
}

const word = fc.constantFrom(
  'Syria',
  'rebels',
  'the',
  'said',
  'Saturday',
  '70,000',
  'AP’s',
  '“quoted”',
  '—',
  '–',
  'al-Khatib',
  'bomb\u00ADlets',
  'a\u00A0b',
  'UPDATE:',
  'Correction:',
  'By',
  'ZEINA',
  'KARAM',
  '(AP)',
  'DAMASCUS,',
  'THIS IS A BREAKING NEWS UPDATE.',
  'contributed to this report.',
  'é',
  'e\u0301',
  '\u200B',
  '.',
  ',',
);
const line = fc.array(word, { minLength: 1, maxLength: 14 }).map((ws) => ws.join(' '));
const paragraph = fc.array(line, { minLength: 1, maxLength: 3 }).map((ls) => ls.join('\n'));

describe('parseArticle properties', () => {
  it('text: blocks cover every paragraph, norm = normalizeText(text), and articleToText parses back the same', () => {
    fc.assert(
      fc.property(fc.array(paragraph, { minLength: 1, maxLength: 25 }), fc.constantFrom('\n', '\r\n'), (paras, eol) => {
        let a: Article;
        try {
          a = parseArticle({ body: paras.join(`${eol}${eol}`).replaceAll('\n', eol), format: 'text' });
        } catch (err) {
          expect(isWirediffError(err, 'E_INPUT_EMPTY'), String(err)).toBe(true);
          return;
        }
        expectWellFormed(a);
        const again = parseArticle({ body: articleToText(a), format: 'text' });
        expect(again.paragraphs).toEqual(a.paragraphs);
        if (a.title !== '') expect(again.title).toBe(a.title);
      }),
      { numRuns: 400, seed: 20130316 },
    );
  });

  it('HTML: random tag soup gives a well-formed article or a WirediffError, never a crash', () => {
    const tag = fc.constantFrom(
      'p',
      'div',
      'li',
      'ul',
      'h2',
      'blockquote',
      'pre',
      'span',
      'a',
      'b',
      'br',
      'script',
      'style',
      'nav',
      'article',
      'table',
      'td',
      'iframe',
      'x-widget',
    );
    const attrs = fc.constantFrom(
      '',
      ' class="ad"',
      ' class="story-body"',
      ' hidden',
      ' class="related"',
      ' id="main"',
      ' class="byline"',
      ' style="display:none"',
      ' class=',
      ' "',
      " onclick='x()'",
    );
    const piece = fc.oneof(
      fc.tuple(tag, attrs).map(([t, a]) => `<${t}${a}>`),
      tag.map((t) => `</${t}>`),
      line,
      fc.constantFrom(
        '&amp;',
        '&nbsp;',
        '&#x2014;',
        '&bogus;',
        '<!--',
        '-->',
        '<',
        '>',
        '<![CDATA[',
        '\u0000',
        '\uFFFD',
      ),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 60 }), (pieces) => {
        try {
          expectWellFormed(parseArticle({ body: pieces.join(''), format: 'html' }));
        } catch (err) {
          expect(isWirediffError(err), String(err)).toBe(true);
        }
      }),
      { numRuns: 150, seed: 7 },
    );
  });
});
