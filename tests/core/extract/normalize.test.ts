import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../../src/core/extract/index.js';

/**
 * What plain ASCII text must normalize to, modelled character by character (independently of the module's regular
 * expressions): every run of ASCII whitespace becomes one space, every run of hyphens one hyphen, the ends are trimmed,
 * and every other character is kept.
 */
function asciiModel(t: string): string {
  let out = '';
  for (const ch of t) {
    const c = ' \t\n\v\f\r'.includes(ch) ? ' ' : ch;
    if ((c === ' ' || c === '-') && out.endsWith(c)) continue;
    out += c;
  }
  return out.replace(/^ | $/g, '');
}

/** Every character each rule covers (the module comment's lists), with what it becomes between two letters. */
const EVERY_CHARACTER: readonly (readonly [string, readonly string[], string])[] = [
  ['single quotes', ['\u2018', '\u2019', '\u201A', '\u201B', '\u02BC', '\u2032', '\uFF07'], "a'b"],
  ['double quotes', ['\u201C', '\u201D', '\u201E', '\u201F', '\u2033', '\u00AB', '\u00BB', '\uFF02'], 'a"b'],
  [
    'dashes',
    ['\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212', '\uFE58', '\uFE63', '\uFF0D'],
    'a-b',
  ],
  [
    'invisible characters',
    [
      '\u00AD',
      '\u180E',
      '\u200B',
      '\u200C',
      '\u200D',
      '\u200E',
      '\u200F',
      '\u2060',
      '\u2061',
      '\u2062',
      '\u2063',
      '\u2064',
      '\uFEFF',
    ],
    'ab',
  ],
  [
    'Unicode spaces',
    [
      '\u00A0',
      '\u1680',
      '\u2000',
      '\u2001',
      '\u2002',
      '\u2003',
      '\u2004',
      '\u2005',
      '\u2006',
      '\u2007',
      '\u2008',
      '\u2009',
      '\u200A',
      '\u2028',
      '\u2029',
      '\u202F',
      '\u205F',
      '\u3000',
    ],
    'a b',
  ],
  ['the ellipsis', ['\u2026'], 'a...b'],
];

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

  it.each(EVERY_CHARACTER)('unifies every one of the %s', (_name, chars, expected) => {
    for (const ch of chars) expect(normalizeText(`a${ch}b`), `U+${ch.codePointAt(0)!.toString(16)}`).toBe(expected);
  });

  it('gives plain ASCII text what the character-by-character model says (property)', () => {
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
        expect(normalizeText(t)).toBe(asciiModel(t));
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
