/**
 * Renders an RSS 2.0 feed from change events (the `rss` package), as an XML string. Pure: same events and options,
 * same bytes (so the ETag stays the same across restarts).
 *
 * Per item: the title says what happened (`describe`), the description is the summary plus the rendered diff (HTML,
 * inside CDATA), the link is the version's page in the viewer, the guid is `urn:wirediff:<article>:<version>`
 * (`isPermaLink="false"`; it never depends on the headline), the pubDate is RFC 822 with a four-digit year.
 *
 * What the `rss` package does and what is fixed here:
 * - CDATA sections: it splits a `]]>` inside text into `]]]]><![CDATA[>`, which is correct.
 * - It does not remove XML-illegal characters (C0 controls, lone surrogates, U+FFFE/FFFF): every string is passed
 *   through `stripXmlIllegal` first.
 * - It stamps `lastBuildDate` with the clock; it is replaced with the newest item's time (or `buildDate`).
 */
import RSS from 'rss';
import { escapeHtml, stripXmlIllegal } from '../core/render/escape.js';
import type { ChangeEvent } from '../core/model/event.js';

export interface FeedItemText {
  /** The item title ("Breaking update: 6 paragraphs above the earlier story"). */
  readonly headline: string;
  /** One line for people. */
  readonly summary: string;
  /** The rendered diff as an HTML fragment (already escaped). Optional. */
  readonly html?: string;
}

export interface RssFeedOptions {
  readonly title: string;
  readonly description?: string;
  /** The site's URL (the channel link): the viewer's home. */
  readonly siteUrl: string;
  /** This feed's own URL (`atom:link rel="self"`). */
  readonly selfUrl: string;
  /** The viewer permalink of an event's version (`…/articles/<id>/v/<n>`). */
  readonly articleUrl: (e: ChangeEvent) => string;
  /** The item's title, summary and HTML. */
  readonly describe: (e: ChangeEvent) => FeedItemText;
  /** At most this many items: the newest ones. */
  readonly maxItems: number;
  /** `lastBuildDate`; defaults to the newest item's time (omitted for an empty feed). */
  readonly buildDate?: string;
  readonly language?: string;
  /** Minutes a reader may cache the feed. */
  readonly ttl?: number;
}

/** `urn:wirediff:<article>:<version>`: the permanent item id. */
export function itemGuid(e: Pick<ChangeEvent, 'article' | 'version'>): string {
  return `urn:wirediff:${e.article}:${e.version}`;
}

function validDate(iso: string): Date | undefined {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Renders the feed. `events` may be in any order; items come out newest first, capped at `maxItems`. */
export function renderRssFeed(events: readonly ChangeEvent[], options: RssFeedOptions): string {
  const x = stripXmlIllegal;
  const items = [...events].sort((a, b) => b.id - a.id).slice(0, Math.max(0, options.maxItems));
  const newest = items[0];
  const buildIso = options.buildDate ?? newest?.at;
  const buildDate = buildIso === undefined ? undefined : validDate(buildIso);

  const feed = new RSS({
    title: x(options.title),
    description: x(options.description ?? options.title),
    generator: 'wirediff',
    feed_url: x(options.selfUrl),
    site_url: x(options.siteUrl),
    ...(buildDate ? { pubDate: buildDate } : {}),
    ...(options.language !== undefined ? { language: x(options.language) } : {}),
    ...(options.ttl !== undefined ? { ttl: options.ttl } : {}),
  });
  for (const e of items) {
    const text = options.describe(e);
    const summary = `<p>${escapeHtml(x(text.summary))}</p>`;
    feed.item({
      title: x(text.headline),
      description: x(text.html === undefined ? summary : `${summary}\n${text.html}`),
      url: x(options.articleUrl(e)),
      guid: x(itemGuid(e)),
      date: validDate(e.at) ?? new Date(0),
      categories: [e.kind],
    });
  }
  const xml = feed.xml();
  // `rss` writes the current clock into lastBuildDate: make the output a function of the input.
  return xml.replace(
    /<lastBuildDate>[^<]*<\/lastBuildDate>/,
    buildDate ? `<lastBuildDate>${buildDate.toUTCString()}</lastBuildDate>` : '',
  );
}
