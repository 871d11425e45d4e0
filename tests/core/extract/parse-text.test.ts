import { describe, expect, it } from 'vitest';
import { isWirediffError } from '../../../src/core/errors.js';
import { EXTRACTOR_VERSION, parseArticle } from '../../../src/core/extract/index.js';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (isWirediffError(err)) return `${err.code}: ${err.message}`;
    throw err;
  }
  return 'no error';
}

describe('parseArticle, text', () => {
  it('splits paragraphs on blank lines and keeps each paragraph byte for byte', () => {
    const body =
      'First line of one\n  indented second line  \n\n\n\nSecond paragraph.\t\n \n\u00A0\nThird “quoted” — paragraph.';
    const a = parseArticle({ body, format: 'text' });
    expect(a.title).toBe('');
    expect(a.paragraphs.map((p) => p.text)).toEqual([
      'First line of one\n  indented second line  ',
      'Second paragraph.\t',
      'Third “quoted” — paragraph.',
    ]);
    expect(a.paragraphs.map((p) => p.norm)).toEqual([
      'First line of one indented second line',
      'Second paragraph.',
      'Third "quoted" - paragraph.',
    ]);
    expect(a.paragraphs.every((p) => p.tag === 'p' && p.block === 'body')).toBe(true);
    expect(a.format).toBe('text');
    expect(a.extractor).toBe(EXTRACTOR_VERSION);
  });

  it('takes a single headline-like first line as the title', () => {
    const a = parseArticle({ body: 'Syrian General Defects\n\nA general defected on Saturday.\n\nMore text.' });
    expect(a.title).toBe('Syrian General Defects');
    expect(a.paragraphs).toHaveLength(2);
  });

  it('takes a headline repeated on two consecutive lines as the title', () => {
    const a = parseArticle({
      body: 'Syrian General Defects\nSyrian General Defects\n\nA general defected on Saturday.',
    });
    expect(a.title).toBe('Syrian General Defects');
    expect(a.paragraphs.map((p) => p.text)).toEqual(['A general defected on Saturday.']);
  });

  it('does not take a sentence, a dateline, a banner or a lone paragraph as the title', () => {
    expect(parseArticle({ body: 'A general defected on Saturday.\n\nMore text.' }).title).toBe('');
    expect(parseArticle({ body: 'DAMASCUS, Syria (AP) —\n\nA general defected.' }).title).toBe('');
    expect(parseArticle({ body: 'BREAKING NEWS\n\nA general defected.' }).title).toBe('');
    expect(parseArticle({ body: 'By ZEINA KARAM\n\nA general defected.' }).title).toBe('');
    const lone = parseArticle({ body: 'Syrian General Defects' });
    expect(lone.title).toBe('');
    expect(lone.paragraphs.map((p) => p.text)).toEqual(['Syrian General Defects']);
  });

  it('reads CRLF and CR line endings and drops a byte-order mark', () => {
    const lf = parseArticle({ body: 'Headline Here\n\nOne.\nStill one.\n\nTwo.\n' });
    const crlf = parseArticle({ body: '\uFEFFHeadline Here\r\n\r\nOne.\r\nStill one.\r\n\r\nTwo.\r\n' });
    const cr = parseArticle({ body: 'Headline Here\r\rOne.\rStill one.\r\rTwo.\r' });
    expect(crlf).toEqual(lf);
    expect(cr).toEqual(lf);
    expect(lf.paragraphs[0]!.text).toBe('One.\nStill one.');
  });

  it('keeps no-break spaces and soft hyphens in text, not in norm; drops invisible-only paragraphs', () => {
    const a = parseArticle({ body: 'Cluster bomb\u00ADlets scatter,\u00A0officials said.\n\n\u200B\u00AD\n\nEnd.' });
    expect(a.paragraphs.map((p) => p.text)).toEqual(['Cluster bomb\u00ADlets scatter,\u00A0officials said.', 'End.']);
    expect(a.paragraphs[0]!.norm).toBe('Cluster bomblets scatter, officials said.');
  });

  it('auto-detects text and HTML', () => {
    expect(parseArticle({ body: '<p>x < y is a comparison, said the story.</p>' }).format).toBe('html');
    expect(parseArticle({ body: 'x < y, and <b> is just text here.' }).format).toBe('text');
    expect(parseArticle({ body: '<p>Hello there, reader.</p>', url: 'file:///tmp/a.txt' }).format).toBe('text');
  });

  it('refuses empty and whitespace-only input with E_INPUT_EMPTY', () => {
    for (const body of ['', '   ', '\n\n\r\n\t', '\uFEFF', '\u00A0\u200B\u00AD']) {
      expect(codeOf(() => parseArticle({ body }))).toMatch(/^E_INPUT_EMPTY: /);
    }
    expect(codeOf(() => parseArticle({ body: ' \n ', format: 'html' }))).toMatch(/^E_INPUT_EMPTY: /);
  });

  it('refuses binary-looking input with E_INPUT_BINARY', () => {
    expect(codeOf(() => parseArticle({ body: 'PK\u0003\u0004\u0000\u0000 zip' }))).toMatch(/^E_INPUT_BINARY: .*NUL/);
    const controls = Array.from({ length: 200 }, (_, i) => String.fromCharCode(1 + (i % 8))).join('') + 'text';
    expect(codeOf(() => parseArticle({ body: controls }))).toMatch(/^E_INPUT_BINARY: /);
    expect(codeOf(() => parseArticle({ body: '\uFFFD'.repeat(50) + 'abc' }))).toMatch(/^E_INPUT_BINARY: /);
  });

  it('guards huge inputs: maxChars and maxParagraphs', () => {
    const body = Array.from({ length: 30 }, (_, i) => `Paragraph ${i}.`).join('\n\n');
    expect(codeOf(() => parseArticle({ body }, { maxParagraphs: 29 }))).toBe(
      'E_INPUT_TOO_LARGE: Input has more than 29 paragraphs (the `maxParagraphs` limit)',
    );
    expect(parseArticle({ body }, { maxParagraphs: 30 }).paragraphs).toHaveLength(30);
    expect(codeOf(() => parseArticle({ body, url: 'https://x.test/a' }, { maxChars: 100 }))).toBe(
      `E_INPUT_TOO_LARGE: Input (https://x.test/a) has ${body.length} characters, more than the \`maxChars\` limit of 100`,
    );
    const html = `<ul>${'<li>entry</li>'.repeat(50)}</ul>`;
    expect(codeOf(() => parseArticle({ body: html }, { maxParagraphs: 10 }))).toMatch(
      /^E_INPUT_TOO_LARGE: .*maxParagraphs/,
    );
  });

  it('validates options, naming the option, the range and the value received', () => {
    expect(codeOf(() => parseArticle({ body: 'x' }, { maxParagraphs: 0 }))).toBe(
      'E_USAGE: Expected `maxParagraphs` to be an integer from 1 to 1000000, got `0` (number)',
    );
    expect(codeOf(() => parseArticle({ body: 'x' }, { maxChars: 1.5 }))).toBe(
      'E_USAGE: Expected `maxChars` to be an integer from 1 to 100000000, got `1.5` (number)',
    );
    expect(codeOf(() => parseArticle({ body: 'x' }, { maxChars: '10' as unknown as number }))).toBe(
      'E_USAGE: Expected `maxChars` to be an integer from 1 to 100000000, got `10` (string)',
    );
    expect(codeOf(() => parseArticle({ body: 'x', format: 'pdf' as 'text' }))).toMatch(/^E_USAGE: Expected `format`/);
  });
});
