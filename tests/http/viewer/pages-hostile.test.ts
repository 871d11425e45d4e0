/**
 * Hostile text (tests/core/render/hostile.ts) in every field a page shows — headline, paragraphs, summary, the
 * origin's address, an error page's message and links — stays inert on every viewer page.
 */
import { expect, test } from 'vitest';
import { changesBetween } from '../../../src/core/diff/index.js';
import type { VersionOrigin } from '../../../src/core/model/version.js';
import { ingestVersion } from '../../../src/ingest/ingest.js';
import { renderArticlePage } from '../../../src/http/viewer/pages/article.js';
import { renderDiffPage, renderSameVersionPage } from '../../../src/http/viewer/pages/diff.js';
import { renderErrorPage } from '../../../src/http/viewer/pages/error.js';
import { renderHomePage } from '../../../src/http/viewer/pages/home.js';
import { renderVersionPage } from '../../../src/http/viewer/pages/version.js';
import { HOSTILE } from '../../core/render/hostile.js';
import { useTempStore } from './harness.js';

/** What hostile text would look like had it become markup (the pages' own tags have none of these forms). */
const ACTIVE =
  /<script>|<script [^s]|<img src=x|<svg onload|<style>|<a href="javascript:|["']\s*on(error|load|mouseover)=|<!-- comment|]]><script/i;

const files = useTempStore();

async function add(text: string, origin: VersionOrigin, at: string): Promise<void> {
  const o = await ingestVersion(
    { store: files().store },
    { article: 'hostile', raw: Buffer.from(text), contentType: 'text/plain', text, origin, fetchedAt: at },
    { variantWindow: 1, now: () => Date.parse(at) },
  );
  expect(o.status, JSON.stringify(o)).toBe('new-version');
}

test('every page keeps hostile text inert', async () => {
  const headline = `Headline ${HOSTILE[0]} ${HOSTILE[2]} ${HOSTILE[3]}`;
  // (NUL makes the input binary, which ingest refuses: the core's renderer tests cover control characters.)
  const texts = HOSTILE.filter((h) => !h.includes('\u0000'));
  const paragraphs = texts.map((h, i) => `Paragraph ${i}: ${h} and more words after it.`);
  const v1 = [headline, ...paragraphs].join('\n\n');
  const v2 = [headline, ...paragraphs.map((p, i) => (i % 3 === 0 ? `${p} ${texts[(i + 5) % texts.length]}` : p))]
    .concat(`Added ${HOSTILE[7]}`)
    .join('\n\n');
  await add(
    v1,
    { kind: 'url', location: `https://example.org/a?x="><script>alert(1)</script>` },
    '2026-11-25T03:00:00Z',
  );
  await add(v2, { kind: 'dir', location: `/srv/${HOSTILE[1]}.txt` }, '2026-11-25T03:05:00Z');
  await add(`${v2}\n\nMore ${HOSTILE[11]}`, { kind: 'url', location: 'javascript:alert(1)' }, '2026-11-25T03:09:00Z');

  const summary = (await files().store.getArticle('hostile'))!;
  const versions = await files().store.listVersions('hostile');
  const now = Date.parse('2026-11-25T04:00:00Z');
  const pages: Record<string, string> = {
    home: renderHomePage({ articles: [summary], lastEvent: 3, now }),
    article: renderArticlePage({ summary, versions, lastEvent: 3, now }),
    error: renderErrorPage({
      status: 404,
      heading: HOSTILE[0]!,
      message: HOSTILE.join(' '),
      links: [{ href: `/articles/x?"${HOSTILE[1]}`, label: HOSTILE[8]! }],
    }),
  };
  for (let n = 1; n <= 3; n++) {
    const version = (await files().store.getVersion('hostile', n))!;
    pages[`version ${n}`] = renderVersionPage({ summary, version, lastEvent: 3, now });
    pages[`same ${n}`] = renderSameVersionPage({ summary, version, lastEvent: 3 });
    for (let m = 1; m <= 3; m++) {
      if (m === n) continue;
      const next = (await files().store.getVersion('hostile', m))!;
      for (const view of ['inline', 'side-by-side'] as const) {
        pages[`diff ${n}→${m} ${view}`] = renderDiffPage({
          summary,
          old: version,
          next,
          changes: changesBetween(version, next),
          view,
          lastEvent: 3,
          now,
        });
      }
    }
  }
  for (const [name, page] of Object.entries(pages)) {
    expect(page, name).not.toMatch(ACTIVE);
    // Only the viewer's own scripts: live.js and (diff pages) folds.js, both from /assets.
    expect(page.match(/<script\b[^>]*>/g), name).toEqual(
      page.includes('folds.js')
        ? [expect.stringContaining('/assets/live.js'), expect.stringContaining('/assets/folds.js')]
        : [expect.stringContaining('/assets/live.js')],
    );
  }
  expect(pages['error']).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  expect(pages['version 1']).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
  expect(pages['version 3']).not.toContain('href="javascript:');
  expect(pages['version 2']).toContain('&lt;img src=x onerror=&quot;alert(2)&quot;&gt;.txt');
});
