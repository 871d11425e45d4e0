/**
 * The viewer in a real browser (Debian's chromium via playwright-core) against a real wirediff server:
 * the AP story's diffs, live updates and resume, hostile text staying inert, pages without JavaScript,
 * phone width, keyboard use. Screenshots of every page go to tests/artifacts/viewer/ (git-ignored).
 */
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { liveBlog2000 } from '../../bench/core-diff.bench.js';
import { artifactsDir, fixture, launchChromium, startViewerApp, watchPage, type ViewerApp } from './harness.js';

let app: ViewerApp;
let browser: Browser;
const contexts: BrowserContext[] = [];

interface Watched {
  readonly page: Page;
  /** Console errors, uncaught page errors, dialogs and failed requests seen so far. */
  readonly problems: string[];
  readonly dialogs: string[];
}

async function open(path: string, options: BrowserContextOptions = {}): Promise<Watched> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  contexts.push(context);
  const page = await context.newPage();
  const { problems, dialogs } = watchPage(page);
  const res = await page.goto(new URL(path, app.url).href);
  expect(res?.status(), path).toBe(200);
  return { page, problems, dialogs };
}

/** Waits until the live script has subscribed (its status says "Live"). */
async function waitLive(page: Page): Promise<void> {
  await page.locator('#live-status.live').waitFor({ state: 'visible' });
}

async function noHorizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

