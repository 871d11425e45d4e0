/**
 * `/assets/:name` and `/favicon.ico`: the viewer's static files, with a strong ETag (304 on a match, weak comparison
 * as RFC 9110 asks for `If-None-Match`), cached for a year under their hashed address (`?v=HASH`) and revalidated
 * on each use under the bare one.
 */
import { isNotModified } from '../conditional.js';
import { PAGE_HEADERS, setHeaders } from '../responses.js';
import { getAsset } from './assets/index.js';
import { sendBody, sendErrorPage, type ViewerCtx, type ViewerRoute } from './send.js';

async function serveAsset(c: ViewerCtx, name: string): Promise<void> {
  const asset = getAsset(name);
  if (asset === undefined) {
    await sendErrorPage(c, { status: 404, heading: 'No such file', message: `There is no asset called "${name}".` });
    return;
  }
  setHeaders(c.res, PAGE_HEADERS);
  c.res.setHeader('ETag', asset.etag);
  c.res.setHeader(
    'Cache-Control',
    c.url.searchParams.get('v') === asset.hash
      ? 'public, max-age=31536000, immutable'
      : 'public, max-age=0, must-revalidate',
  );
  if (isNotModified(c.req, asset)) {
    c.res.statusCode = 304;
    c.res.end();
    return;
  }
  await sendBody(c.req, c.res, 200, asset.contentType, asset.body, asset.contentType.startsWith('text/'));
}

/** `/assets/:name`. */
export const assetFile: ViewerRoute = (c) => serveAsset(c, c.params['name'] ?? '');

/** `/favicon.ico`: the icon, for browsers that ask before reading the page's `<link rel="icon">`. */
export const favicon: ViewerRoute = (c) => serveAsset(c, 'icon.svg');
