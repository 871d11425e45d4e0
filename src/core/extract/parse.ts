/**
 * One version of an article, from plain text or HTML, into the Article model: title, paragraphs (original text and
 * normalized form) and the story's blocks.
 */
import type { Article, Paragraph, ParagraphTag } from '../model/article.js';
import { WirediffError } from '../errors.js';
import { checkInt } from '../expect.js';
import { extractHtml } from './html.js';
import { normalizeText } from './normalize.js';
import { classifyMarker, findDateline, findStructure } from './structure.js';
import { EXTRACTOR_VERSION } from './version.js';

export interface ParseInput {
  /** The source: plain text or HTML, already decoded to a string. */
  readonly body: string;
  /** `auto` (the default) reads HTML when the body starts with a tag and holds HTML elements. */
  readonly format?: 'text' | 'html' | 'auto';
  /** Where the source came from (only used to help `auto` and for error messages). */
  readonly url?: string;
}

export interface ParseOptions {
  /** Refuse bodies longer than this many characters (default 5,000,000; 1 … 100,000,000). */
  readonly maxChars?: number;
  /** Refuse articles with more paragraphs than this (default 20,000; 1 … 1,000,000). */
  readonly maxParagraphs?: number;
}

export const DEFAULT_MAX_CHARS = 5_000_000;
export const MAX_MAX_CHARS = 100_000_000;
export const DEFAULT_MAX_PARAGRAPHS = 20_000;
export const MAX_MAX_PARAGRAPHS = 1_000_000;

/** A text title is one line of at most this many characters. */
export const TITLE_MAX_CHARS = 200;
/** A line ending like this reads as a sentence, not a headline. */
const SENTENCE_END = /[.,;:]["'\u2019\u201D)]?$/;

/** How much of the body the binary check reads, and the share of control characters that makes it binary. */
const BINARY_SAMPLE_CHARS = 65_536;
const BINARY_CONTROL_SHARE = 0.1;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u0008\u000E-\u001F\u007F\uFFFD]/g;

/** Any character that is neither whitespace nor invisible (see `INVISIBLE_CHARS` in normalize.ts). */
const VISIBLE_CHAR = /[^\s\u00AD\u180E\u200B-\u200F\u2060-\u2064\uFEFF]/;
const HTML_START = /^\s*</;
const HTML_ELEMENT =
  /<(?:!doctype|html|head|body|p|div|article|main|section|span|br|h[1-6]|ul|ol|li|table|a|title|meta)\b/i;

function checkLimit(name: string, value: number | undefined, fallback: number, max: number): number {
  return checkInt(name, value, 1, max, { fallback });
}

function where(input: ParseInput): string {
  return input.url === undefined ? '' : ` (${input.url})`;
}

function checkBinary(body: string, input: ParseInput): void {
  const sample = body.slice(0, BINARY_SAMPLE_CHARS);
  if (sample.includes('\u0000')) {
    throw new WirediffError('E_INPUT_BINARY', `Input looks binary${where(input)}: it contains NUL characters`);
  }
  const controls = sample.match(CONTROL_CHARS)?.length ?? 0;
  if (sample.length >= 8 && controls / sample.length > BINARY_CONTROL_SHARE) {
    throw new WirediffError(
      'E_INPUT_BINARY',
      `Input looks binary${where(input)}: ${controls} of its first ${sample.length} characters are control or replacement characters`,
    );
  }
}