beforeAll(async () => {
  // Fails (never skips) with how to install chromium when it is missing.
  browser = await launchChromium();
  app = await startViewerApp();
  for (const v of ['v1', 'v2', 'v3', 'v4']) await app.ingest('ap-syria', await fixture(`ap-syria/${v}.txt`));
});
afterEach(async () => {
  while (contexts.length > 0) await contexts.pop()!.close();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('the AP story in the browser', () => {
  it('v1→v2 shows the breaking update, then the banner, above the unchanged earlier story', async () => {
    const { page, problems } = await open('/articles/ap-syria/diff?from=1&to=2');
    const update = page.locator('.wd-block-update');
    const banner = page.locator('.wd-block-banner');
    const earlier = page.locator('.wd-block-earlier');
    await expect(update.locator('.wd-block-title').textContent()).resolves.toMatch(
      /Breaking update.*new, 6 paragraphs/,
    );
    expect(await update.locator('.wd-p.wd-added').count()).toBe(6);
    await expect(banner.textContent()).resolves.toContain('THIS IS A BREAKING NEWS UPDATE');
    await expect(earlier.locator('.wd-block-title').textContent()).resolves.toMatch(/Earlier story.*unchanged/);
    // the earlier story: nothing added, removed or edited in it, and its paragraphs folded but readable
    expect(await earlier.locator('.wd-added, .wd-removed, .wd-edited, .wd-moved').count()).toBe(0);
    expect(await earlier.locator('.wd-unchanged').count()).toBe(2);
    await expect(
      earlier.getByRole('link', { name: 'Show 28 unchanged paragraphs (¶3–¶30 → ¶10–¶37)', exact: true }).count(),
    ).resolves.toBe(1);
    // on screen: update above banner above earlier story
    const [u, b, e] = await Promise.all([update.boundingBox(), banner.boundingBox(), earlier.boundingBox()]);
    expect(u!.y).toBeLessThan(b!.y);
    expect(b!.y).toBeLessThan(e!.y);
    // the summary says what happened
    await expect(page.locator('.wd-summary').textContent()).resolves.toContain('earlier story is unchanged');
    expect(problems).toEqual([]);
  });

  it('v2→v3 shows the rewrite: edited paragraphs with word changes, moved paragraphs linked both ways', async () => {
    const { page, problems } = await open('/articles/ap-syria/diff?from=2&to=3');
    await expect(page.locator('.wd-summary').textContent()).resolves.toMatch(/Rewritten|Write-thru/);
    const edited = page.locator('.wd-p.wd-edited');
    expect(await edited.count()).toBeGreaterThanOrEqual(3);
    expect(await edited.locator('ins').count()).toBeGreaterThan(0);
    expect(await edited.locator('del').count()).toBeGreaterThan(0);
    const moved = page.locator('.wd-p.wd-moved:not(.wd-moved-out)');
    const movedOut = page.locator('.wd-p.wd-moved-out');
    expect(await moved.count()).toBe(2);
    expect(await movedOut.count()).toBe(2);
    // follow a move from its new place to its old one and back
    const there = moved.first().locator('a.wd-move-link');
    const oldId = (await there.getAttribute('href'))!.slice(1);
    await there.click();
    await page.waitForURL(`**#${oldId}`);
    const oldPlace = page.locator(`[id="${oldId}"]`);
    await expect(oldPlace.getAttribute('class')).resolves.toContain('wd-moved-out');
    const back = oldPlace.locator('a.wd-move-link');
    const newId = (await back.getAttribute('href'))!.slice(1);
    await back.click();
    await page.waitForURL(`**#${newId}`);
    await expect(page.locator(`[id="${newId}"]`).getAttribute('class')).resolves.toContain('wd-moved');
    // the banner's removal is shown where it stood, inside the story (reading order), not as a section of its own
    expect(await page.locator('.wd-block-banner').count()).toBe(0);
    expect(await page.locator('.wd-p.wd-removed', { hasText: 'THIS IS A BREAKING NEWS UPDATE' }).count()).toBe(1);
    expect(problems).toEqual([]);
  });

  it('switches to side by side by a link, with old on the left and new on the right', async () => {
    const { page, problems } = await open('/articles/ap-syria/diff?from=2&to=3');
    await page.getByRole('link', { name: 'Side by side' }).click();
    await page.waitForURL(/view=side/);
    const rows = page.locator('.wd-side-by-side .wd-row.wd-edited');
    expect(await rows.count()).toBeGreaterThan(0);
    const first = rows.first();
    const [oldBox, newBox] = await Promise.all([
      first.locator('.wd-old').boundingBox(),
      first.locator('.wd-new').boundingBox(),
    ]);
    expect(oldBox!.x).toBeLessThan(newBox!.x);
    expect(await first.locator('.wd-old del').count()).toBeGreaterThan(0);
    expect(await first.locator('.wd-new ins').count()).toBeGreaterThan(0);
    await expect(page.getByRole('link', { name: 'Side by side' }).getAttribute('aria-current')).resolves.toBe('page');
    expect(problems).toEqual([]);
  });

  it('keeps a run of up to 20 unchanged paragraphs in a <details> that opens in place', async () => {
    const { page, problems } = await open('/articles/ap-syria/diff?from=3&to=4');
    const fold = page.locator('details.wd-fold').first();
    await expect(fold.locator('summary').textContent()).resolves.toMatch(/^20 unchanged paragraphs/);
    const inside = fold.locator('.wd-unchanged').first();
    await expect(inside.isVisible()).resolves.toBe(false);
    await fold.locator('summary').click();
    await expect(inside.isVisible()).resolves.toBe(true);
    expect(problems).toEqual([]);
  });

  it('the timeline compares any two versions through its form', async () => {
    const { page, problems } = await open('/articles/ap-syria');
    await expect(page.locator('#timeline > li').count()).resolves.toBe(4);
    await page.locator('#compare-from').selectOption('1');
    await page.locator('#compare-to').selectOption('4');
    await page.getByRole('button', { name: 'Show changes' }).click();
    await page.waitForURL(/\/articles\/ap-syria\/diff\?from=1&to=4/);
    await expect(page.locator('h1').textContent()).resolves.toContain('Syrian General');
    expect(problems).toEqual([]);
  });

  it('a version page shows its blocks labelled and links to its raw source', async () => {
    const { page, problems } = await open('/articles/ap-syria/v/2');
    await expect(page.locator('.wd-block-update .wd-block-title').textContent()).resolves.toBe('Breaking update');
    await expect(page.locator('.wd-block-earlier .wd-block-title').textContent()).resolves.toBe('Earlier story');
    const raw = page.getByRole('link', { name: 'Raw source' });
    await expect(raw.getAttribute('href')).resolves.toBe('/api/articles/ap-syria/versions/2?raw=1');
    expect(problems).toEqual([]);
  });
});

describe('a long page', () => {
  it('the 2,000-paragraph live blog diff shows its changes, leaves long unchanged runs behind links, opens one in place', async () => {
    const pair = liveBlog2000();
    await app.ingest('bench-blog', `Live: bench blog\n\n${pair.oldText}`);
    await app.ingest('bench-blog', `Live: bench blog\n\n${pair.newText}`);
    const { page, problems } = await open('/articles/bench-blog/diff?from=1&to=2');
    const counts = await page.evaluate(() => {
      const rows = Array.from(document.querySelectorAll('.wd-p'));
      const shown = rows.filter((r) => r.closest('details:not([open])') === null);
      const links = Array.from(document.querySelectorAll('.wd-fold-link'));
      return {
        rows: rows.length,
        shown: shown.length,
        changed: shown.filter((r) => !r.classList.contains('wd-unchanged')).length,
        links: links.length,
        behindLinks: links.reduce((sum, l) => sum + Number(l.getAttribute('data-count')), 0),
        bytes: document.documentElement.outerHTML.length,
      };
    });
    expect(counts.changed).toBeGreaterThanOrEqual(20);
    expect(counts.shown).toBeLessThan(200);
    expect(counts.rows).toBeLessThan(300);
    expect(counts.links).toBeGreaterThan(10);
    expect(counts.rows + counts.behindLinks).toBeGreaterThan(2000);
    expect(counts.bytes).toBeLessThan(100_000);
    // still usable: jump to the last change and open the fold link after it, in place
    const last = page.locator('.wd-p.wd-edited, .wd-p.wd-added').last();
    await last.scrollIntoViewIfNeeded();
    await expect(last.isVisible()).resolves.toBe(true);
    const fold = page.locator('.wd-fold-link').last();
    const n = Number(await fold.getAttribute('data-n'));
    const count = Number(await fold.getAttribute('data-count'));
    await fold.locator('a').click();
    await page.locator(`[id="d-n-${n + count - 1}"]`).waitFor();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe(`d-n-${n}`);
    expect(page.url()).toBe(new URL('/articles/bench-blog/diff?from=1&to=2', app.url).href);
    await expect(page.locator('.wd-fold-link').count()).resolves.toBe(counts.links - 1);
    expect(problems).toEqual([]);
  }, 120_000);
});

describe('live updates', () => {
  it('a new article appears on / by itself, then moves to the top when it changes', async () => {
    const { page, problems } = await open('/');
    await waitLive(page);
    await app.ingest('live-home', 'Quiet morning in the capital\n\nNothing of note happened overnight.');
    const row = page.locator('#article-live-home');
    await row.waitFor();
    await expect(row.locator('.headline').textContent()).resolves.toBe('Quiet morning in the capital');
    await expect(row.locator('.count').textContent()).resolves.toBe('1 version');
    await app.ingest('ap-syria-2', await fixture('ap-syria/v1.txt'));
    await page.locator('#articles > li:first-child#article-ap-syria-2').waitFor();
    await app.ingest(
      'live-home',
      'Quiet morning in the capital\n\nA fire broke out overnight near the station.\n\nNothing of note happened overnight.',
    );
    await page.locator('#articles > li:first-child#article-live-home .count', { hasText: '2 versions' }).waitFor();
    await expect(page.locator('#article-live-home svg.spark rect.bar').count()).resolves.toBe(2);
    expect(problems).toEqual([]);
  });

  it('a new version is prepended to the open timeline, and offered in the compare form', async () => {
    await app.ingest('live-timeline', 'Storm nears coast\n\nThe storm is 200 km offshore.');
    const { page, problems } = await open('/articles/live-timeline');
    await expect(page.locator('#compare').isVisible()).resolves.toBe(false);
    await waitLive(page);
    await app.ingest(
      'live-timeline',
      'Storm nears coast\n\nThe storm is 80 km offshore.\n\nResidents were told to leave.',
    );
    await page.locator('#timeline > li:first-child#version-2').waitFor();
    await expect(page.locator('#version-2 .summary').textContent()).resolves.not.toBe('');
    await expect(page.locator('#compare').isVisible()).resolves.toBe(true);
    await expect(page.locator('#compare-to option').count()).resolves.toBe(2);
    await expect(page.locator('#version-count').textContent()).resolves.toBe('2 versions');
    expect(problems).toEqual([]);
  });

  it('a version that arrives live shows its size as the server page does (paragraphs and bytes)', async () => {
    await app.ingest('live-size', 'Dam breach feared\n\nEngineers are watching the dam.');
    const { page, problems } = await open('/articles/live-size');
    await waitLive(page);
    const text = 'Dam breach feared\n\nEngineers are watching the dam.\n\nTown of 4,000 evacuated overnight.';
    await app.ingest('live-size', text);
    const size = page.locator('#version-2 .size[data-filled="true"]');
    await size.waitFor();
    const live = await size.textContent();
    expect(live).toBe(`2 paragraphs, ${Buffer.byteLength(text)} B`);
    // the same words the server writes for that version
    await page.reload();
    await expect(page.locator('#version-2 .size').textContent()).resolves.toBe(live);
    expect(problems).toEqual([]);
  });

  it('a version page and a diff page announce a new version with links', async () => {
    await app.ingest('live-notice', 'Talks resume\n\nNegotiators met again on Monday.');
    await app.ingest('live-notice', 'Talks resume\n\nNegotiators met again on Monday in Geneva.');
    const a = await open('/articles/live-notice/v/1');
    const b = await open('/articles/live-notice/diff?from=1&to=2');
    await Promise.all([waitLive(a.page), waitLive(b.page)]);
    await app.ingest('live-notice', 'Talks collapse\n\nNegotiators walked out on Monday in Geneva.');
    for (const { page, problems } of [a, b]) {
      const notice = page.locator('#live-notice');
      await notice.waitFor({ state: 'visible' });
      await expect(notice.textContent()).resolves.toContain('Version 3 of this article is available');
      await expect(notice.getByRole('link', { name: 'See what changed' }).getAttribute('href')).resolves.toBe(
        '/articles/live-notice/diff?from=2&to=3',
      );
      expect(problems).toEqual([]);
    }
  });

  it('resumes after a dropped connection with the versions stored meanwhile', async () => {
    await app.ingest('live-resume', 'Bridge closed\n\nThe bridge was closed for repairs.');
    const { page } = await open('/articles/live-resume');
    await waitLive(page);
    await app.stopServer();
    await page.locator('#live-status.offline').waitFor();
    await app.ingest('live-resume', 'Bridge closed\n\nThe bridge was closed for repairs until Friday.');
    await app.ingest('live-resume', 'Bridge reopened\n\nThe bridge reopened on Friday after repairs.');
    await app.restartServer();
    await page.locator('#version-3').waitFor({ timeout: 30_000 });
    await expect(page.locator('#timeline > li').count()).resolves.toBe(3);
    await expect(page.locator('#version-2').count()).resolves.toBe(1);
    await waitLive(page);
  });
});

describe('safety', () => {
  const HOSTILE =
    'Breaking <script>window.__pwned = 1; alert("script")</script> news\n\n' +
    'Witnesses said <img src=x onerror="window.__pwned = 2; alert(\'img\')"> the blast was loud.\n\n' +
    'Read more at <a href="javascript:window.__pwned=3;alert(\'link\')">this link</a> or javascript:alert(4).\n\n' +
    '"><svg onload="window.__pwned=4"></svg><style>body{display:none}</style>';

  it('hostile article text renders inert on every page: no dialog, no script, no console error', async () => {
    await app.ingest('hostile-story', HOSTILE, {
      origin: { kind: 'url', location: 'javascript:alert(5)' },
    });
    await app.ingest('hostile-story', HOSTILE.replace('was loud', 'was very loud <iframe src="javascript:alert(6)">'), {
      origin: { kind: 'url', location: 'https://example.org/story?"><script>alert(7)</script>' },
    });
    let watched: Watched | undefined;
    for (const path of [
      '/',
      '/articles/hostile-story',
      '/articles/hostile-story/v/1',
      '/articles/hostile-story/v/2',
      '/articles/hostile-story/diff?from=1&to=2',
      '/articles/hostile-story/diff?from=1&to=2&view=side',
    ]) {
      if (watched === undefined) watched = await open(path);
      else await watched.page.goto(new URL(path, app.url).href);
      const { page, problems, dialogs } = watched;
      await waitLive(page);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), path).toBeUndefined();
      expect(dialogs, path).toEqual([]);
      expect(problems, path).toEqual([]);
      const active = await page.evaluate(() => ({
        scripts: Array.from(document.scripts).map((s) => s.getAttribute('src')),
        handlers: Array.from(document.querySelectorAll('*')).flatMap((el) =>
          Array.from(el.attributes)
            .filter((a) => /^on/i.test(a.name))
            .map((a) => `${el.tagName} ${a.name}`),
        ),
        styled: document.querySelectorAll('[style], style').length,
        jsLinks: Array.from(document.querySelectorAll('a[href], iframe, img, svg'))
          .map((el) => el.getAttribute('href') ?? el.getAttribute('src') ?? el.tagName)
          .filter((h) => /^\s*javascript:/i.test(h) || h === 'IFRAME' || h === 'IMG'),
      }));
      const scripts = [expect.stringMatching(/^\/assets\/live\.js\?v=[0-9a-f]{16}$/)];
      if (path.includes('/diff')) scripts.push(expect.stringMatching(/^\/assets\/folds\.js\?v=[0-9a-f]{16}$/));
      expect(active.scripts, path).toEqual(scripts);
      expect(active.handlers, path).toEqual([]);
      expect(active.styled, path).toBe(0);
      expect(active.jsLinks, path).toEqual([]);
      if (path !== '/articles/hostile-story') {
        // the payloads are shown as the text they are
        expect(await page.locator('main').textContent(), path).toMatch(/<script>|<img src=x|<svg onload/);
      }
    }
  }, 180_000);

  it('every page carries the strict Content-Security-Policy', async () => {
    const { page } = await open('/articles/ap-syria/v/1');
    const res = await page.goto(new URL('/articles/ap-syria', app.url).href);
    expect(res!.headers()['content-security-policy']).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
  });
});

