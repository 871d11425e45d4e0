/**
 * Sources: fetching over HTTP with guards, charset decoding, feed parsing, local files and folders, article ids.
 */
export {
  fetchDocument,
  defaultFetchOptions,
  ERROR_BODY_MAX_BYTES,
  type FetchOptions,
  type FetchResult,
} from './fetch.js';
export { DEFAULT_ACCEPT, validateFetchOptions } from './fetch-options.js';
export { decodeBody, charsetFromContentType, type DecodedBody } from './charset.js';
export { parseFeed, type FeedItem, type ParsedFeed } from './feed.js';
export {
  readFileSource,
  listArticleFiles,
  isArticleFileName,
  contentTypeForPath,
  looksBinary,
  type FileSource,
} from './file.js';
export { articleIdFor, isReservedArticleId, RESERVED_ARTICLE_IDS } from './article-id.js';
export { blockedReason, type AddressPolicy } from './address-guard.js';
export { parseRetryAfter } from './retry-after.js';
export { defaultUserAgent, wirediffVersion } from './user-agent.js';
