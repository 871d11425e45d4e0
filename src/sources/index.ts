/**
 * Sources: fetching over HTTP with guards, charset decoding, feed parsing, local files and folders, article ids.
 */
export { fetchDocument, defaultFetchOptions, type FetchOptions, type FetchResult } from './fetch.js';
export { decodeBody, charsetFromContentType } from './charset.js';
export { parseFeed } from './feed.js';
export { readFileSource, listArticleFiles, looksBinary } from './file.js';
export { articleIdFor } from './article-id.js';
export { blockedReason, type AddressPolicy } from './address-guard.js';
export { parseRetryAfter } from './retry-after.js';
