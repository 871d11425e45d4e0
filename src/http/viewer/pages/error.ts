/**
 * The 400 / 404 / 405 / 500 page: says what was wrong and where to go next.
 */
import { html } from './html.js';
import { renderLayout } from './layout.js';

export interface ErrorPageOptions {
  readonly status: number;
  /** One line: "No such article". */
  readonly heading: string;
  /** A sentence or two saying what was asked for and what to do. Plain text (escaped here). */
  readonly message: string;
  /** Extra links, e.g. back to the article. */
  readonly links?: readonly { readonly href: string; readonly label: string }[];
}

export function renderErrorPage(o: ErrorPageOptions): string {
  const links = [...(o.links ?? []), { href: '/', label: 'All articles' }].map(
    (l) => html`<li><a href="${l.href}">${l.label}</a></li>`,
  );
  const body = html`<section class="error-page">
<p class="status-code">Error ${o.status}</p>
<h1>${o.heading}</h1>
<p>${o.message}</p>
<ul class="links">${links}</ul>
</section>`;
  return renderLayout({ title: o.heading, data: { page: 'error' }, body });
}
