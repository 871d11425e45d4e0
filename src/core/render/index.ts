/** Pure renderers: ChangeSets and Articles to strings (terminal/plain text, HTML fragments, feed items). */
export { escapeHtml, escapeTerminal, escapeText, safeUrl, stripXmlIllegal } from './escape.js';
export { countsPhrase, describeChange, type ChangeDescription } from './describe.js';
export { factLines, type FactLine } from './facts.js';
export { renderText, type TextRenderOptions } from './text.js';
export { renderArticleHtml, renderDiffHtml, type ArticleHtmlOptions, type DiffHtmlOptions } from './html.js';
export { FEED_ITEM_DEFAULTS, renderFeedItemHtml, type FeedItemOptions } from './feed-item.js';
