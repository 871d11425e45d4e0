/**
 * Identifies the extractor that made an Article (stored with every version). Bump the number whenever parsing,
 * normalization or structure detection changes what an Article holds, so stored versions can be re-parsed.
 */
export const EXTRACTOR_VERSION = 'wirediff-extract@2';