describe('without JavaScript, at phone width, by keyboard', () => {
  it('every page works with JavaScript disabled, folds included', async () => {
    const { page, problems } = await open('/', { javaScriptEnabled: false });
    await page
      .getByRole('link', { name: /Syrian General/ })
      .first()
      .click();
    await page.waitForURL(/\/articles\/ap-syria$/);
    await page.locator('#compare-from').selectOption('1');
    await page.locator('#compare-to').selectOption('2');
    await page.getByRole('button', { name: 'Show changes' }).click();
    await page.waitForURL(/diff\?from=1&to=2/);
    // the earlier story's long unchanged run: a real link to the page with it expanded, landing on its first paragraph
    await page.getByRole('link', { name: /^Show 28 unchanged paragraphs/ }).click();
    await page.waitForURL(/diff\?from=1&to=2&expand=10-37#d-n-10$/);
    await expect(page.locator('#d-n-10').isVisible()).resolves.toBe(true);
    await expect(page.locator('#d-n-37').isVisible()).resolves.toBe(true);
    await expect(page.locator('.wd-fold-link').count()).resolves.toBe(0);
    await page.getByRole('link', { name: 'Side by side' }).click();
    await page.waitForURL(/view=side&expand=10-37/);
    await expect(page.locator('.wd-side-by-side #d-n-20').isVisible()).resolves.toBe(true);
    // a run of up to 20 stays a <details>, which opens without JavaScript
    await page.goto(new URL('/articles/ap-syria/diff?from=3&to=4&view=side', app.url).href);
    const fold = page.locator('details.wd-fold').first();
    await fold.locator('summary').click();
    await expect(fold.locator('.wd-unchanged').first().isVisible()).resolves.toBe(true);
    await page.getByRole('link', { name: 'Inline' }).click();
    await page.waitForURL(/from=3&to=4$/);
    await page.goto(new URL('/articles/ap-syria/diff?from=1&to=2&view=side', app.url).href);
    await page.getByRole('link', { name: 'Version 2 as it was' }).click();
    await page.waitForURL(/\/v\/2$/);
    await expect(page.locator('.wd-block-update').count()).resolves.toBe(1);
    await expect(page.locator('#live-status').isVisible()).resolves.toBe(false);
    expect(problems.join('\n')).toBe('');
  });

  it('fits a 375 px wide phone screen without sideways scrolling', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    contexts.push(context);
    const page = await context.newPage();
    for (const path of [
      '/',
      '/articles/ap-syria',
      '/articles/ap-syria/diff?from=2&to=3',
      '/articles/ap-syria/diff?from=2&to=3&view=side',
      '/articles/ap-syria/v/3',
      '/articles/nope',
    ]) {
      const res = await page.goto(new URL(path, app.url).href);
      expect([200, 404]).toContain(res?.status());
      expect(await noHorizontalOverflow(page), path).toBeLessThanOrEqual(375);
    }
  }, 180_000);

  it('starts with a skip link and shows where the focus is', async () => {
    const { page } = await open('/articles/ap-syria/diff?from=1&to=2');
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Skip to content');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).toBe('solid');
    await page.keyboard.press('Enter');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('main');
    // the next Tab goes to a real link inside the page
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.tagName)).resolves.toBe('A');
  });
});

