/**
 * What the viewer's tests share: a real wirediff server (store in a temp folder, the viewer handler, the /live hub)
 * on port 0, versions put in through the real ingest pipeline, and Debian's chromium driven by playwright-core.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterEach, beforeEach } from 'vitest';
import type { ChangeEvent } from '../../../src/core/model/event.js';
import type { VersionOrigin } from '../../../src/core/model/version.js';
import type { FeedSource } from '../../../src/publish/rss/feed-writer.js';
import { createWsHub } from '../../../src/publish/live/hub.js';
import { startServer, type RunningServer } from '../../../src/http/server.js';
import { openFileStore, type FileStore } from '../../../src/store/open.js';
import { createViewerHandler } from '../../../src/http/viewer/handler.js';
import { ingestVersion } from '../../../src/ingest/ingest.js';

const here = dirname(fileURLToPath(import.meta.url));
export const FIXTURES = resolve(here, '../../fixtures');
export const ARTIFACTS = resolve(here, '../../artifacts/viewer');

export function fixture(rel: string): Promise<string> {
  return readFile(join(FIXTURES, rel), 'utf8');
}

/** The feeds are not under test here: the server gets a feed source with no files. */
const NO_FEEDS: FeedSource = {
  get: () => undefined,
  isNamed: () => false,
  filtered: () => Promise.resolve(undefined),
};

export interface ViewerApp {
  readonly url: string;
  readonly port: number;
  readonly files: FileStore;
  /** Faults the viewer answered with a 500 page. */
  readonly viewerErrors: unknown[];
  /** Stores a new version of `article` (text/plain) through the ingest pipeline; resolves with its event. */
  ingest(article: string, text: string, options?: { at?: string; origin?: VersionOrigin }): Promise<ChangeEvent>;
  /** Stops the server only (live clients are dropped), keeping the store open. */
  stopServer(): Promise<void>;
  /** Starts the server again on the same port. */
  restartServer(): Promise<void>;
  close(): Promise<void>;
}

/**
 * `port`: listen there (e.g. where another app's server listened: a reader's page then reconnects to this one);
 * `serve: false`: open the store only (fill it with `ingest`, then `restartServer` starts the server on `port`).
 */
export async function startViewerApp(options: { port?: number; serve?: boolean } = {}): Promise<ViewerApp> {
  const dir = await mkdtemp(join(tmpdir(), 'wirediff-viewer-'));
  const files = await openFileStore({ dir: join(dir, 'store') });
  const viewerErrors: unknown[] = [];
  const viewer = createViewerHandler({ store: files.store, log: files.log, onError: (err) => viewerErrors.push(err) });
  const start = (port: number): Promise<RunningServer> =>
    startServer({
      port,
      store: files.store,
      log: files.log,
      feeds: NO_FEEDS,
      viewer,
      live: createWsHub({ store: files.store, log: files.log }),
      closeTimeoutMs: 500,
    });
  let server: RunningServer | undefined = options.serve === false ? undefined : await start(options.port ?? 0);
  const port = server?.port ?? options.port ?? 0;
  let clock = Date.parse('2026-03-16T08:00:00Z');
  let closed = false;
  return {
    url: server?.url ?? `http://127.0.0.1:${port}`,
    port,
    files,
    viewerErrors,
    async ingest(article, text, options = {}) {
      clock += 17 * 60_000;
      const fetchedAt = options.at ?? new Date(clock).toISOString();
      const out = await ingestVersion(
        { store: files.store },
        {
          article,
          raw: Buffer.from(text, 'utf8'),
          contentType: 'text/plain; charset=utf-8',
          text,
          origin: options.origin ?? { kind: 'push' },
          fetchedAt,
        },
        { variantWindow: 1, now: () => Date.parse(fetchedAt) },
      );
      if (out.status !== 'new-version') throw new Error(`ingest of ${article} made no version: ${JSON.stringify(out)}`);
      return out.event;
    },
    async stopServer() {
      await server?.close();
      server = undefined;
    },
    async restartServer() {
      server ??= await start(port);
    },
    async close() {
      if (closed) return;
      closed = true;
      await server?.close();
      await files.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A file store in a temp folder for every test of the calling file: opened before each, closed and removed after. */
export function useTempStore(): () => FileStore {
  let dir = '';
  let files: FileStore | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wirediff-pages-'));
    files = await openFileStore({ dir });
  });
  afterEach(async () => {
    await files?.close();
    files = undefined;
    await rm(dir, { recursive: true, force: true });
  });
  return () => {
    if (files === undefined) throw new Error('useTempStore: the store is open only while a test runs');
    return files;
  };
}

/** Where Debian puts chromium; `WIREDIFF_CHROMIUM` may point elsewhere. */
export const CHROMIUM = process.env['WIREDIFF_CHROMIUM'] ?? '/usr/bin/chromium';

/** Launches chromium, or fails with how to install it: the browser tests never skip silently. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `The viewer's browser tests need chromium at ${CHROMIUM}, and it is missing. ` +
        `Install it with: sudo apt-get install -y chromium fonts-dejavu-core (Debian/Ubuntu; .ci/run does this in CI), ` +
        `or set WIREDIFF_CHROMIUM to a chromium binary.`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking'],
  });
}

/**
 * Collects what must not happen on a page: console errors and warnings, uncaught page errors, failed requests, and
 * dialogs (dismissed). ERR_ABORTED is the browser dropping a request of a page being left (the icon, under load), not
 * a fault, so it is not collected.
 */
export function watchPage(page: Page): { problems: string[]; dialogs: string[] } {
  const problems: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    const why = r.failure()?.errorText ?? '';
    if (why !== 'net::ERR_ABORTED') problems.push(`request failed: ${r.url()} ${why}`);
  });
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  return { problems, dialogs };
}

export async function artifactsDir(): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  return ARTIFACTS;
}
