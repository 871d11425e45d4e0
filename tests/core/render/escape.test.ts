/* eslint-disable no-control-regex -- these tests look for control characters on purpose */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeTerminal, safeUrl, stripXmlIllegal } from '../../../src/core/render/index.js';
import { parseFragment } from './dom.js';
import { HOSTILE } from './hostile.js';

/** Is every code point of `s` allowed by XML 1.0's Char production? */
function xmlLegal(s: string): boolean {
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const ok =
      c === 0x9 ||
      c === 0xa ||
      c === 0xd ||
      (c >= 0x20 && c <= 0xd7ff) ||
      (c >= 0xe000 && c <= 0xfffd) ||
      (c >= 0x10000 && c <= 0x10ffff);
    if (!ok) return false;
  }
  return true;
}

/** Arbitrary UTF-16 strings, lone surrogates and controls included. */
const anyUtf16 = fc
  .array(fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0x10ffff })), { maxLength: 40 })
  .map((codes) => codes.map((c) => (c <= 0xffff ? String.fromCharCode(c) : String.fromCodePoint(c))).join(''));

describe('escapeHtml', () => {
  it('escapes & < > " and \'', () => {
    expect(escapeHtml(`a & b < c > d " e ' f`)).toBe('a &amp; b &lt; c &gt; d &quot; e &#39; f');
    expect(escapeHtml('plain text')).toBe('plain text');
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
  });

  it('round-trips through a real HTML parser as text and as a quoted attribute, creating no elements', () => {
    for (const s of [...HOSTILE.map(stripXmlIllegal), 'a"b\'c<d>e&f']) {
      const doc = parseFragment(`<p title="${escapeHtml(s)}" data-x='${escapeHtml(s)}'>${escapeHtml(s)}</p>`);
      const p = doc.querySelector('p')!;
      expect(doc.querySelectorAll('body *').length).toBe(1);
      expect(p.textContent).toBe(s);
      expect(p.getAttribute('title')).toBe(s);
      expect(p.getAttribute('data-x')).toBe(s);
      expect(Array.from(p.attributes).map((a) => a.name)).toEqual(['title', 'data-x']);
    }
  });

  it('round-trips arbitrary strings (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (s) => {
        const doc = parseFragment(`<p title="${escapeHtml(s)}">${escapeHtml(s)}</p>`);
        const p = doc.querySelector('p')!;
        // HTML parsing turns CR and CRLF into LF and drops a NUL; grapheme strings hold neither.
        expect(p.textContent).toBe(s);
        expect(p.getAttribute('title')).toBe(s);
      }),
      { numRuns: 300, seed: 42 },
    );
  });
});

describe('stripXmlIllegal', () => {
  it('removes C0 controls but tab/LF/CR, lone surrogates, U+FFFE and U+FFFF', () => {
    expect(stripXmlIllegal('a\u0000b\u0001c\u0008d\u000Be\u000Cf\u001Fg')).toBe('abcdefg');
    expect(stripXmlIllegal('tab\there\nline\r\nend')).toBe('tab\there\nline\r\nend');
    expect(stripXmlIllegal('x\uD800y\uDBFFz\uDC00w\uDFFFv')).toBe('xyzwv');
    expect(stripXmlIllegal('\uFFFE\uFFFFok\uFFFD')).toBe('ok\uFFFD');
    expect(stripXmlIllegal('pair 😀 \u{10FFFF} \uE000')).toBe('pair 😀 \u{10FFFF} \uE000');
    expect(stripXmlIllegal('reversed \uDE00\uD83D pair')).toBe('reversed  pair');
  });

  it('leaves only XML-legal characters and keeps every legal one (property)', () => {
    fc.assert(
      fc.property(anyUtf16, (s) => {
        const out = stripXmlIllegal(s);
        expect(xmlLegal(out)).toBe(true);
        const legal = [...s].filter((ch) => xmlLegal(ch)).join('');
        expect(out).toBe(legal);
      }),
      { numRuns: 1000, seed: 7 },
    );
  });
});

describe('safeUrl', () => {
  it('keeps http(s) and relative URLs', () => {
    for (const ok of [
      'https://example.org/a?b=c#d',
      'HTTP://EXAMPLE.ORG',
      '/articles/ap-syria/v/2',
      'v/2',
      '?from=1&to=2',
      '#n-3',
      '//cdn.example.org/x',
      'a/b:c',
    ]) {
      expect(safeUrl(ok)).toBe(ok);
    }
  });

  it('turns every other scheme, however disguised, into #', () => {
    for (const bad of [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      ' javascript:alert(1)',
      '\u0001javascript:alert(1)',
      'java\tscript:alert(1)',
      'java\nscript:alert(1)',
      'java\rscript:alert(1)',
      'vbscript:msgbox(1)',
      'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd',
      'mailto:a@b.c',
      'ftp://x',
      'javascript&colon;alert(1)'.replace('&colon;', ':'),
      '',
      '   ',
      'https://ok\u0000.org',
      'https://x/\uD800',
    ]) {
      expect(safeUrl(bad), JSON.stringify(bad)).toBe('#');
    }
  });

  it('strips leading/trailing spaces and inner tabs/newlines as browsers do', () => {
    expect(safeUrl('  https://example.org/a\n  ')).toBe('https://example.org/a');
    expect(safeUrl('ht\ttp://example.org')).toBe('http://example.org');
  });
});

describe('escapeTerminal', () => {
  it('makes ESC sequences and controls visible and removes bidi overrides', () => {
    const out = escapeTerminal('a\u001b[2Jb\u0007c\u009bd\u202Ee\tf\ng\rh');
    expect(out).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202E]/);
    expect(out).toBe('a\u241B[2Jb\u2407c\uFFFDde f\ng\u240Dh');
  });
});
