/**
 * The ingest's defaults that the config offers as settings (`watch.minArticleChars`): a leaf module, importing
 * nothing, so that the config takes its default from the ingest without loading the extractor (work.ts and what it
 * imports).
 */

/**
 * The default smallest article worth a version, in characters of article text (paragraphs, whitespace collapsed,
 * the title not counted): a 3-byte page ("Hi.") or an error stub is not a first version. `watch.minArticleChars`.
 */
export const DEFAULT_MIN_ARTICLE_CHARS = 25;
