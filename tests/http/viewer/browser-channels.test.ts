/**
 * What the diff page tells, in a real browser (chromium via playwright-core) against a real server: the facts at the
 * top (once), side by side stacked on a phone instead of two thin columns, times with seconds when versions are minutes
 * apart, and the write-thru read in order (one "Story", removed paragraphs where they stood). Screenshots go to
 * tests/artifacts/viewer/.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactsDir, fixture, launchChromium, startViewerApp, watchPage, type ViewerApp } from './harness.js';

let app: ViewerApp;
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
  app = await startViewerApp();
  // Versions minutes apart (with seconds that matter), the last one more than an hour after.
  const at = ['2026-03-16T08:00:07Z', '2026-03-16T08:04:31Z', '2026-03-16T08:09:02Z', '2026-03-16T10:30:00Z'];
  for (const [i, v] of ['v1', 'v2', 'v3', 'v4'].entries()) {
    await app.ingest('ap-syria', await fixture(`ap-syria/${v}.txt`), { at: at[i]! });
  }
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function open(path: string, width: number): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  const { problems } = watchPage(page);
  const res = await page.goto(new URL(path, app.url).href);
  expect(res?.status(), path).toBe(200);
  return { page, problems };
}

describe('the diff page tells the change', () => {
  it('shows the facts at the top: the correction reads 156 → 165', async () => {
    const { page, problems } = await open('/articles/ap-syria/diff?from=3&to=4', 1280);
    const facts = page.locator('.wd-facts');
    await expect(facts.count()).resolves.toBe(1);
    await expect(facts.isVisible()).resolves.toBe(true);
    const text = (await facts.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain('Figures: cluster bombs 156 → 165');
    // Above the changed paragraphs.
    const factsBox = (await facts.boundingBox())!;
    const firstChange = (await page.locator('.wd-p.wd-edited').first().boundingBox())!;
    expect(factsBox.y + factsBox.height).toBeLessThanOrEqual(firstChange.y);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('on a phone, side by side stacks the older paragraph above the newer one, full width', async () => {
    const { page, problems } = await open('/articles/ap-syria/diff?from=2&to=3&view=side', 375);
    const row = page.locator('.wd-row.wd-edited').first();
    await row.scrollIntoViewIfNeeded();
    const oldBox = (await row.locator('.wd-old').boundingBox())!;
    const newBox = (await row.locator('.wd-new').boundingBox())!;
    // Stacked: same left edge, the newer below the older, each far wider than two thin columns (~150 px) would be.
    expect(Math.abs(oldBox.x - newBox.x)).toBeLessThan(2);
    expect(newBox.y).toBeGreaterThanOrEqual(oldBox.y + oldBox.height - 1);
    expect(oldBox.width).toBeGreaterThan(300);
    expect(newBox.width).toBeGreaterThan(300);
    // An unchanged paragraph is shown once, not twice.
    const same = page.locator('.wd-row.wd-unchanged').first();
    await expect(same.locator('.wd-old').isVisible()).resolves.toBe(false);
    await expect(same.locator('.wd-new').isVisible()).resolves.toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.screenshot({ path: join(await artifactsDir(), 'diff-side-375.png') });
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('on a wide screen, side by side keeps two columns', async () => {
    const { page } = await open('/articles/ap-syria/diff?from=2&to=3&view=side', 1280);
    const row = page.locator('.wd-row.wd-edited').first();
    const oldBox = (await row.locator('.wd-old').boundingBox())!;
    const newBox = (await row.locator('.wd-new').boundingBox())!;
    expect(newBox.x).toBeGreaterThan(oldBox.x + oldBox.width - 1);
    expect(Math.abs(newBox.y - oldBox.y)).toBeLessThan(2);
    await page.context().close();
  });

  it('gives times with seconds when versions are minutes apart, not when hours apart', async () => {
    const near = await open('/articles/ap-syria/diff?from=2&to=3', 1280);
    const nearText = await near.page.locator('.versions-compared').innerText();
    expect(nearText).toContain('08:04:31 UTC');
    expect(nearText).toContain('08:09:02 UTC');
    await near.page.context().close();
    const far = await open('/articles/ap-syria/diff?from=3&to=4', 1280);
    const farText = await far.page.locator('.versions-compared').innerText();
    expect(farText).toContain('08:09 UTC');
    expect(farText).toContain('10:30 UTC');
    expect(farText).not.toMatch(/\d\d:\d\d:\d\d/);
    await far.page.context().close();
    const timeline = await open('/articles/ap-syria', 1280);
    const v2 = await timeline.page.locator('#version-2 .meta time').innerText();
    expect(v2).toContain('08:04:31 UTC');
    await timeline.page.context().close();
  });

  it("keeps the write-thru's sections in reading order: one Story, the removed update and banner where they stood", async () => {
    const { page } = await open('/articles/ap-syria/diff?from=2&to=3', 1280);
    const titles = await page.locator('.wd-block-title').allInnerTexts();
    expect(titles.map((t) => t.replace(/ \(.*$/, ''))).toEqual(['Story', 'Byline']);
    const story = page.locator('.wd-block').first();
    const removed = await story.locator('.wd-removed .wd-text').allInnerTexts();
    expect(removed.some((t) => t.includes('THIS IS A BREAKING NEWS UPDATE'))).toBe(true);
    expect(removed.some((t) => t.includes('The U.N. says more than 70,000 people have been killed'))).toBe(true);
    await page.context().close();
  });

  it('keeps hostile text in the facts inert', async () => {
    const v1 = 'Blast\n\nThe blast <img src=x onerror=alert(2)> killed 4 people on Monday, police said.\n';
    const v2 =
      'Blast\n\nThe blast <img src=x onerror=alert(2)> killed 7 people on Monday, police said.\n\n' +
      '“We will rebuild <script>alert(3)</script>,” said Mayor <b onclick=alert(4)>Ann Lee</b>.\n';
    await app.ingest('evil', v1);
    await app.ingest('evil', v2);
    const { page, problems } = await open('/articles/evil/diff?from=1&to=2', 1280);
    const facts = page.locator('.wd-facts');
    expect(await facts.innerText()).toContain('4 → 7');
    expect(await facts.locator('script, img, [onclick], [onerror]').count()).toBe(0);
    expect(await page.locator('script:not([src])').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('a version arriving live minutes after the last shows seconds, as the server page does', async () => {
    await app.ingest('live-seconds', 'Quake hits\n\nA quake hit the coast near the port town.', {
      at: '2026-03-16T09:00:05Z',
    });
    const { page, problems } = await open('/articles/live-seconds', 1280);
    await page.locator('#live-status.live').waitFor({ state: 'visible' });
    await app.ingest('live-seconds', 'Quake hits\n\nA strong quake hit the coast near the port town.', {
      at: '2026-03-16T09:03:41Z',
    });
    await page.locator('#timeline > li:first-child#version-2').waitFor();
    const live = [
      await page.locator('#version-2 .meta time').innerText(),
      await page.locator('#version-1 .meta time').innerText(),
    ];
    expect(live).toEqual(['16 Mar 2026, 09:03:41 UTC', '16 Mar 2026, 09:00:05 UTC']);
    await page.reload();
    const served = [
      await page.locator('#version-2 .meta time').innerText(),
      await page.locator('#version-1 .meta time').innerText(),
    ];
    expect(served).toEqual(live);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
