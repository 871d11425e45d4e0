/** The content types a version can be stored from: what the extractor reads (text, Markdown, HTML, XHTML, XML). */
const INGESTIBLE_TYPES = /^(text\/(plain|html|markdown)|application\/(xhtml\+xml|xml))\s*(;|$)/i;

/** The names, for messages. */
export const INGESTIBLE_TYPE_NAMES = 'text/plain, text/html, text/markdown, application/xhtml+xml or application/xml';

/** True when a version can be stored from a body of this content type (parameters such as charset allowed). */
export function isIngestibleContentType(contentType: string): boolean {
  return INGESTIBLE_TYPES.test(contentType);
}
