/**
 * The viewer's static assets, built once at start: the stylesheet and the icon are strings in TypeScript modules;
 * the scripts are browser TypeScript (`../client/`), compiled by tsc (see `client-scripts.ts`). Each has a strong
 * ETag (a hash of its bytes); pages link to `/assets/NAME?v=HASH`, which the handler serves as immutable for a year,
 * while the bare `/assets/NAME` is revalidated on each use.
 */
import { createHash } from 'node:crypto';
import type { LiveTables } from '../client/tables.js';
import { KIND_LABELS, SECONDS_WITHIN_MS } from '../pages/format.js';
import { SPARK_GEOMETRY, SPARK_MAX } from '../pages/sparkline.js';
import { clientScript } from './client-scripts.js';
import { ICON_SVG } from './icon-svg.js';
import { VIEWER_CSS } from './viewer-css.js';

export interface Asset {
  readonly name: string;
  readonly contentType: string;
  readonly body: Buffer;
  /** 16 hex digits of the body's sha256. */
  readonly hash: string;
  /** The strong ETag, quoted: `"3f2a…"`. */
  readonly etag: string;
}

function asset(name: string, contentType: string, text: string): Asset {
  const body = Buffer.from(text, 'utf8');
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
  return { name, contentType, body, hash, etag: `"${hash}"` };
}

/** The server's tables the live script uses, which the pages do not carry. */
const LIVE_TABLES: LiveTables = {
  kinds: KIND_LABELS,
  secondsWithinMs: SECONDS_WITHIN_MS,
  sparkMax: SPARK_MAX,
  geometry: SPARK_GEOMETRY,
};

/**
 * `/assets/live.js`: one line defining `WIREDIFF_LIVE_TABLES` (what `live.ts` declares it reads), then the compiled
 * script. JSON is a JavaScript expression, but for U+2028 and U+2029, which old engines reject in a string literal.
 */
const LIVE_JS = `var WIREDIFF_LIVE_TABLES = ${JSON.stringify(LIVE_TABLES)
  .replace(/\u2028/g, '\\u2028')
  .replace(/\u2029/g, '\\u2029')};\n${clientScript('live')}`;

const ASSETS: ReadonlyMap<string, Asset> = new Map(
  [
    asset('viewer.css', 'text/css; charset=utf-8', VIEWER_CSS),
    asset('live.js', 'text/javascript; charset=utf-8', LIVE_JS),
    asset('folds.js', 'text/javascript; charset=utf-8', clientScript('folds')),
    asset('icon.svg', 'image/svg+xml', ICON_SVG),
  ].map((a) => [a.name, a]),
);

/** The asset called `name` (`viewer.css`, `live.js`, `folds.js`, `icon.svg`), or undefined. */
export function getAsset(name: string): Asset | undefined {
  return ASSETS.get(name);
}

/** The cache-busting URL pages link to: `/assets/viewer.css?v=3f2a…`. */
export function assetUrl(name: string): string {
  const a = ASSETS.get(name);
  return a === undefined ? `/assets/${name}` : `/assets/${a.name}?v=${a.hash}`;
}
