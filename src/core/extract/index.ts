/** The article model's public face: parse a version, normalize text, hash and print an article. */
export { parseArticle, looksLikeHtml, DEFAULT_MAX_CHARS, DEFAULT_MAX_PARAGRAPHS } from './parse.js';
export type { ParseInput, ParseOptions } from './parse.js';
export { normalizeText } from './normalize.js';
export { findStructure, classifyMarker, findDateline } from './structure.js';
export type { MarkerKind, Structure } from './structure.js';
export { articleToText } from './serialize.js';
export { contentHash } from './hash.js';
export { EXTRACTOR_VERSION } from './version.js';
