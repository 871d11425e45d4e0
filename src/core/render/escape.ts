/**
 * Escaping for every renderer: untrusted article text is never active.
 *
 * - `escapeHtml` makes a string safe as HTML text and inside a quoted attribute value.
 * - `stripXmlIllegal` removes what XML 1.0 does not allow (C0 controls other than tab/LF/CR, lone surrogates,
 *   U+FFFE/U+FFFF), so feeds stay well-formed.
 * - `safeUrl` lets through only http(s) and relative URLs; anything else (`javascript:`, `data:`…) becomes `#`.
 * - `escapeTerminal` makes text inert in a terminal: control characters (ESC sequences included) become visible symbols.
 */

const HTML_SPECIAL = /[&<>"']/g;
const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes `& < > " '`: safe as HTML text content and inside a single- or double-quoted attribute value. */
export function escapeHtml(s: string): string {
  HTML_SPECIAL.lastIndex = 0;
  if (!HTML_SPECIAL.test(s)) return s;
  HTML_SPECIAL.lastIndex = 0;
  return s.replace(HTML_SPECIAL, (c) => HTML_ENTITIES[c] ?? c);
}

/**
 * Everything outside XML 1.0's `Char` production: `#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]`.
 * With the `u` flag a lone surrogate is one code point in D800–DFFF, so it is matched (and removed) too.
 */
const XML_ILLEGAL = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Removes characters that are illegal in XML 1.0 (and so in RSS): C0 controls but tab/LF/CR, lone surrogates, U+FFFE, U+FFFF. */
export function stripXmlIllegal(s: string): string {
  XML_ILLEGAL.lastIndex = 0;
  if (!XML_ILLEGAL.test(s)) return s;
  XML_ILLEGAL.lastIndex = 0;
  return s.replace(XML_ILLEGAL, '');
}

/** Escapes for HTML after removing XML-illegal characters: what every HTML renderer applies to article text. */
export function escapeText(s: string): string {
  return escapeHtml(stripXmlIllegal(s));
}

/** Leading/trailing C0 controls and spaces, as the URL standard strips them. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const URL_TRIM = /^[\u0000-\u0020]+|[\u0000-\u0020]+$/g;
/** Tabs and newlines anywhere, which the URL standard removes (so `java\nscript:` is `javascript:`). */
const URL_TAB_NEWLINE = /[\t\n\r]/g;
const URL_SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;
/** Characters that are never fine in a URL we emit (other controls, lone surrogates). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const URL_BAD = /[\u0000-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Returns `s` when it is an `http:`/`https:` URL or a relative URL (path, query, fragment or `//host`), else `'#'`.
 * Leading/trailing spaces and controls and inner tabs/newlines are removed first, as browsers do, so `" java\tscript:"`
 * is caught. The result is a URL, not markup: still escape it with `escapeHtml` when writing an attribute.
 */
export function safeUrl(s: string): string {
  const url = s.replace(URL_TRIM, '').replace(URL_TAB_NEWLINE, '');
  if (url === '' || URL_BAD.test(url)) return '#';
  const scheme = URL_SCHEME.exec(url);
  if (scheme === null) return url;
  const name = (scheme[1] ?? '').toLowerCase();
  return name === 'http' || name === 'https' ? url : '#';
}

/** C0 controls (including ESC), DEL and C1 controls: made visible so text cannot drive a terminal. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const TERMINAL_CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
/** Bidirectional overrides and isolates, which can reorder what a terminal shows ("Trojan Source"). */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/g;

/**
 * Makes text inert for a terminal: C0/C1 controls become their Unicode "control picture" (ESC → ␛) or U+FFFD,
 * bidi overrides are removed, tabs become a space. Newlines are kept (the caller lays out lines).
 */
export function escapeTerminal(s: string): string {
  return s
    .replace(TERMINAL_CONTROL, (c) => {
      const code = c.charCodeAt(0);
      if (code < 0x20) return String.fromCharCode(0x2400 + code);
      if (code === 0x7f) return '\u2421';
      return '\uFFFD';
    })
    .replace(BIDI_CONTROL, '')
    .replace(/\t/g, ' ');
}
