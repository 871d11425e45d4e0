/**
 * HTML for the viewer's pages: the core's auto-escaping tagged template. Every page is built with html`…`, so every
 * piece of text that came from outside (article text, titles, ids, query values) is escaped where it is placed, in
 * element content or in a double-quoted attribute value; `raw()` is only for fragments the core renderers built with
 * their own escaping.
 */
export { html, joinHtml, raw, SafeHtml } from '../../../core/render/html-template.js';
