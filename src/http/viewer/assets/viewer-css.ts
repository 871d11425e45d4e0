/**
 * The viewer's stylesheet (`/assets/viewer.css`). Light and dark schemes follow `prefers-color-scheme`;
 * every change is marked by a symbol or a text label and a line style as well as by colour; focus is always
 * visible; the layout holds from 320 px up.
 */
/**
 * The viewer's colours, light then dark, side by side so that each pair's contrast is checked together. Written into
 * the stylesheet as custom properties: the light ones in `:root`, the dark ones under `prefers-color-scheme: dark`.
 */
const PALETTE: Readonly<Record<string, readonly [light: string, dark: string]>> = {
  bg: ['#fbfaf7', '#121417'],
  surface: ['#ffffff', '#1a1d21'],
  fg: ['#1b1b1b', '#e9e6e1'],
  muted: ['#595959', '#a9acb1'],
  border: ['#d6d2ca', '#3a3f46'],
  link: ['#0a4f96', '#8cb8ff'],
  'link-visited': ['#5a3a8c', '#c3a6ff'],
  focus: ['#c2410c', '#fdba74'],
  'ins-bg': ['#d8f3dc', '#12361d'],
  'ins-fg': ['#0b3d17', '#c3f5cf'],
  'ins-line': ['#2f8f46', '#4ade80'],
  'del-bg': ['#fde2df', '#47191a'],
  'del-fg': ['#6e1010', '#ffc9c4'],
  'del-line': ['#c0392b', '#f87171'],
  'edit-line': ['#b7791f', '#fbbf24'],
  'move-bg': ['#e7e9fb', '#24284a'],
  'move-line': ['#4f5bd5', '#a5b4fc'],
  'update-bg': ['#fff4d6', '#3a2c0c'],
  'update-line': ['#b45309', '#f59e0b'],
  'banner-bg': ['#1f2937', '#fde68a'],
  'banner-fg': ['#fefce8', '#1c1917'],
  'correction-bg': ['#e0f2fe', '#0c2d44'],
  'correction-line': ['#0369a1', '#7dd3fc'],
  'notice-bg': ['#fff7cc', '#3b3412'],
};

/** The scheme's colours as custom-property lines (`  --name: #value;`), indented for their block. */
function colours(scheme: 'light' | 'dark'): string {
  const indent = scheme === 'light' ? '  ' : '    ';
  const at = scheme === 'light' ? 0 : 1;
  return Object.entries(PALETTE)
    .map(([name, values]) => `${indent}--${name}: ${values[at]};\n`)
    .join('');
}

