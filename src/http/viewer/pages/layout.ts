/**
 * The page shell every viewer page shares: head (stylesheet, icon, the deferred live script), a skip link,
 * the site header with breadcrumbs and the live status, and the footer. No inline script or style anywhere:
 * the Content-Security-Policy forbids them, and the live script finds what it needs in `data-*` attributes.
 */
import { assetUrl } from '../assets/index.js';
import { html, type SafeHtml } from './html.js';

export interface Crumb {
  readonly label: string;
  /** Absent for the current page. */
  readonly href?: string;
}

/** What the live script reads from `<body>`: which page this is and what it shows. */
export interface PageData {
  /** `home`, `article`, `diff`, `version` or `error`. */
  readonly page: string;
  readonly article?: string;
  /** The version shown (version page) or the newest version the page knows (article and diff pages). */
  readonly version?: number;
  /** The newest event id when the page was rendered: the live script resumes from it. */
  readonly lastEvent?: number;
}

export interface LayoutOptions {
  readonly title: string;
  readonly crumbs?: readonly Crumb[];
  readonly data: PageData;
  readonly body: SafeHtml;
  /** The RSS feed of what the page shows (a `<link rel="alternate">` in the head). */
  readonly feed?: { readonly href: string; readonly title: string };
  /** A wide page (the side-by-side diff). */
  readonly wide?: boolean;
  /** More of the viewer's own scripts (asset names, e.g. `folds.js`), loaded with `defer` after `live.js`. */
  readonly scripts?: readonly string[];
}

function dataAttrs(d: PageData): SafeHtml {
  const article = d.article !== undefined && html` data-article="${d.article}"`;
  const version = d.version !== undefined && html` data-version="${d.version}"`;
  const lastEvent = d.lastEvent !== undefined && html` data-last-event="${d.lastEvent}"`;
  return html` data-page="${d.page}"${article}${version}${lastEvent}`;
}

function crumbsHtml(crumbs: readonly Crumb[]): SafeHtml | false {
  if (crumbs.length === 0) return false;
  const items = crumbs.map((c) =>
    c.href === undefined
      ? html`<li><span aria-current="page">${c.label}</span></li>`
      : html`<li><a href="${c.href}">${c.label}</a></li>`,
  );
  return html`<nav class="crumbs" aria-label="Breadcrumb"><ol>${items}</ol></nav>`;
}

export function renderLayout(o: LayoutOptions): string {
  const title = o.title === '' ? 'wirediff' : `${o.title} · wirediff`;
  const feed =
    o.feed !== undefined &&
    html`\n<link rel="alternate" type="application/rss+xml" title="${o.feed.title}" href="${o.feed.href}">`;
  const scripts = (o.scripts ?? []).map((name) => html`\n<script src="${assetUrl(name)}" defer></script>`);
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<link rel="stylesheet" href="${assetUrl('viewer.css')}">
<link rel="icon" type="image/svg+xml" href="${assetUrl('icon.svg')}">${feed}
<script src="${assetUrl('live.js')}" defer></script>${scripts}
</head>
<body${o.wide === true && html` class="wide"`}${dataAttrs(o.data)}>
<a class="skip" href="#main">Skip to content</a>
<header class="site">
<a class="brand" href="/"><span class="brand-mark" aria-hidden="true">⇄</span> wirediff</a>
<p id="live-status" class="live-status" hidden></p>
</header>
${crumbsHtml(o.crumbs ?? [])}
<div id="live-notice" class="live-notice" role="status" aria-live="polite" hidden></div>
<main id="main" tabindex="-1">
${o.body}
</main>
<footer class="site">
<p>wirediff keeps every version of the articles it watches and shows what changed. Times are in UTC.</p>
</footer>
</body>
</html>
`.toString();
}
