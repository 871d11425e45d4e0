/**
 * The viewer's static assets, kept as strings in TypeScript modules so they ship inside `dist/` with no copy
 * step. Each has a strong ETag (a hash of its bytes); pages link to `/assets/NAME?v=HASH`, which the handler
 * serves as immutable for a year, while the bare `/assets/NAME` is revalidated on each use.
 */
import { createHash } from 'node:crypto';
import { FOLDS_JS } from './folds-js.js';
import { ICON_SVG } from './icon-svg.js';
import { LIVE_JS } from './live-js.js';
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

const ASSETS: ReadonlyMap<string, Asset> = new Map(
  [
    asset('viewer.css', 'text/css; charset=utf-8', VIEWER_CSS),
    asset('live.js', 'text/javascript; charset=utf-8', LIVE_JS),
    asset('folds.js', 'text/javascript; charset=utf-8', FOLDS_JS),
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
