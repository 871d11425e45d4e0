/**
 * Folded unchanged runs in a real browser (Debian's chromium via playwright-core) against a real wirediff server:
 * a long run is a link that opens in place with JavaScript and leads to the page with the run expanded without it;
 * links to a paragraph inside a fold (an address's anchor, a moved paragraph's link) still reach it; two picks of the
 * same version. Screenshots go to tests/artifacts/viewer/ (git-ignored).
 */
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeSet, Op } from '../../../src/core/model/changeset.js';
import { artifactsDir, fixture, launchChromium, startViewerApp, watchPage, type ViewerApp } from './harness.js';

let app: ViewerApp;
let browser: Browser;
const contexts: BrowserContext[] = [];

interface Watched {
  readonly page: Page;
  /** Console errors and warnings, uncaught page errors and failed requests seen so far (dialogs are dismissed). */
  readonly problems: string[];
}

async function open(path: string, options: BrowserContextOptions = {}): Promise<Watched> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  contexts.push(context);
  const page = await context.newPage();
  const { problems } = watchPage(page);
  const res = await page.goto(new URL(path, app.url).href);
  expect(res?.status(), path).toBe(200);
  return { page, problems };
}

/** Marks the loaded document, so a test can tell a change in place from a new page load. */
async function markDocument(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { __sameDocument?: boolean }).__sameDocument = true;
  });
}

async function sameDocument(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true);
}

/** Whether the element with `id` is on screen (at least partly inside the viewport). */
async function onScreen(page: Page, id: string): Promise<boolean> {
  return page.evaluate((x) => {
    const el = document.getElementById(x);
    if (el === null) return false;
    const r = el.getBoundingClientRect();
    return r.bottom > 0 && r.top < window.innerHeight && r.height > 0;
  }, id);
}

/** Every paragraph row of the diff as `id: text` (the cells' ids side by side). */
async function rowTexts(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('.wd-diff [id^="d-"]')).map(
      (el) => `${el.id}: ${(el.textContent ?? '').replace(/\s+/g, ' ').trim()}`,
    ),
  );
}

const run = (n: number): string[] => Array.from({ length: n }, (_, i) => `Long paragraph ${i + 1} of the story.`);

