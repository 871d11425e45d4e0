/**
 * The viewer's page routes other than the diff: `/` (every article), `/articles/:id` (one article's timeline) and
 * `/articles/:id/v/:n` (one version as it was). One handler per page; each reads the store, then renders.
 */
import { isArticleId } from '../../core/model/version.js';
import { versionNumber } from '../params.js';
import { renderArticlePage } from './pages/article.js';
import { renderHomePage } from './pages/home.js';
import { renderVersionPage } from './pages/version.js';
import {
  notFoundArticle,
  notFoundVersion,
  sendErrorPage,
  sendPage,
  timelineLink,
  type ViewerCtx,
  type ViewerRoute,
} from './send.js';

export async function lastEventId(c: ViewerCtx): Promise<number> {
  return (await c.log.bounds()).last;
}

/**
 * The article id of the route (`:id`), or undefined once a 404 page is sent for one that is not an id (lower-case
 * letters, digits, dots, dashes and underscores).
 */
export async function articleIdOf(c: ViewerCtx): Promise<string | undefined> {
  const id = c.params['id'] ?? '';
  if (isArticleId(id)) return id;
  await notAnArticleId(c, id, 404);
  return undefined;
}

export function notAnArticleId(c: ViewerCtx, shown: string, status: 400 | 404): Promise<void> {
  return sendErrorPage(c, {
    status,
    heading: 'Not an article id',
    message: `"${shown}" is not an article id: ids are 1 to 120 lower-case letters, digits, dots, dashes and underscores.`,
  });
}

/** `/` and `/index.html`. */
export const homePage: ViewerRoute = async (c) => {
  const lastEvent = await lastEventId(c);
  const articles = await c.store.listArticles();
  await sendPage(c, 200, renderHomePage({ articles, lastEvent, now: c.now() }));
};

/** `/articles/:id`. */
export const articlePage: ViewerRoute = async (c) => {
  const id = await articleIdOf(c);
  if (id === undefined) return;
  const lastEvent = await lastEventId(c);
  const [summary, versions] = await Promise.all([c.store.getArticle(id), c.store.listVersions(id)]);
  if (summary === undefined) return notFoundArticle(c, id);
  await sendPage(c, 200, renderArticlePage({ summary, versions, lastEvent, now: c.now() }));
};

/** `/articles/:id/v/:n`. */
export const versionPage: ViewerRoute = async (c) => {
  const id = await articleIdOf(c);
  if (id === undefined) return;
  const raw = c.params['n'] ?? '';
  const n = versionNumber(raw);
  if (n === undefined) {
    await sendErrorPage(c, {
      status: 400,
      heading: 'Not a version number',
      message: `"${raw}" is not a version number: versions are numbered 1, 2, 3…`,
      links: [timelineLink(id)],
    });
    return;
  }
  const lastEvent = await lastEventId(c);
  const [summary, version] = await Promise.all([c.store.getArticle(id), c.store.getVersion(id, n)]);
  if (summary === undefined) return notFoundArticle(c, id);
  if (version === undefined) return notFoundVersion(c, id, summary.versions, n);
  await sendPage(c, 200, renderVersionPage({ summary, version, lastEvent, now: c.now() }));
};
