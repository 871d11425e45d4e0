/**
 * Renders an RSS 2.0 feed from change events (the `rss` package), as an XML string. Pure: same events and options,
 * same bytes (so the ETag stays the same across restarts).
 *
 * Per item (`describe`): the title says what happened; the description is the rendered change (HTML inside CDATA,
 * saying the summary once), or the summary alone; the link is the change's page in the viewer (the diff, or the version
 * page for a first version); the category is the kind's label. The guid is `urn:wirediff:<article>:<version>`
 * (`isPermaLink="false"`; it never depends on the headline), the pubDate is RFC 822 with a four-digit year.
 *
 * What the `rss` package does and what is fixed here:
 * - CDATA sections: it splits a `]]>` inside text into `]]]]><![CDATA[>`, which is correct.
 * - It does not remove XML-illegal characters (C0 controls, lone surrogates, U+FFFE/FFFF): every string is passed
 *   through `stripXmlIllegal` first.
 * - It stamps `lastBuildDate` with the clock; it is replaced with the newest item's time (or `buildDate`).
 */
import RSS from 'rss';
import { escapeHtml, stripXmlIllegal } from '../../core/render/escape.js';
import type { ChangeEvent } from '../../core/model/event.js';

export interface FeedItemText {
  /** The item title ("Breaking update: 6 paragraphs above the earlier story"). */
  readonly headline: string;
  /** One line for people: the description when there is no `html`. */
  readonly summary: string;
  /** The whole description as an HTML fragment (already escaped): the summary, the facts, links and the diff. */
  readonly html?: string;
  /** Where the item links to (the diff page); the feed's `siteUrl` when absent. */
  readonly link?: string;
  /** The item's category: the label of the change's primary kind; none when absent. */
  readonly category?: string;
}

export interface RssFeedOptions {
  readonly title: string;
  readonly description?: string;
  /** The site's URL (the channel link): the viewer's home. */
  readonly siteUrl: string;
  /** This feed's own URL (`atom:link rel="self"`). */
  readonly selfUrl: string;
  /** The item's title, summary, HTML, link and category. */
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
    feed.item({
      title: x(text.headline),
      description: x(text.html ?? `<p>${escapeHtml(x(text.summary))}</p>`),
      url: x(text.link ?? options.siteUrl),
      guid: x(itemGuid(e)),
      date: validDate(e.at) ?? new Date(0),
      categories: text.category === undefined ? [] : [x(text.category)],
    });
  }
  const xml = feed.xml();
  // `rss` writes the current clock into lastBuildDate: make the output a function of the input.
  return xml.replace(
    /<lastBuildDate>[^<]*<\/lastBuildDate>/,
    buildDate ? `<lastBuildDate>${buildDate.toUTCString()}</lastBuildDate>` : '',
  );
}