export const VIEWER_CSS = String.raw`/* wirediff viewer */
:root {
  color-scheme: light dark;
${colours('light')}  --serif: Charter, "Bitstream Charter", "Sitka Text", Cambria, Georgia, "DejaVu Serif", serif;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "DejaVu Sans", Arial, sans-serif;
  --mono: ui-monospace, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace;
}
@media (prefers-color-scheme: dark) {
  :root {
${colours('dark')}  }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0;
  background: var(--bg);
  color: var(--fg);
  font-family: var(--sans);
  font-size: 1.0625rem;
  line-height: 1.55;
  overflow-wrap: break-word;
}
a { color: var(--link); text-underline-offset: 0.15em; }
a:visited { color: var(--link-visited); }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 2px; }
main:focus { outline: none; }
code { font-family: var(--mono); font-size: 0.9em; background: var(--surface); border: 1px solid var(--border); border-radius: 3px; padding: 0 0.25em; overflow-wrap: anywhere; }
h1, h2, h3 { line-height: 1.25; margin: 1.2em 0 0.4em; }
h1 { font-size: 1.75rem; margin-top: 0.6em; }
h2 { font-size: 1.3rem; }
h3 { font-size: 1.05rem; }
.muted, .ago, .id { color: var(--muted); font-weight: normal; }
.sep { color: var(--muted); }
.lede { color: var(--muted); margin-top: 0; }
[hidden] { display: none !important; }

.skip {
  position: absolute; left: 0.5rem; top: -10rem;
  background: var(--surface); color: var(--link); padding: 0.5rem 0.75rem; border: 2px solid var(--focus); z-index: 10;
}
.skip:focus { top: 0.5rem; }

header.site, nav.crumbs, main, footer.site, .live-notice { max-width: 48rem; margin-left: auto; margin-right: auto; padding-left: 1rem; padding-right: 1rem; }
body.wide header.site, body.wide nav.crumbs, body.wide main, body.wide footer.site, body.wide .live-notice { max-width: 80rem; }
header.site { display: flex; align-items: center; justify-content: space-between; gap: 1rem; padding-top: 0.75rem; padding-bottom: 0.5rem; border-bottom: 1px solid var(--border); }
.brand { font-weight: 700; font-size: 1.15rem; text-decoration: none; color: var(--fg); }
.brand:visited { color: var(--fg); }
.brand-mark { color: var(--link); }
.live-status { margin: 0; font-size: 0.85rem; color: var(--muted); }
.live-status.live::before { content: "\25CF\00a0"; color: var(--ins-line); }
.live-status.connecting::before { content: "\25CB\00a0"; }
.live-status.offline::before { content: "\25CC\00a0"; color: var(--del-line); }
nav.crumbs ol { list-style: none; padding: 0; margin: 0.5rem 0 0; font-size: 0.9rem; }
nav.crumbs li { display: inline; }
nav.crumbs li + li::before { content: " \203A  "; color: var(--muted); }
nav.crumbs [aria-current] { color: var(--muted); }
.live-notice p { margin: 0.75rem 0 0; padding: 0.6rem 0.8rem; background: var(--notice-bg); border: 1px solid var(--update-line); border-radius: 6px; }
.live-notice p::before { content: "\25B2  New: "; font-weight: 700; }
footer.site { margin-top: 3rem; padding-top: 1rem; padding-bottom: 2rem; border-top: 1px solid var(--border); color: var(--muted); font-size: 0.85rem; }

/* kind badges: a symbol and a word, plus a colour */
.kind { display: inline-block; font-size: 0.8rem; font-weight: 600; line-height: 1.4; padding: 0 0.45em; border-radius: 999px; border: 1px solid var(--border); background: var(--surface); color: var(--fg); white-space: nowrap; vertical-align: 0.1em; }
.kind-breaking-update { background: var(--update-bg); border-color: var(--update-line); }
.kind-write-thru, .kind-major { background: var(--move-bg); border-color: var(--move-line); }
.kind-correction { background: var(--correction-bg); border-color: var(--correction-line); }
.kind-initial { background: var(--ins-bg); border-color: var(--ins-line); }

/* sparkline */
svg.spark { display: block; overflow: visible; }
svg.spark .base { stroke: var(--border); stroke-width: 1; }
svg.spark .bar { fill: var(--muted); }
svg.spark .k-breaking-update { fill: var(--update-line); }
svg.spark .k-write-thru, svg.spark .k-major { fill: var(--move-line); }
svg.spark .k-correction { fill: var(--correction-line); }
svg.spark .k-initial { fill: var(--ins-line); }

/* home */
ol.articles { list-style: none; padding: 0; margin: 1rem 0; }
.article-row { display: grid; grid-template-columns: 1fr auto; column-gap: 1rem; padding: 0.9rem 0; border-bottom: 1px solid var(--border); }
.article-row > * { grid-column: 1; }
.article-row .spark-link { grid-column: 2; grid-row: 1 / span 3; align-self: center; }
.article-row .headline { margin: 0; font-family: var(--serif); font-size: 1.2rem; }
.article-row .headline a { text-decoration: none; }
.article-row .headline a:hover, .article-row .headline a:focus-visible { text-decoration: underline; }
.article-row .meta, .version-item .meta, .page-head .meta { margin: 0.3rem 0 0; font-size: 0.9rem; color: var(--muted); }
.article-row .summary { margin: 0.3rem 0 0; }
.empty { background: var(--surface); border: 1px dashed var(--border); border-radius: 8px; padding: 0.5rem 1.25rem 1rem; }
.empty li { margin: 0.35rem 0; }
.fresh { animation: fresh 2.5s ease-out; }
@keyframes fresh { from { background: var(--notice-bg); } to { background: transparent; } }
@media (prefers-reduced-motion: reduce) { .fresh { animation: none; outline: 2px solid var(--update-line); } }

/* article page */
.page-head h1 { font-family: var(--serif); }
.page-head figure.history { display: flex; align-items: end; gap: 0.6rem; margin: 0.6rem 0; }
.page-head figure.history figcaption { font-size: 0.8rem; color: var(--muted); }
.actions { margin: 0.3rem 0 0; }
form.compare fieldset { min-width: 0; border: 1px solid var(--border); border-radius: 8px; padding: 0.5rem 1rem 1rem; margin: 1.5rem 0; background: var(--surface); }
form.compare legend { font-weight: 700; padding: 0 0.3rem; }
.compare-fields { display: flex; flex-wrap: wrap; gap: 0.75rem 1rem; align-items: end; }
.compare-fields label { display: flex; flex-direction: column; font-size: 0.9rem; gap: 0.2rem; max-width: 100%; }
select, button { font: inherit; font-size: 1rem; color: var(--fg); background: var(--bg); border: 1px solid var(--muted); border-radius: 6px; padding: 0.35rem 0.5rem; max-width: 100%; }
button { background: var(--link); color: var(--bg); border-color: var(--link); font-weight: 600; cursor: pointer; padding: 0.4rem 0.9rem; }
ol.timeline { list-style: none; padding: 0 0 0 1.1rem; margin: 1rem 0; border-left: 3px solid var(--border); }
.version-item { position: relative; padding: 0.2rem 0 1rem; }
.version-item::before { content: ""; position: absolute; left: calc(-1.1rem - 11px); top: 0.55rem; width: 0.8rem; height: 0.8rem; border-radius: 50%; background: var(--bg); border: 3px solid var(--muted); }
.version-head { margin: 0; }
.version-item .summary { margin: 0.3rem 0 0; }

/* version page */
.version-nav { display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; margin: 0.5rem 0 1rem; padding: 0; list-style: none; font-size: 0.95rem; }
.article-text { font-family: var(--serif); font-size: 1.1rem; line-height: 1.65; }

/* error page */
.status-code { color: var(--muted); font-family: var(--mono); margin: 2rem 0 0; }
.error-page ul.links { padding-left: 1.2rem; }

/* page heads */
.eyebrow { margin: 1rem 0 0; font-size: 0.9rem; color: var(--muted); font-weight: 600; }
.page-head .summary { margin: 0.5rem 0 0; }
.older-note { background: var(--notice-bg); padding: 0.4rem 0.7rem; border-radius: 6px; }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
nav.view-switch, nav.diff-nav { font-size: 0.95rem; margin: 0.6rem 0; }
nav.view-switch { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem; }
nav.view-switch ul, nav.diff-nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; margin: 0; padding: 0; }
nav.view-switch a { display: inline-block; padding: 0.15rem 0.7rem; border: 1px solid var(--border); border-radius: 999px; text-decoration: none; }
nav.view-switch a[aria-current] { background: var(--fg); color: var(--bg); border-color: var(--fg); font-weight: 700; }
nav.view-switch a[aria-current]::before { content: "\2713\00a0"; }
details.legend { margin: 0.6rem 0 1rem; font-size: 0.9rem; }
details.legend summary { cursor: pointer; color: var(--link); }
details.legend ul { padding-left: 1.2rem; }
.wd-mark-sample { display: inline-block; min-width: 1.4em; font-weight: 700; text-align: center; }
.wd-mark-sample.added { color: var(--ins-line); }
.wd-mark-sample.removed { color: var(--del-line); }
.wd-mark-sample.edited { color: var(--edit-line); }
.wd-mark-sample.moved { color: var(--move-line); }

/* the diff (classes of core/render/html.ts) */
ins { background: var(--ins-bg); color: var(--ins-fg); text-decoration: underline; text-decoration-color: var(--ins-line); text-decoration-thickness: 2px; text-underline-offset: 0.18em; border-radius: 2px; }
del { background: var(--del-bg); color: var(--del-fg); text-decoration: line-through; text-decoration-color: var(--del-line); text-decoration-thickness: 2px; border-radius: 2px; }
.wd-diff { font-family: var(--serif); font-size: 1.05rem; line-height: 1.6; }
.wd-summary { font-family: var(--sans); font-size: 0.95rem; background: var(--surface); border: 1px solid var(--border); border-radius: 8px; padding: 0.5rem 0.9rem; margin: 0 0 1rem; }
.wd-summary p { margin: 0.25rem 0; }
.wd-significance, .wd-stats { color: var(--muted); }
.wd-block { margin: 0 0 1.25rem; }
.wd-block-title { font-family: var(--sans); font-size: 1rem; text-transform: none; margin: 1rem 0 0.5rem; }
.wd-block-note { font-weight: normal; color: var(--muted); }
.wd-block-update { border-left: 6px solid var(--update-line); background: var(--update-bg); padding: 0.1rem 0.9rem 0.4rem; border-radius: 0 8px 8px 0; }
.wd-block-update > .wd-block-title::before { content: "\26A1\00a0"; }
.wd-block-banner { border: 2px solid var(--update-line); border-radius: 8px; padding: 0 0.9rem; }
.wd-block-banner .wd-text { font-family: var(--sans); font-weight: 700; letter-spacing: 0.01em; }
.wd-block-correction { border-left: 6px solid var(--correction-line); background: var(--correction-bg); padding: 0.1rem 0.9rem 0.4rem; }
.wd-block-earlier > .wd-block-title::before { content: "\2193\00a0"; }
.wd-p { display: grid; align-content: start; grid-template-columns: 1.6rem 3.6rem minmax(0, 1fr); column-gap: 0.3rem; align-items: baseline; padding: 0.15rem 0.4rem 0.15rem 0; border-left: 4px solid transparent; scroll-margin-top: 1rem; }
.wd-p > .wd-mark { grid-column: 1; grid-row: 1 / span 4; text-align: center; font-family: var(--sans); font-weight: 700; }
.wd-p > .wd-num { grid-column: 2; grid-row: 1 / span 4; }
.wd-p > .wd-text, .wd-p > .wd-note { grid-column: 3; }
.wd-num { font-family: var(--sans); font-size: 0.78rem; color: var(--muted); white-space: nowrap; }
.wd-text { margin: 0.2rem 0; }
.wd-note { margin: 0.2rem 0 0; font-family: var(--sans); font-size: 0.85rem; }
.wd-preview { color: var(--muted); font-style: italic; }
.wd-added { border-left-color: var(--ins-line); }
.wd-added > .wd-mark, .wd-added .wd-mark { color: var(--ins-line); }
.wd-removed { border-left-color: var(--del-line); border-left-style: dashed; }
.wd-removed .wd-mark { color: var(--del-line); }
.wd-edited { border-left-color: var(--edit-line); }
.wd-edited .wd-mark { color: var(--edit-line); }
.wd-moved { border-left-color: var(--move-line); border-left-style: double; border-left-width: 5px; background: var(--move-bg); }
.wd-moved .wd-mark { color: var(--move-line); }
.wd-split, .wd-merged { border-left-color: var(--move-line); }
.wd-unchanged { color: var(--fg); }
/* a wholly added or removed paragraph: its mark and edge say so; keep the text easy to read */
.wd-added .wd-text > ins { text-decoration: none; }
.wd-removed .wd-text > del { text-decoration-thickness: 1px; }
.wd-unchanged .wd-text { opacity: 0.92; }
.diff-body.huge .wd-p, .diff-body.huge .wd-row { content-visibility: auto; contain-intrinsic-size: auto 5rem; }
.wd-p:target, .wd-cell:target { outline: 3px solid var(--focus); outline-offset: 2px; }
details.wd-fold { margin: 0.4rem 0; border: 1px dashed var(--border); border-radius: 6px; }
details.wd-fold > summary { cursor: pointer; padding: 0.35rem 0.7rem; font-family: var(--sans); font-size: 0.9rem; color: var(--link); }
details.wd-fold > summary::marker { color: var(--muted); }
details.wd-fold[open] > summary { border-bottom: 1px dashed var(--border); }
.wd-fold-count { font-family: var(--sans); font-size: 0.9rem; color: var(--muted); }
.wd-fold-link { margin: 0.4rem 0; border: 1px dashed var(--border); border-radius: 6px; font-family: var(--sans); font-size: 0.9rem; }
.wd-fold-link > a { display: block; padding: 0.35rem 0.7rem; color: var(--link); text-decoration: none; overflow-wrap: anywhere; }
.wd-fold-link > a::before { content: "\25B8\00A0" / ""; color: var(--muted); }
.wd-fold-link > a:hover { text-decoration: underline; }
.wd-fold-link.loading { opacity: 0.6; }
.wd-p:focus, .wd-cell:focus { outline: 3px solid var(--focus); outline-offset: 2px; }
.wd-title-change del, .wd-title-change ins { font-family: var(--serif); }

/* the facts of a change, in the diff's summary (core/render/html.ts) */
.wd-facts { margin: 0.4rem 0; padding-left: 1.1rem; font-family: var(--sans); }
.wd-facts li { margin: 0.15rem 0; overflow-wrap: anywhere; }

/* side by side */
.wd-side-by-side .wd-row { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); column-gap: 1rem; border-left: 4px solid transparent; }
.wd-side-by-side .wd-colhead { font-family: var(--sans); font-weight: 700; border-bottom: 2px solid var(--border); position: sticky; top: 0; background: var(--bg); z-index: 1; }
.wd-side-by-side .wd-colhead .wd-cell { display: block; padding: 0.3rem 0.5rem; }
.wd-cell { display: grid; align-content: start; grid-template-columns: 1.4rem 3rem minmax(0, 1fr); column-gap: 0.3rem; align-items: baseline; padding: 0.1rem 0.3rem; min-width: 0; scroll-margin-top: 3rem; }
.wd-cell > .wd-mark { grid-column: 1; grid-row: 1 / span 8; text-align: center; font-family: var(--sans); font-weight: 700; }
.wd-cell > .wd-num { grid-column: 2; grid-row: 1 / span 8; }
.wd-cell > .wd-text, .wd-cell > .wd-note { grid-column: 3; }
.wd-cell.wd-empty { background: repeating-linear-gradient(135deg, transparent 0 6px, var(--border) 6px 7px); opacity: 0.8; }
.wd-cell.wd-empty > .wd-note { grid-column: 1 / -1; background: var(--bg); padding: 0 0.3rem; justify-self: start; }
.wd-row.wd-removed .wd-old, .wd-row.wd-edited .wd-old { background: color-mix(in srgb, var(--del-bg) 45%, transparent); }
.wd-row.wd-added .wd-new, .wd-row.wd-edited .wd-new { background: color-mix(in srgb, var(--ins-bg) 45%, transparent); }

@media (max-width: 48rem) {
  .wd-side-by-side .wd-row { column-gap: 0.4rem; }
  .wd-cell { grid-template-columns: minmax(0, 1fr); }
  .wd-cell > .wd-mark, .wd-cell > .wd-num { grid-row: auto; grid-column: 1; text-align: left; display: inline; }
  .wd-cell > .wd-text, .wd-cell > .wd-note { grid-column: 1; }
  .wd-side-by-side .wd-diff, .wd-side-by-side { font-size: 0.92rem; }
}
/* narrow screens: side by side stacks (the older paragraph above the newer) instead of two thin columns; the column
   heads stay as a legend, and each cell's edge matches its head */
@media (max-width: 40rem) {
  .wd-side-by-side .wd-row { grid-template-columns: minmax(0, 1fr); row-gap: 0.15rem; margin-bottom: 0.4rem; }
  .wd-side-by-side .wd-row.wd-colhead { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); margin-bottom: 0.2rem; }
  .wd-side-by-side .wd-row.wd-unchanged > .wd-old { display: none; }
  .wd-side-by-side .wd-cell.wd-empty:not(:has(.wd-note)) { display: none; }
  .wd-side-by-side .wd-row:not(.wd-colhead) > .wd-cell { grid-template-columns: 1.3rem minmax(0, 1fr); }
  .wd-side-by-side .wd-cell > .wd-mark { grid-column: 1; grid-row: 1 / span 8; text-align: center; }
  .wd-side-by-side .wd-cell > .wd-num, .wd-side-by-side .wd-cell > .wd-text, .wd-side-by-side .wd-cell > .wd-note { grid-column: 2; }
  .wd-side-by-side .wd-row:not(.wd-unchanged):not(.wd-colhead) > .wd-old:not(.wd-empty),
  .wd-side-by-side .wd-colhead > .wd-old { border-left: 3px dashed var(--del-line); }
  .wd-side-by-side .wd-row:not(.wd-unchanged):not(.wd-colhead) > .wd-new:not(.wd-empty),
  .wd-side-by-side .wd-colhead > .wd-new { border-left: 3px solid var(--ins-line); }
}
@media (max-width: 40rem) {
  .wd-p { grid-template-columns: 1.3rem minmax(0, 1fr); }
  .wd-p > .wd-num { grid-column: 2; grid-row: auto; }
  .wd-p > .wd-text, .wd-p > .wd-note { grid-column: 2; }
}

/* one version as it was (core/render/html/article.ts, renderArticleHtml) */
.wd-article .wd-title { font-family: var(--serif); font-size: 1.8rem; }
.wd-article .wd-meta { color: var(--muted); font-family: var(--sans); font-size: 0.9rem; }
.wd-article .wd-block { margin: 1rem 0; }
.wd-article .wd-block-title { font-family: var(--sans); font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.06em; color: var(--muted); margin: 0 0 0.3rem; }
.wd-article .wd-block-banner { font-family: var(--sans); font-weight: 700; padding: 0.2rem 0.9rem; }
.wd-article .wd-block-banner .wd-block-title { margin-top: 0.4rem; }
.wd-article .wd-block-update, .wd-article .wd-block-correction { padding-top: 0.6rem; }
.wd-article .wd-para { margin: 0 0 0.9rem; }

@media (max-width: 40rem) {
  body { font-size: 1rem; }
  h1 { font-size: 1.45rem; }
  .article-row { grid-template-columns: 1fr; }
  .article-row .spark-link { grid-column: 1; grid-row: auto; margin-top: 0.4rem; }
  .compare-fields { flex-direction: column; align-items: stretch; }
}
`;
