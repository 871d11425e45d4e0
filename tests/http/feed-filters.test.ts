/**
 * Feeds as a subscriber reads them: the item's change in a text-only reader, filtered variants by query (each with
 * its own strong ETag and 304s), bad queries refused with a coded error, quiet kinds left out by default, and named
 * feeds written as files. Real server on port 0, real files, the real ingest pipeline.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { parseRssFeed } from 'feedsmith';
import { describe, expect, it } from 'vitest';
import { startPublishing } from '../../src/app.js';
import { parseConfig } from '../../src/config/config.js';
import { ingestVersion } from '../../src/ingest/ingest.js';
import { openStore, testConfig } from '../watch/helpers.js';
import { fixture, harnessEach, type Harness } from './harness.js';
import { tempDir } from '../support/temp.js';
import { until } from '../support/wait.js';
import { silentLogger } from '../support/log.js';

const harness = harnessEach();

async function get(h: Harness, pathAndQuery: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${h.server.url}${pathAndQuery}`, { headers });
  return { res, body: await res.text() };
}

function parse(xml: string) {
  expect(XMLValidator.validate(xml)).toBe(true);
  return parseRssFeed(xml);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };

/**
 * What a text-only feed reader (newsboat, a mail client) shows of an item's HTML: block ends become line breaks, list
 * items get a bullet, every tag is dropped (so `<ins>`/`<del>` and their styles are gone), entities decoded.
 */
function textOnly(html: string): string {
  return html
    .replace(/<\/(p|li|ul|h\d)>|<br\s*\/?>/gi, '\n')
    .replace(/<li>/gi, '* ')
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ENTITIES[e] ?? '')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n+/g, '\n')
    .trim();
}

async function seedStory(h: Harness): Promise<void> {
  for (const v of [1, 2, 3, 4]) await h.add('syria', await fixture(`ap-syria/v${v}.txt`));
  await h.feeds.idle();
}

describe('feed items in a text-only reader', () => {
  it("the seed story's correction reads 156 → 165; one summary; links to the diff and the version", async () => {
    const h = await harness();
    await seedStory(h);
    const feed = parse((await get(h, '/feeds/all.xml')).body);
    const item = feed.items!.find((i) => i.guid?.value === 'urn:wirediff:syria:4')!;
    const text = textOnly(item.description!);
    expect(text).toContain('dropped at least 156 → 165 cluster bombs');
    // Without the fix the text read "dropped at least 156165 cluster bombs".
    expect(text).not.toContain('156165');
    // The summary is said once (it was said three times: plain, with its label, and as counts).
    const summaryLine = text.split('\n')[0]!;
    expect(summaryLine).toMatch(/^Correction: /);
    const summaryWords = summaryLine.slice('Correction: '.length);
    expect(text.split(summaryWords).length - 1).toBe(1);
    expect(text).not.toMatch(/^Paragraphs: /m);
    // The item opens the diff; the version page is one click away in the description.
    expect(item.link).toBe(`${h.server.url}/articles/syria/diff?from=3&to=4`);
    expect(item.description).toContain(`href="${h.server.url}/articles/syria/v/4"`);
    expect(text).toContain('Version 4 as published');
    expect(item.categories?.map((c) => c.name)).toEqual(['Correction']);
    for (const i of feed.items!) expect(i.categories).toHaveLength(1);
  });

  it('the write-thru and the breaking update say their edits in visible marks', async () => {
    const h = await harness();
    await seedStory(h);
    const feed = parse((await get(h, '/feeds/syria.xml')).body);
    const writeThru = textOnly(feed.items!.find((i) => i.guid?.value === 'urn:wirediff:syria:3')!.description!);
    expect(writeThru).toMatch(/Headline: High-Ranking Syrian General Defects from Army → Senior Syrian General/);
    expect(writeThru).toMatch(/\[-[^\]]+-\]|\{\+[^}]+\+\}/); // bracketed edits, readable without markup
    const update = textOnly(feed.items!.find((i) => i.guid?.value === 'urn:wirediff:syria:2')!.description!);
    expect(update).toContain('+ Added: Maj. Gen. Mohammed Ezz al-Din Khalouf said');
    const first = feed.items!.find((i) => i.guid?.value === 'urn:wirediff:syria:1')!;
    expect(first.link).toBe(`${h.server.url}/articles/syria/v/1`);
  });
});