beforeAll(async () => {
  browser = await launchChromium();
  app = await startViewerApp();
  for (const v of ['v1', 'v2', 'v3', 'v4']) await app.ingest('ap-syria', await fixture(`ap-syria/${v}.txt`));
  // A paragraph that moves from the top to the end, past a 60-paragraph unchanged run; then the stored ChangeSet
  // is made to say it came from old ¶32, inside that run. The diff engine never does this (both ends of a move are
  // change ops, never folded), but a ChangeSet from elsewhere may: its link must still reach the paragraph.
  const far = 'A paragraph far from the end, about the dam upstream.';
  await app.ingest('moved-far', ['Moved far', far, ...run(60)].join('\n\n'));
  await app.ingest('moved-far', ['Moved far', ...run(60), far].join('\n\n'));
  const v2 = (await app.files.store.getVersion('moved-far', 2))!;
  const changes = v2.changes!;
  const move = changes.ops.find((op) => op.op === 'move');
  expect(move, `the engine should see a move: ${JSON.stringify(changes.ops.map((op) => op.op))}`).toBeDefined();
  const ops: Op[] = changes.ops.map((op) => (op.op === 'move' ? { ...op, o: 31 } : op));
  const tampered: ChangeSet = { ...changes, ops };
  await app.files.store.replaceDerived('moved-far', 2, v2.article, tampered);
}, 120_000);
afterEach(async () => {
  while (contexts.length > 0) await contexts.pop()!.close();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('a long unchanged run with JavaScript', () => {
  for (const view of ['inline', 'side'] as const) {
    it(`${view}: opens in place, with the rows the expanded page has, and the focus on its first paragraph`, async () => {
      const q = view === 'side' ? '&view=side' : '';
      const expanded = await open(`/articles/ap-syria/diff?from=1&to=2${q}&expand=10-37`);
      const want = await rowTexts(expanded.page);
      const { page, problems } = await open(`/articles/ap-syria/diff?from=1&to=2${q}`);
      const before = page.url();
      await markDocument(page);
      expect(await page.locator('#d-n-20').count()).toBe(0);
      await page.getByRole('link', { name: /^Show 28 unchanged paragraphs/ }).click();
      await page.locator('#d-n-37').waitFor();
      expect(await sameDocument(page)).toBe(true);
      expect(page.url()).toBe(before);
      await expect(page.locator('.wd-fold-link').count()).resolves.toBe(0);
      await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('d-n-10');
      expect(await rowTexts(page)).toEqual(want);
      // the inserted rows are inert text: no script, no handler, no inline style
      const active = await page.evaluate(() => ({
        scripts: document.querySelectorAll('main script').length,
        handlers: Array.from(document.querySelectorAll('main *')).filter((el) =>
          Array.from(el.attributes).some((a) => /^on/i.test(a.name) || a.name === 'style'),
        ).length,
      }));
      expect(active).toEqual({ scripts: 0, handlers: 0 });
      await page.screenshot({ path: join(await artifactsDir(), `fold-opened-in-place-${view}.png`) });
      expect(problems).toEqual([]);
      expect(expanded.problems).toEqual([]);
    });
  }

  it('opens from the keyboard: Enter on the link, then the focus is on the run', async () => {
    const { page, problems } = await open('/articles/ap-syria/diff?from=1&to=2');
    const link = page.locator('a.wd-fold-open');
    // Tab through the page until the fold's link has the focus
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      if (await link.evaluate((a) => a === document.activeElement)) break;
    }
    await expect(link.evaluate((a) => a === document.activeElement)).resolves.toBe(true);
    const outline = await link.evaluate((a) => getComputedStyle(a).outlineStyle);
    expect(outline).toBe('solid');
    await page.keyboard.press('Enter');
    await page.locator('#d-n-10').waitFor();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('d-n-10');
    await expect(onScreen(page, 'd-n-10')).resolves.toBe(true);
    expect(problems).toEqual([]);
  });

  it('an address whose anchor names a paragraph in a fold opens that fold and goes there', async () => {
    const { page, problems } = await open('/articles/ap-syria/diff?from=1&to=2#d-n-25');
    await page.locator('#d-n-25').waitFor();
    await expect(page.evaluate(() => document.querySelector(':target')?.id)).resolves.toBe('d-n-25');
    await expect(onScreen(page, 'd-n-25')).resolves.toBe(true);
    // and later in the same page, by a change of anchor (an old paragraph's id, side by side)
    await page.goto(new URL('/articles/moved-far/diff?from=1&to=2&view=side', app.url).href);
    await markDocument(page);
    await page.evaluate(() => {
      location.hash = 'd-o-40';
    });
    await page.locator('#d-o-40').waitFor();
    expect(await sameDocument(page)).toBe(true);
    await expect(page.locator('#d-o-40').textContent()).resolves.toContain('Long paragraph 39 of the story.');
    await expect(onScreen(page, 'd-o-40')).resolves.toBe(true);
    expect(problems).toEqual([]);
  });
});

describe('a moved paragraph whose other end is in a fold', () => {
  for (const view of ['inline', 'side'] as const) {
    it(`${view}, with JavaScript: its link opens the fold in place and lands on the paragraph`, async () => {
      const q = view === 'side' ? '&view=side' : '';
      const { page, problems } = await open(`/articles/moved-far/diff?from=1&to=2${q}`);
      await markDocument(page);
      const link = page.locator('.wd-moved:not(.wd-moved-out) a.wd-move-link');
      await expect(link.textContent()).resolves.toBe('moved from ¶32');
      // a real address (the page with the fold expanded) and the paragraph's anchor
      const href = (await link.getAttribute('href'))!;
      const id = view === 'inline' ? 'd-n-31' : 'd-o-32';
      expect(href).toBe(`/articles/moved-far/diff?from=1&to=2${q}&expand=3-58#${id}`);
      expect(await page.locator(`[id="${id}"]`).count()).toBe(0);
      await link.click();
      await page.locator(`[id="${id}"]`).waitFor();
      expect(await sameDocument(page)).toBe(true);
      await expect(page.locator(`[id="${id}"]`).textContent()).resolves.toContain('Long paragraph 31 of the story.');
      await expect(page.evaluate(() => document.querySelector(':target')?.id)).resolves.toBe(id);
      await expect(onScreen(page, id)).resolves.toBe(true);
      await page.screenshot({ path: join(await artifactsDir(), `fold-move-link-${view}.png`) });
      expect(problems).toEqual([]);
    });
  }

  it('without JavaScript: its link leads to the page with the fold expanded, at the paragraph', async () => {
    const { page, problems } = await open('/articles/moved-far/diff?from=1&to=2', { javaScriptEnabled: false });
    await page.locator('.wd-moved:not(.wd-moved-out) a.wd-move-link').click();
    await page.waitForURL(/\/articles\/moved-far\/diff\?from=1&to=2&expand=3-58#d-n-31$/);
    await expect(page.locator('#d-n-31').textContent()).resolves.toContain('Long paragraph 31 of the story.');
    await expect(page.evaluate(() => document.querySelector(':target')?.id)).resolves.toBe('d-n-31');
    await expect(onScreen(page, 'd-n-31')).resolves.toBe(true);
    // and back to where it moved: the link from the old place is a plain anchor on the page
    await page.locator('.wd-moved-out a.wd-move-link').click();
    await page.waitForURL(/#d-n-61$/);
    await expect(page.locator('#d-n-61').getAttribute('class')).resolves.toContain('wd-moved');
    expect(problems).toEqual([]);
  });
});

describe('without JavaScript and at phone width', () => {
  it('a second fold link keeps the run already expanded; "fold again" folds them all', async () => {
    const { page, problems } = await open('/articles/moved-far/diff?from=1&to=2&expand=10-20', {
      javaScriptEnabled: false,
    });
    await expect(page.locator('#d-n-15').isVisible()).resolves.toBe(true);
    const links = page.locator('a.wd-fold-open');
    await expect(links.count()).resolves.toBe(1);
    // ¶3–¶9 is a short fold (a <details>), ¶21–¶58 a link that adds its run to the one open
    await links.first().click();
    await page.waitForURL(/expand=10-58#d-n-21$/);
    await expect(page.locator('#d-n-15').isVisible()).resolves.toBe(true);
    await expect(page.locator('#d-n-50').isVisible()).resolves.toBe(true);
    await page.getByRole('link', { name: 'Fold the unchanged runs again' }).click();
    await page.waitForURL(/\/diff\?from=1&to=2$/);
    await expect(page.locator('a.wd-fold-open').count()).resolves.toBe(1);
    expect(problems).toEqual([]);
  });

  it('fold links and opened runs fit a 375 px screen', async () => {
    const dir = await artifactsDir();
    const context = await browser.newContext({
      viewport: { width: 375, height: 812 },
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
    });
    contexts.push(context);
    const page = await context.newPage();
    for (const [name, path] of [
      ['fold-link-phone', '/articles/ap-syria/diff?from=1&to=2#d-n-8'],
      ['fold-link-side-phone', '/articles/ap-syria/diff?from=1&to=2&view=side#d-n-8'],
      ['fold-expanded-phone', '/articles/ap-syria/diff?from=1&to=2&view=side&expand=10-37#d-n-10'],
    ] as const) {
      const res = await page.goto(new URL(path, app.url).href);
      expect(res?.status()).toBe(200);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(375);
      await page.screenshot({ path: join(dir, `${name}.png`) });
    }
    // opened in place by a tap
    await page.goto(new URL('/articles/ap-syria/diff?from=1&to=2', app.url).href);
    await page.locator('a.wd-fold-open').tap();
    await page.locator('#d-n-37').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.screenshot({ path: join(dir, 'fold-opened-phone.png') });
  });
});

describe('the same version twice', () => {
  it('is a page that says so, and its links lead to the neighbouring changes', async () => {
    const { page, problems } = await open('/articles/ap-syria/diff?from=3&to=3');
    await expect(page.locator('h2#same-heading').textContent()).resolves.toBe('The same version twice');
    await expect(page.locator('main').textContent()).resolves.toContain('Both picks are version 3');
    await page.screenshot({ path: join(await artifactsDir(), 'diff-same-version.png'), fullPage: true });
    await page.getByRole('link', { name: 'What changed next (3 → 4)' }).click();
    await page.waitForURL(/\/diff\?from=3&to=4$/);
    await expect(page.locator('.wd-kind strong').textContent()).resolves.toBe('Correction');
    expect(problems).toEqual([]);
  });
});
