/**
 * The viewer's diff routes: `/articles/:id/diff?from=&to=[&view=side][&expand=A-B,…]` (the diff page) and
 * `/articles/:id/diff/fold?from=&to=&expand=A-B[&view=side]` (the rows of one folded unchanged run, for `folds.js`).
 * Both read the same pair of versions (`diffPair`); a bad address gets an error page that says what to ask instead.
 */
import { changesBetween } from '../../core/diff/index.js';
import type { ArticleSummary, StoredVersion } from '../../core/model/version.js';
import { renderDiffRunHtml } from '../../core/render/html.js';
import type { ParagraphRun } from '../../core/render/layout.js';
import { versionNumber } from '../params.js';
import { articleIdOf, lastEventId } from './page-routes.js';
import { DIFF_ID_PREFIX, diffHref, parseRuns, parseView, renderDiffPage, renderSameVersionPage } from './pages/diff.js';
import * as send from './send.js';
import type { ViewerCtx, ViewerRoute } from './send.js';

interface DiffPair {
  readonly id: string;
  readonly summary: ArticleSummary;
  readonly lastEvent: number;
  readonly from: number;
  readonly to: number;
  readonly oldV: StoredVersion;
  readonly newV: StoredVersion;
}

/** `from` and `to` of the query (defaults: the latest change), or the bad parameter as the reader wrote it. */
function pickVersions(query: URLSearchParams, versions: number): { from: number; to: number } | { bad: string } {
  const rawFrom = query.get('from');
  const rawTo = query.get('to');
  const to = rawTo === null || rawTo === '' ? versions : versionNumber(rawTo);
  const from = rawFrom === null || rawFrom === '' ? (to === undefined ? undefined : to - 1) : versionNumber(rawFrom);
  if (from === undefined) return { bad: `from=${rawFrom ?? ''}` };
  if (to === undefined) return { bad: `to=${rawTo ?? ''}` };
  return { from, to };
}

/** The two versions a diff address names, or undefined once an error page is sent. */
async function diffPair(c: ViewerCtx): Promise<DiffPair | undefined> {
  const id = await articleIdOf(c);
  if (id === undefined) return undefined;
  const lastEvent = await lastEventId(c);
  const summary = await c.store.getArticle(id);
  if (summary === undefined) {
    await send.notFoundArticle(c, id);
    return undefined;
  }
  const picked = pickVersions(c.url.searchParams, summary.versions);
  if ('bad' in picked) {
    await send.sendErrorPage(c, {
      status: 400,
      heading: 'Not a version number',
      message: `"${picked.bad}" does not name a version: use ?from=N&to=M with version numbers from 1 to ${summary.versions}.`,
      links: [send.timelineLink(id)],
    });
    return undefined;
  }
  const { from, to } = picked;
  if (from < 1) {
    await send.sendErrorPage(c, {
      status: 400,
      heading: 'Pick two versions',
      message: `Version ${to} is the first version: there is nothing before it to compare with.`,
      links: [send.timelineLink(id), { href: `/articles/${id}/v/${to}`, label: `Version ${to}` }],
    });
    return undefined;
  }
  const [oldV, newV] = await Promise.all([c.store.getVersion(id, from), c.store.getVersion(id, to)]);
  if (oldV === undefined || newV === undefined) {
    await send.notFoundVersion(c, id, summary.versions, oldV === undefined ? from : to);
    return undefined;
  }
  return { id, summary, lastEvent, from, to, oldV, newV };
}

/** 400: `expand` does not name what it must. */
function badExpand(c: ViewerCtx, p: DiffPair, message: string): Promise<void> {
  return send.sendErrorPage(c, {
    status: 400,
    heading: 'Not a run of paragraphs',
    message,
    links: [
      { href: diffHref(p.id, p.from, p.to, 'inline'), label: `The changes ${p.from} → ${p.to}, folded` },
      send.timelineLink(p.id),
    ],
  });
}

/** `/articles/:id/diff`. */
export const diffPage: ViewerRoute = async (c) => {
  const pair = await diffPair(c);
  if (pair === undefined) return;
  const { summary, lastEvent, from, to, oldV, newV } = pair;
  if (from === to) {
    await send.sendPage(c, 200, renderSameVersionPage({ summary, version: newV, lastEvent }));
    return;
  }
  const query = c.url.searchParams;
  const rawExpand = query.get('expand');
  let expand: readonly ParagraphRun[] = [];
  if (rawExpand !== null && rawExpand !== '') {
    const parsed = parseRuns(rawExpand, newV.article.paragraphs.length);
    if (!parsed.ok) return badExpand(c, pair, parsed.message);
    expand = parsed.runs;
  }
  const changes = changesBetween(oldV, newV);
  const view = parseView(query.get('view'));
  await send.sendPage(
    c,
    200,
    renderDiffPage({ summary, old: oldV, next: newV, changes, view, lastEvent, now: c.now(), expand }),
  );
};

/** `/articles/:id/diff/fold`: the rows of one unchanged run, as HTML. */
export const foldRows: ViewerRoute = async (c) => {
  const pair = await diffPair(c);
  if (pair === undefined) return;
  const { from, to, oldV, newV } = pair;
  const query = c.url.searchParams;
  const paragraphs = newV.article.paragraphs.length;
  const parsed = parseRuns(query.get('expand') ?? '', paragraphs, 1);
  if (!parsed.ok) return badExpand(c, pair, parsed.message);
  const run = parsed.runs[0]!;
  const html =
    from === to
      ? undefined
      : renderDiffRunHtml(changesBetween(oldV, newV), {
          view: parseView(query.get('view')),
          context: { old: oldV.article, next: newV.article },
          idPrefix: DIFF_ID_PREFIX,
          run,
        });
  if (html === undefined) {
    const range = `${run.start + 1}-${run.start + run.count}`;
    const message = `"expand" must name a run of unchanged paragraphs of version ${to} (numbers from 1 to ${paragraphs}); received "${range}", which is not one in the changes ${from} → ${to}.`;
    return badExpand(c, pair, message);
  }
  await send.sendPage(c, 200, html);
};