/** The guids' versions of a feed, newest first. */
function versions(xml: string): number[] {
  return (parse(xml).items ?? []).map((i) => Number(i.guid!.value!.split(':').pop()));
}

describe('filtered feeds by query', () => {
  it('?kinds= and ?min= give their own feed with its own strong ETag, 304s and self link', async () => {
    const h = await harness();
    await seedStory(h);
    const all = await get(h, '/feeds/all.xml');
    expect(versions(all.body)).toEqual([4, 3, 2, 1]);
    const events = await h.fileStore.log.readLatest(10);
    const kinds = new Map(events.map((e) => [e.version, e.kind]));
    const sig = new Map(events.map((e) => [e.version, e.significance]));

    const corr = await get(h, '/feeds/all.xml?kinds=correction');
    expect(corr.res.status).toBe(200);
    expect(corr.res.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    expect(versions(corr.body)).toEqual([...kinds].filter(([, k]) => k === 'correction').map(([v]) => v));
    expect(versions(corr.body)).toContain(4);
    const etag = corr.res.headers.get('etag')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{20,}"$/);
    expect(etag).not.toBe(all.res.headers.get('etag'));
    expect(parse(corr.body).atom?.links?.[0]).toMatchObject({
      rel: 'self',
      href: `${h.server.url}/feeds/all.xml?kinds=correction`,
    });
    const again = await get(h, '/feeds/all.xml?kinds=correction', { 'If-None-Match': etag });
    expect(again.res.status).toBe(304);
    expect(again.body).toBe('');
    const lm = corr.res.headers.get('last-modified')!;
    expect((await get(h, '/feeds/all.xml?kinds=correction', { 'If-Modified-Since': lm })).res.status).toBe(304);

    // Two spellings of one filter are one feed.
    const ab = await get(h, '/feeds/all.xml?kinds=correction,breaking-update');
    const ba = await get(h, '/feeds/all.xml?min=0&kinds=breaking-update,correction,correction');
    expect(ab.res.headers.get('etag')).toBe(ba.res.headers.get('etag'));
    expect(ab.body).toBe(ba.body);

    // min: only what is at least that significant.
    const min = await get(h, '/feeds/all.xml?min=0.6');
    expect(versions(min.body)).toEqual([4, 3, 2, 1].filter((v) => sig.get(v)! >= 0.6));
    expect(min.res.headers.get('etag')).not.toBe(all.res.headers.get('etag'));

    // Per-article feeds take the same parameters.
    const art = await get(h, '/feeds/syria.xml?kinds=correction');
    expect(art.res.status).toBe(200);
    expect(versions(art.body)).toEqual(versions(corr.body));
    expect(art.res.headers.get('etag')).not.toBe(etag);
    expect((await get(h, '/feeds/nope.xml?kinds=correction')).res.status).toBe(404);

    // A new matching version changes the variant and its ETag; the old ETag no longer matches.
    await h.add('syria', (await fixture('ap-syria/v4.txt')) + '\nCorrection: An earlier version misspelled a name.\n');
    await h.feeds.idle();
    const afterCorr = await get(h, '/feeds/all.xml?kinds=correction', { 'If-None-Match': etag });
    expect((await h.fileStore.log.readLatest(1))[0]!.kind).toBe('correction');
    expect(afterCorr.res.status).toBe(200);
    expect(versions(afterCorr.body)[0]).toBe(5);
    expect(afterCorr.res.headers.get('etag')).not.toBe(etag);
    // A variant the new version does not change keeps its ETag.
    const minorOnly = await get(h, '/feeds/syria.xml?kinds=minor');
    expect(versions(minorOnly.body)).toEqual([]);
    await h.add(
      'syria',
      (await fixture('ap-syria/v4.txt')) + '\nCorrection: An earlier version misspelled two names.\n',
    );
    await h.feeds.idle();
    const still = await get(h, '/feeds/syria.xml?kinds=minor', {
      'If-None-Match': minorOnly.res.headers.get('etag')!,
    });
    expect(still.res.status).toBe(304);
  });

  it('minor and timestamp-only changes are left out of all.xml unless asked for', async () => {
    const h = await harness();
    const text =
      'Storm hits the coast\n\nThe storm hit the coast on Monday, officials said.\n\nMore rain is expected.\n';
    await h.add('storm', text);
    await h.add('storm', text.replace('officials said.', 'officials said!'));
    await h.feeds.idle();
    const [first, second] = await h.fileStore.log.readLatest(2);
    expect(first!.kind).toBe('initial');
    expect(['minor', 'timestamp-only']).toContain(second!.kind);
    expect(versions((await get(h, '/feeds/all.xml')).body)).toEqual([1]);
    expect(versions((await get(h, '/feeds/storm.xml')).body)).toEqual([1]);
    expect(versions((await get(h, `/feeds/all.xml?kinds=initial,${second!.kind}`)).body)).toEqual([2, 1]);
    expect(versions((await get(h, `/feeds/storm.xml?kinds=${second!.kind}`)).body)).toEqual([2]);
  });

  it('a bad query is a 400 naming the parameter, the allowed values and the value given', async () => {
    const h = await harness();
    await h.add('a', 'Title\n\nOne paragraph here.\n');
    await h.feeds.idle();
    const cases: [string, RegExp[]][] = [
      [
        'kinds=bogus,correction',
        [/"kinds"/, /unknown kind "bogus"/, /new-top/, /timestamp-only/, /received "bogus,correction"/],
      ],
      ['kinds=', [/"kinds"/, /no kind given/]],
      ['min=2', [/"min"/, /from 0 to 1/, /received "2"/]],
      ['min=0.333', [/"min"/, /two decimals/, /received "0.333"/]],
      ['min=abc', [/"min"/, /received "abc"/]],
      ['kind=correction', [/"kind"/, /unknown parameter/, /kinds, min/, /received "correction"/]],
      ['kinds=correction&kinds=minor', [/"kinds"/, /more than once/]],
    ];
    for (const [query, patterns] of cases) {
      for (const feed of ['all', 'a']) {
        const { res, body } = await get(h, `/feeds/${feed}.xml?${query}`);
        expect(res.status, query).toBe(400);
        const err = (JSON.parse(body) as { error: { code: string; message: string } }).error;
        expect(err.code).toBe('E_BAD_FEED_QUERY');
        for (const p of patterns) expect(err.message, query).toMatch(p);
      }
    }
  });
});

describe('named feeds', () => {
  it('are written as files, served with ETags, and refuse a query of their own', async () => {
    const h = await harness({
      named: {
        urgent: { filter: { kinds: ['correction', 'breaking-update'], minSignificance: 0.3 }, title: 'Urgent changes' },
        everything: {
          filter: { kinds: ['initial', 'breaking-update', 'write-thru', 'correction', 'minor'], minSignificance: 0 },
        },
      },
    });
    await seedStory(h);
    const onDisk = await fs.readFile(path.join(h.dir, 'feeds', 'urgent.xml'), 'utf8');
    const served = await get(h, '/feeds/urgent.xml');
    expect(served.res.status).toBe(200);
    expect(served.body).toBe(onDisk);
    const feed = parse(served.body);
    expect(feed.title).toBe('Urgent changes');
    const events = await h.fileStore.log.readLatest(10);
    const expected = events
      .filter((e) =>
        ['correction', 'breaking-update'].some((k) => e.kind === k || e.changes?.facets.includes(k as never)),
      )
      .filter((e) => e.significance >= 0.3)
      .map((e) => e.version)
      .reverse();
    expect(expected.length).toBeGreaterThan(0);
    expect(versions(served.body)).toEqual(expected);
    const etag = served.res.headers.get('etag')!;
    expect((await get(h, '/feeds/urgent.xml', { 'If-None-Match': etag })).res.status).toBe(304);
    expect(await fs.readdir(path.join(h.dir, 'feeds'))).toEqual(
      expect.arrayContaining(['all.xml', 'syria.xml', 'urgent.xml', 'everything.xml']),
    );
    const q = await get(h, '/feeds/urgent.xml?kinds=correction');
    expect(q.res.status).toBe(400);
    expect(JSON.parse(q.body)).toMatchObject({ error: { code: 'E_BAD_FEED_QUERY' } });
    expect(JSON.parse(q.body).error.message).toMatch(/named feed.*feeds\.named\.urgent/);
  });
});

describe('named feeds in the config', () => {
  it('are checked: a bad kind, name or minimum is an E_CONFIG naming the field', () => {
    const bad = (feeds: unknown): string => {
      try {
        parseConfig({ feeds }, 'wirediff.config.json');
      } catch (err) {
        expect(err).toMatchObject({ code: 'E_CONFIG' });
        return (err as Error).message;
      }
      throw new Error('expected an E_CONFIG');
    };
    expect(bad({ named: { urgent: { kinds: ['major'] } } })).toMatch(
      /Expected `feeds\.named\.urgent\.kinds\[0\]` to be one of .*"new-top".*, got `major` \(string\)/,
    );
    expect(bad({ named: { urgent: { minSignificance: 2 } } })).toMatch(
      /Expected `feeds\.named\.urgent\.minSignificance` to be a number <= 1, got `2` \(number\)/,
    );
    expect(bad({ named: { all: {} } })).toMatch(
      /Expected `feeds\.named\.all` to be a feed name .*, got `all` \(string\)/,
    );
    expect(bad({ named: { urgent: { minSignificence: 0.5 } } })).toMatch(
      /Expected no field `feeds\.named\.urgent\.minSignificence` \(unknown; did you mean "minSignificance"\?\), got `0\.5` \(number\)/,
    );
    const ok = parseConfig(
      { feeds: { named: { urgent: { kinds: ['new-top', 'correction'], minSignificance: 0.5 } } } },
      'x',
    );
    expect(ok.feeds.named['urgent']).toEqual({ kinds: ['new-top', 'correction'], minSignificance: 0.5 });
    expect(parseConfig({}, 'x').feeds).toEqual({ named: {} });
  });

  it('startPublishing writes and serves them', async () => {
    const tmp = await tempDir('wirediff-named-');
    const config = testConfig(tmp.dir, {
      server: { port: 0 },
      feeds: { named: { urgent: { kinds: ['correction'], title: 'Corrections' } } },
    });
    const store = await openStore(config);
    const running = await startPublishing({ config, store: store.store, log: store.log, logger: silentLogger() });
    try {
      for (const v of [1, 2, 3, 4]) {
        const text = await fixture(`ap-syria/v${v}.txt`);
        await ingestVersion(
          { store: store.store },
          {
            article: 'syria',
            raw: new TextEncoder().encode(text),
            contentType: 'text/plain',
            text,
            origin: { kind: 'push' },
            fetchedAt: `2026-12-01T09:0${v}:00.000Z`,
          },
          { variantWindow: 5 },
        );
      }
      const file = path.join(config.feedsDir, 'urgent.xml');
      const xml = await until(async () => {
        const x = await fs.readFile(file, 'utf8').catch(() => '');
        return x.includes('urn:wirediff:syria:4') ? x : undefined;
      }, 'the named feed with the correction');
      expect(versions(xml)).toEqual([4]);
      expect(parse(xml).title).toBe('Corrections');
      const res = await fetch(`${running.url}/feeds/urgent.xml`);
      expect(res.status).toBe(200);
      expect(versions(await res.text())).toEqual([4]);
    } finally {
      await running.close();
      await store.close();
      await tmp.cleanup();
    }
  });
});

describe('hostile text in facts', () => {
  it('stays inert in the feed: quotes, speakers and figure labels are escaped', async () => {
    const h = await harness();
    const v1 =
      'Blast <script>alert(1)</script>\n\nThe blast <img src=x onerror=alert(2)> killed 4 people ]]> on Monday, police said.\n\nMore to come.\n';
    const v2 =
      'Blast <script>alert(1)</script>\n\nThe blast <img src=x onerror=alert(2)> killed 7 people ]]> on Monday, police said.\n\nMore to come.\n\n“We will rebuild <script>alert(3)</script>,” said Mayor <b onclick=alert(4)>Ann Lee</b>.\n';
    await h.add('evil', v1);
    await h.add('evil', v2);
    await h.feeds.idle();
    const event = (await h.fileStore.log.readLatest(1))[0]!;
    expect(event.changes!.facts.some((f) => f.type === 'figure')).toBe(true);
    const { body } = await get(h, '/feeds/all.xml');
    const item = parse(body).items!.find((i) => i.guid?.value === 'urn:wirediff:evil:2')!;
    const html = item.description!;
    expect(html).not.toMatch(/<(script|img)\b/i);
    expect(html).not.toMatch(/<[^>]*\son\w+=/i); // no event handler in any tag
    expect(textOnly(html)).toContain('4 → 7');
    expect(textOnly(html)).toContain('<script>alert(3)</script>');
  });
});
