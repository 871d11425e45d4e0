/**
 * live.js's `reset` path in a real browser: open pages lose their server, and a server with a different store (a
 * shorter event log) comes back on the same port. Resuming with `since` past its last event, each page is told
 * `reset` then `state`: it must show what the state says, take the server's position as its own, and keep following
 * the stream (events numbered below its old position are new, not duplicates). Screenshots go to tests/artifacts/viewer/.
 */
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactsDir, launchChromium, startViewerApp, type ViewerApp } from './harness.js';

let browser: Browser;
let first: ViewerApp | undefined;
let second: ViewerApp | undefined;
let context: BrowserContext | undefined;

const STORY = [
  'Levee holds for now\n\nWater is 30 cm below the top of the levee.',
  'Levee holds for now\n\nWater is 10 cm below the top of the levee.\n\nSandbags are being brought in.',
  'Levee overtopped\n\nWater poured over the levee at 04:10.\n\nSandbags are being brought in.',
  'Levee overtopped\n\nWater poured over the levee at 04:10.\n\nThe lower town was evacuated.\n\nSandbags are being brought in.',
];

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await first?.close();
  await second?.close();
});

function watch(page: Page, problems: string[]): void {
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // While the first server is gone and before the second listens, the page's reconnect attempts are refused, and
    // Chromium logs each one: that is the scenario, not a fault (whether one falls in the gap depends on timing).
    if (/^WebSocket connection to '.*\/live' failed: .*ERR_CONNECTION_REFUSED/.test(m.text())) return;
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
}

describe('live.js after a reset', () => {
  it('shows what the state says and keeps following the new server', async () => {
    // The first server: the story's first two versions, then five other stories (events 1…7).
    first = await startViewerApp();
    await first.ingest('levee', STORY[0]!);
    await first.ingest('levee', STORY[1]!);
    for (let i = 1; i <= 5; i++) await first.ingest(`filler-${i}`, `Filler ${i}\n\nNothing to see in story ${i}.`);

    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    const pages: Record<'home' | 'timeline' | 'diff', Page> = {
      home: await context.newPage(),
      timeline: await context.newPage(),
      diff: await context.newPage(),
    };
    const paths = { home: '/', timeline: '/articles/levee', diff: '/articles/levee/diff?from=1&to=2' };
    for (const key of ['home', 'timeline', 'diff'] as const) {
      const page = pages[key];
      watch(page, problems);
      await page.goto(new URL(paths[key], first.url).href);
      await expect(page.locator('body').getAttribute('data-last-event')).resolves.toBe('7');
      await page.locator('#live-status.live').waitFor();
    }

    // The first server goes; a second one, whose store holds three versions of the story (events 1…3), comes back
    // on the same port. The pages resume with since=7, past its last event.
    await first.stopServer();
    for (const page of Object.values(pages)) await page.locator('#live-status.offline').waitFor();
    second = await startViewerApp({ port: first.port, serve: false });
    for (const text of STORY.slice(0, 3)) await second.ingest('levee', text);
    await second.restartServer();

    // the timeline says versions were stored meanwhile, with a link to reload it
    const notice = pages.timeline.locator('#live-notice');
    await notice.waitFor({ state: 'visible', timeout: 60_000 });
    await expect(notice.textContent()).resolves.toBe(
      'Versions up to 3 were stored while this page was disconnected. Reload the timeline',
    );
    await expect(notice.getByRole('link', { name: 'Reload the timeline' }).getAttribute('href')).resolves.toBe(
      '/articles/levee',
    );
    // the diff page announces version 3 with a link to its changes
    const diffNotice = pages.diff.locator('#live-notice');
    await diffNotice.waitFor({ state: 'visible', timeout: 60_000 });
    await expect(diffNotice.textContent()).resolves.toContain('Version 3 of this article is available');
    await expect(diffNotice.getByRole('link', { name: 'See what changed' }).getAttribute('href')).resolves.toBe(
      '/articles/levee/diff?from=2&to=3',
    );
    // the home page updates the story's row from the state
    await pages.home.locator('#article-levee .count', { hasText: '3 versions' }).waitFor({ timeout: 60_000 });
    await expect(pages.home.locator('#article-levee .headline').textContent()).resolves.toBe('Levee overtopped');
    for (const page of Object.values(pages)) await page.locator('#live-status.live').waitFor();
    const dir = await artifactsDir();
    await pages.timeline.screenshot({ path: join(dir, 'live-reset-timeline.png') });

    // The next event is number 4 on this server: below the pages' old position (7), yet new. It must arrive.
    await second.ingest('levee', STORY[3]!);
    await pages.timeline.locator('#timeline > li:first-child#version-4').waitFor();
    await expect(pages.timeline.locator('#version-4 .summary').textContent()).resolves.not.toBe('');
    await diffNotice.getByText('Version 4 of this article is available').waitFor();
    await pages.home.locator('#articles > li:first-child#article-levee .count', { hasText: '4 versions' }).waitFor();
    await pages.timeline.screenshot({ path: join(dir, 'live-reset-timeline-after.png') });
    await pages.home.screenshot({ path: join(dir, 'live-reset-home.png') });
    expect(problems).toEqual([]);
  }, 180_000);
});