/** True when `body` reads as HTML (used by `format: 'auto'`). */
export function looksLikeHtml(body: string, url?: string): boolean {
  if (url !== undefined && /\.(?:txt|text)(?:[?#].*)?$/i.test(url)) return false;
  return HTML_START.test(body) && HTML_ELEMENT.test(body.slice(0, 65_536));
}

interface RawParagraph {
  readonly text: string;
  readonly tag: ParagraphTag;
}

/** Text paragraphs: runs of non-blank lines, each kept byte for byte (line breaks inside it as `\n`). */
function splitText(body: string, maxParagraphs: number, input: ParseInput): string[] {
  const out: string[] = [];
  let current: string[] = [];
  const flush = (): void => {
    if (current.length === 0) return;
    out.push(current.join('\n'));
    current = [];
    if (out.length > maxParagraphs) {
      throw new WirediffError(
        'E_INPUT_TOO_LARGE',
        `Input${where(input)} has more than ${maxParagraphs} paragraphs (the \`maxParagraphs\` limit)`,
      );
    }
  };
  for (const line of body.split('\n')) {
    if (/^\s*$/.test(line)) flush();
    else current.push(line);
  }
  flush();
  return out;
}

function isHeadline(text: string): boolean {
  const t = text.trim();
  return (
    t.length > 0 &&
    t.length <= TITLE_MAX_CHARS &&
    !t.includes('\n') &&
    !SENTENCE_END.test(t) &&
    classifyMarker(t, normalizeText(t)) === null &&
    findDateline(t) === undefined
  );
}

/**
 * The title of a text version: a headline repeated at the top (twice as paragraphs, or twice as lines of the first
 * paragraph, as AP's pages copy out) or a single headline-like first line (one short line not ending like a sentence,
 * not a marker). Only taken when story paragraphs remain after it.
 */
function splitTextTitle(paras: readonly string[]): { title: string; rest: readonly string[] } {
  const [first, second] = paras;
  if (first === undefined) return { title: '', rest: paras };
  const firstNorm = normalizeText(first);
  if (second !== undefined && paras.length > 2 && !first.trim().includes('\n') && firstNorm === normalizeText(second)) {
    return { title: first.trim(), rest: paras.slice(2) };
  }
  const lines = first.trim().split('\n');
  if (lines.length === 2 && paras.length > 1 && normalizeText(lines[0] ?? '') === normalizeText(lines[1] ?? '')) {
    return { title: (lines[0] ?? '').trim(), rest: paras.slice(1) };
  }
  if (paras.length > 1 && isHeadline(first)) return { title: first.trim(), rest: paras.slice(1) };
  return { title: '', rest: paras };
}

function build(
  title: string,
  raw: readonly RawParagraph[],
  format: 'text' | 'html',
  byline?: string,
  headlines?: Article['headlines'],
): Article {
  const withNorm = raw
    .map((p) => ({ text: p.text, tag: p.tag, norm: normalizeText(p.text) }))
    .filter((p) => p.norm !== '');
  const structure = findStructure(withNorm);
  const paragraphs: Paragraph[] = withNorm.map((p, i) => ({
    text: p.text,
    norm: p.norm,
    block: structure.kinds[i] ?? 'body',
    tag: p.tag,
  }));
  // A "By NAME" paragraph, else the byline the page marks up, else a credit line.
  const bylineOut = structure.byline ?? byline ?? structure.credit;
  return {
    title,
    paragraphs,
    blocks: structure.blocks,
    ...(bylineOut !== undefined ? { byline: bylineOut } : {}),
    ...(structure.dateline !== undefined ? { dateline: structure.dateline } : {}),
    ...(headlines !== undefined && (headlines.h1 !== undefined || headlines.ogTitle !== undefined)
      ? { headlines }
      : {}),
    format,
    extractor: EXTRACTOR_VERSION,
  };
}

/**
 * Parses one version of an article.
 *
 * - Text: a leading byte-order mark is dropped and line endings read as `\n`; paragraphs are runs of non-blank
 *   lines, kept exactly; a headline at the top (repeated or not, see `splitTextTitle`) is the title.
 * - HTML: parsed with linkedom, the article found with Readability (falling back to `<article>`, `<main>`, the
 *   body), paragraphs from `p`, `h1`–`h6`, `li`, `blockquote`, `pre`; navigation, ads, scripts, styles,
 *   related-story boxes, share widgets and cookie banners never become paragraphs.
 *
 * Paragraphs whose normalized form is empty (only invisible characters) are dropped.
 *
 * @throws WirediffError `E_INPUT_EMPTY` (nothing but whitespace), `E_INPUT_BINARY` (NUL or mostly control
 *   characters), `E_INPUT_TOO_LARGE` (past `maxChars` / `maxParagraphs`), `E_NO_ARTICLE` (HTML with no article
 *   text), `E_USAGE` (invalid options).
 */
export function parseArticle(input: ParseInput, options: ParseOptions = {}): Article {
  const maxChars = checkLimit('maxChars', options.maxChars, DEFAULT_MAX_CHARS, MAX_MAX_CHARS);
  const maxParagraphs = checkLimit('maxParagraphs', options.maxParagraphs, DEFAULT_MAX_PARAGRAPHS, MAX_MAX_PARAGRAPHS);
  const format = input.format ?? 'auto';
  if (format !== 'text' && format !== 'html' && format !== 'auto') {
    throw new WirediffError('E_USAGE', `Expected \`format\` to be 'text', 'html' or 'auto', got \`${String(format)}\``);
  }
  if (typeof input.body !== 'string') {
    throw new WirediffError('E_USAGE', `Expected \`body\` to be a string, got ${typeof input.body}`);
  }
  if (input.body.length > maxChars) {
    throw new WirediffError(
      'E_INPUT_TOO_LARGE',
      `Input${where(input)} has ${input.body.length} characters, more than the \`maxChars\` limit of ${maxChars}`,
    );
  }
  const body = input.body.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (!VISIBLE_CHAR.test(body)) {
    throw new WirediffError('E_INPUT_EMPTY', `Input${where(input)} is empty (nothing but whitespace)`);
  }
  checkBinary(body, input);
  const html = format === 'html' || (format === 'auto' && looksLikeHtml(body, input.url));
  if (html) {
    const extracted = extractHtml(body, maxParagraphs);
    const paras = extracted.paragraphs.filter((p) => normalizeText(p.text) !== '');
    if (paras.length === 0) {
      throw new WirediffError('E_NO_ARTICLE', `No article text found in the HTML${where(input)}`);
    }
    return build(extracted.title, paras, 'html', extracted.byline, extracted.headlines);
  }
  const { title, rest } = splitTextTitle(splitText(body, maxParagraphs, input));
  return build(
    title,
    rest.map((text) => ({ text, tag: 'p' })),
    'text',
  );
}
