/** Pure renderers: ChangeSets and Articles to strings (terminal/plain text, HTML fragments, feed items). */
export { escapeHtml, escapeTerminal, safeUrl, stripXmlIllegal } from './escape.js';
export { describeChange } from './describe.js';
export { factLines } from './facts.js';
export { renderText } from './text.js';
export { renderDiffHtml } from './html.js';
export { renderArticleHtml } from './html/article.js';
export { renderFeedItemHtml } from './feed-item.js';
