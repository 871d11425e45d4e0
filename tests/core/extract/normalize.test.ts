import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../../src/core/extract/index.js';
import {
  DASHES,
  DASH_RUN,
  DOUBLE_QUOTES,
  ELLIPSIS,
  INVISIBLE_CHARS,
  SINGLE_QUOTES,
  WHITESPACE_RUN,
} from '../../../src/core/extract/normalize.js';

describe('normalizeText', () => {
  it.each([
    ['curly single quotes and apostrophes', 'AP\u2019s \u2018earlier\u2019 story', "AP's 'earlier' story"],
    [
      'curly double quotes and guillemets',
      '\u201CHas taken a long time.\u201D \u00ABoui\u00BB',
      '"Has taken a long time." "oui"',
    ],
    ['en dash', '(AP) \u2013 A general', '(AP) - A general'],
    ['em dash', 'DAMASCUS, Syria (AP) \u2014 A general', 'DAMASCUS, Syria (AP) - A general'],
    ['minus sign and figure dash', '\u22125 and 555\u20121234', '-5 and 555-1234'],
    ['typewriter double hyphen', '(AP) -- A general', '(AP) - A general'],
    ['no-break spaces', 'March\u00A015,\u202F2011', 'March 15, 2011'],
    ['soft hyphens', 'bomb\u00ADlets', 'bomblets'],
    ['zero-width characters and BOM', '\uFEFFal\u200B-\u200CKhatib\u200D\u2060', 'al-Khatib'],
    ['whitespace runs, tabs and line breaks', '  one\t two\r\n\nthree  ', 'one two three'],
    ['decomposed accents (NFC)', 'Cafe\u0301 Se\u0301ne\u0301gal', 'Caf\u00E9 S\u00E9n\u00E9gal'],
    ['ellipsis', 'wait\u2026', 'wait...'],
    ['only invisible characters', '\u00AD\u200B\u00A0 ', ''],
  ])('%s', (_name, input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });

  it('gives ASCII text (its fast path) exactly what the full chain of steps gives (property)', () => {
    const full = (t: string): string =>
      t
        .replace(INVISIBLE_CHARS, '')
        .normalize('NFC')
        .replace(SINGLE_QUOTES, "'")
        .replace(DOUBLE_QUOTES, '"')
        .replace(DASHES, '-')
        .replace(DASH_RUN, '-')
        .replace(ELLIPSIS, '...')
        .replace(WHITESPACE_RUN, ' ')
        .trim();
    const ascii = fc.constantFrom(
      'a',
      'Z',
      '9',
      ' ',
      '  ',
      '\t',
      '\n',
      '\r\n',
      '\v',
      '\f',
      '-',
      '--',
      '---',
      "'",
      '"',
      '.',
      '\u0000',
    );
    fc.assert(
      fc.property(fc.array(ascii, { maxLength: 40 }), (parts) => {
        const t = parts.join('');
        expect(normalizeText(t)).toBe(full(t));
      }),
      { seed: 20261201, numRuns: 2000 },
    );
  });

  it('keeps case, digits, words and other punctuation', () => {
    const s = 'THE U.N. says 70,000 (at least) were killed; 4 million displaced!';
    expect(normalizeText(s)).toBe(s);
  });

  it('does not compose across a removed invisible character into something a second pass would change', () => {
    const s = 'e\u200B\u0301';
    expect(normalizeText(normalizeText(s))).toBe(normalizeText(s));
    expect(normalizeText(s)).toBe('\u00E9');
  });

  it('is idempotent and leaves no whitespace run, line break or edge space (property)', () => {
    const pieces = fc.constantFrom(
      'a',
      'Z',
      ' ',
      '  ',
      '\t',
      '\n',
      '\r\n',
      '\u00A0',
      '\u00AD',
      '\u200B',
      '\uFEFF',
      '\u2019',
      '\u201C',
      '\u2013',
      '\u2014',
      '--',
      '-',
      '\u0301',
      'e',
      '\u2026',
      '.',
      '\u3000',
      '\u2212',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(pieces, fc.string()), { maxLength: 30 }), (parts) => {
        const once = normalizeText(parts.join(''));
        expect(normalizeText(once)).toBe(once);
        expect(once).not.toMatch(/\s{2}|\n|^\s|\s$/);
      }),
      { numRuns: 2000, seed: 42 },
    );
  });
});
