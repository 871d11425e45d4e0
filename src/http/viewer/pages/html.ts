/**
 * HTML escaping for the viewer's pages. Every piece of text that came from outside (article text, titles,
 * ids, query values) goes through `escapeHtml` before it is placed in a page, in element content or in a
 * double-quoted attribute value.
 */
export { escapeHtml } from '../../../core/render/index.js';
