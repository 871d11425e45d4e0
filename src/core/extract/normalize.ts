/**
 * The normalized form of a piece of article text: what two versions are compared on.
 *
 * Two texts with the same normalized form differ only cosmetically (whitespace, quote style, dash style,
 * invisible characters, composed vs decomposed accents). Case, words, digits and other punctuation are kept.
 */

/**
 * Invisible characters removed outright: soft hyphen (U+00AD), Mongolian vowel separator (U+180E),
 * zero-width space / non-joiner / joiner (U+200B–U+200D), left-to-right / right-to-left marks (U+200E, U+200F),
 * word joiner and invisible operators (U+2060–U+2064), byte-order mark / zero-width no-break space (U+FEFF).
 */
const INVISIBLE_CHARS = /[\u00AD\u180E\u200B-\u200F\u2060-\u2064\uFEFF]/g;

/**
 * Single quotes and apostrophes unified to `'`: ‘ ’ ‚ ‛ (U+2018–U+201B), modifier-letter apostrophe ʼ (U+02BC),
 * prime ′ (U+2032), fullwidth apostrophe (U+FF07).
 */
const SINGLE_QUOTES = /[\u2018-\u201B\u02BC\u2032\uFF07]/g;

/**
 * Double quotes unified to `"`: “ ” „ ‟ (U+201C–U+201F), double prime ″ (U+2033), guillemets « » (U+00AB, U+00BB),
 * fullwidth quotation mark (U+FF02).
 */
const DOUBLE_QUOTES = /[\u201C-\u201F\u2033\u00AB\u00BB\uFF02]/g;

/**
 * Dashes unified to `-`: hyphen and non-breaking hyphen (U+2010, U+2011), figure dash (U+2012), en dash (U+2013),
 * em dash (U+2014), horizontal bar (U+2015), minus sign (U+2212), small em dash / small hyphen-minus (U+FE58, U+FE63),
 * fullwidth hyphen-minus (U+FF0D).
 */
const DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g;

/** A typewriter em dash (`--`, common in wire copy) and any longer run of dashes count as one dash once dashes are unified. */
const DASH_RUN = /-{2,}/g;

/** The horizontal ellipsis (U+2026) compares equal to three full stops. */
const ELLIPSIS = /\u2026/g;

/**
 * Any run of whitespace, including no-break spaces (U+00A0, U+202F), figure and other Unicode spaces
 * (U+2000–U+200A, U+3000…), tabs and line breaks: collapsed to one ASCII space.
 */
// The same set as the regular-expression class \s, spelled out: V8 runs the explicit class several times faster.
const WHITESPACE_RUN = /[\t\n\v\f\r \u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF]+/g;

/**
 * Any character but printable ASCII and ASCII whitespace: only text with one needs the invisible, quote, dash,
 * ellipsis and NFC steps.
 */
const NOT_PLAIN_ASCII = /[^\t\n\v\f\r\x20-\x7E]/;
/** Whitespace runs as they can occur in ASCII text. */
const ASCII_WHITESPACE_RUN = /[\t\n\v\f\r ]+/g;

/**
 * The normalized form of `s`: invisible characters removed; Unicode NFC; quotes, dashes and the ellipsis unified;
 * every whitespace run (no-break spaces included) collapsed to one space; trimmed.
 *
 * Idempotent: `normalizeText(normalizeText(s)) === normalizeText(s)`.
 */
export function normalizeText(s: string): string {
  // Plain ASCII text (much wire copy) has nothing for the invisible, quote, dash, ellipsis and NFC steps to change:
  // the same result in three passes instead of eight.
  if (!NOT_PLAIN_ASCII.test(s)) return s.replace(DASH_RUN, '-').replace(ASCII_WHITESPACE_RUN, ' ').trim();
  return s
    .replace(INVISIBLE_CHARS, '')
    .normalize('NFC')
    .replace(SINGLE_QUOTES, "'")
    .replace(DOUBLE_QUOTES, '"')
    .replace(DASHES, '-')
    .replace(DASH_RUN, '-')
    .replace(ELLIPSIS, '...')
    .replace(WHITESPACE_RUN, ' ')
    .trim();
}