describe('screenshots', () => {
  const PAGES: readonly [string, string][] = [
    ['home', '/'],
    ['timeline', '/articles/ap-syria'],
    ['diff-1-2-inline', '/articles/ap-syria/diff?from=1&to=2'],
    ['diff-2-3-inline', '/articles/ap-syria/diff?from=2&to=3'],
    ['diff-2-3-side', '/articles/ap-syria/diff?from=2&to=3&view=side'],
    ['version-2', '/articles/ap-syria/v/2'],
    ['not-found', '/articles/no-such-story/v/1'],
  ];

  it('saves each page at desktop and 375 px width, light and dark', async () => {
    const dir = await artifactsDir();
    const variants: readonly [string, BrowserContextOptions][] = [
      ['desktop', { viewport: { width: 1280, height: 900 } }],
      ['phone', { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }],
      ['desktop-dark', { viewport: { width: 1280, height: 900 }, colorScheme: 'dark' }],
      [
        'phone-dark',
        { viewport: { width: 375, height: 812 }, isMobile: true, colorScheme: 'dark', deviceScaleFactor: 2 },
      ],
    ];
    let saved = 0;
    for (const [variant, options] of variants) {
      const context = await browser.newContext(options);
      contexts.push(context);
      const page = await context.newPage();
      for (const [name, path] of PAGES) {
        await page.goto(new URL(path, app.url).href);
        if (name !== 'not-found') await waitLive(page);
        const file = join(dir, `${name}-${variant}.png`);
        const png = await page.screenshot({ path: file, fullPage: variant.startsWith('phone') ? false : true });
        expect(png.length).toBeGreaterThan(1000);
        saved++;
      }
    }
    expect(saved).toBe(PAGES.length * variants.length);
  }, 300_000);
});
