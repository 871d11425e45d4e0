/** The article model's public face: parse a version, normalize text, hash and print an article. */
export { parseArticle, looksLikeHtml } from './parse.js';
export { normalizeText } from './normalize.js';
export { classifyMarker, findDateline } from './structure.js';
export { articleToText } from './serialize.js';
export { contentHash } from './hash.js';
export { EXTRACTOR_VERSION } from './version.js';
