/**
 * The server and its live endpoint: the server knows the hub only as a `LiveEndpoint` the caller passes in; a value
 * that is not one is refused with a clear error, and a server without one refuses `/live` upgrades.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { FeedSource } from '../../src/publish/rss/feed-writer.js';
import { createWsHub } from '../../src/publish/live/hub.js';
import { startServer, type ServerOptions } from '../../src/http/server.js';
import { openFileStore, type FileStore } from '../../src/store/open.js';
import { upgradeStatus } from './harness.js';

const NO_FEEDS: FeedSource = {
  get: () => undefined,
  isNamed: () => false,
  filtered: () => Promise.resolve(undefined),
};

let dir = '';
let files: FileStore;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wirediff-server-'));
  files = await openFileStore({ dir });
});
afterEach(async () => {
  await files.close();
  await fs.rm(dir, { recursive: true, force: true });
});

it('refuses a `live` that is not a live endpoint, naming what it got', async () => {
  const settings = { maxBufferedBytes: 1024 } as unknown as ServerOptions['live'];
  await expect(startServer({ store: files.store, log: files.log, feeds: NO_FEEDS, live: settings })).rejects.toThrow(
    'Expected `live` to be a live endpoint (handleUpgrade and close, e.g. createWsHub(…)), got an object with keys maxBufferedBytes',
  );
});

it('without a live endpoint, answers a /live upgrade with 404 and serves the rest', async () => {
  const server = await startServer({ store: files.store, log: files.log, feeds: NO_FEEDS });
  try {
    const ws = server.url.replace(/^http/, 'ws');
    expect((await upgradeStatus(`${ws}/live`)).status).toBe(404);
    expect((await fetch(`${server.url}/api/articles`)).status).toBe(200);
  } finally {
    await server.close();
  }
});

it('hands /live upgrades to the endpoint it was given, and closes it with the server', async () => {
  const hub = createWsHub({ store: files.store, log: files.log });
  const server = await startServer({ store: files.store, log: files.log, feeds: NO_FEEDS, live: hub });
  const ws = server.url.replace(/^http/, 'ws');
  expect((await upgradeStatus(`${ws}/live`)).status).toBe(101);
  expect((await upgradeStatus(`${ws}/elsewhere`)).status).toBe(404);
  await server.close();
  // A closed hub refuses new upgrades: given to a new server, it answers no /live client any more.
  const again = await startServer({ store: files.store, log: files.log, feeds: NO_FEEDS, live: hub });
  try {
    expect((await upgradeStatus(`${again.url.replace(/^http/, 'ws')}/live`)).status).not.toBe(101);
  } finally {
    await again.close();
  }
});

it('closes the endpoint it was given when it cannot listen', async () => {
  const first = await startServer({ store: files.store, log: files.log, feeds: NO_FEEDS });
  const hub = createWsHub({ store: files.store, log: files.log });
  try {
    await expect(
      startServer({ store: files.store, log: files.log, feeds: NO_FEEDS, port: first.port, live: hub }),
    ).rejects.toThrow(`could not listen on 127.0.0.1:${first.port}`);
  } finally {
    await first.close();
  }
  const next = await startServer({ store: files.store, log: files.log, feeds: NO_FEEDS, live: hub });
  try {
    expect((await upgradeStatus(`${next.url.replace(/^http/, 'ws')}/live`)).status).not.toBe(101);
  } finally {
    await next.close();
  }
});
