/**
 * `wirediff add` while `wirediff watch --serve` runs: the running watcher reloads the config and watches the new
 * source without a restart; `wirediff poll` reads a source now through the server's API, with the token.
 */
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeAll, expect, test } from 'vitest';
import { ensureBuilt, startWirediff, waitUntil, type RunningWirediff } from '../e2e/harness.js';
import { startServer, story, storyHtml, type TestServer } from '../watch/helpers.js';
import { cli } from './history-fixture.js';
import { tempDirEach } from '../support/temp.js';

const tmp = tempDirEach();
let web: TestServer | undefined;
let running: RunningWirediff | undefined;

beforeAll(async () => {
  await ensureBuilt();
}, 300_000); // tsc on a busy 2-core machine
afterEach(async () => {
  running?.kill();
  running = undefined;
  await web?.close();
});

test('add → the running watcher reloads and reads the new source; poll ID reads it again now', async () => {
  let page = story('Ceasefire talks open in Doha', 1, 6);
  web = await startServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(storyHtml(page));
  });
  const config = path.join(tmp.dir, 'wirediff.config.json');
  await writeFile(
    config,
    JSON.stringify({
      server: { host: '127.0.0.1', port: 0, token: 'sekret' },
      sources: [{ kind: 'dir', path: 'articles' }],
    }),
  );
  running = await startWirediff(config, tmp.dir);
  const wd = running;
  // The built program parses and diffs on the ingest worker pool, not on its event loop.
  expect(wd.logs.some((l) => /run on up to \d+ worker thread/.test(l.msg ?? ''))).toBe(true);

  const url = `${web.url}/doha`;
  const added = await cli(tmp.dir, [
    'add',
    url,
    '--kind',
    'url',
    '--id',
    'doha',
    '--allow-private-network',
    '--schedule',
    '0 0 1 1 *', // never during the test: only the reload's first poll and "wirediff poll" read it
  ]);
  expect(added.code).toBe(0);
  expect(added.out).toContain('reloads the config');

  await waitUntil('the config reload', () => wd.logs.find((l) => /config reloaded/.test(l.msg ?? '')), {
    describe: () => wd.tail(),
  });
  const versions = async (): Promise<number> => {
    const res = await fetch(`${wd.url}/api/articles/doha/versions`);
    if (res.status !== 200) return 0;
    return ((await res.json()) as { versions: unknown[] }).versions.length;
  };
  await waitUntil('version 1 of the added source', async () => (await versions()) === 1, { describe: () => wd.tail() });

  page = { ...page, paragraphs: ['Negotiators said a draft was agreed overnight.', ...page.paragraphs] };
  const polled = await cli(tmp.dir, ['poll', 'doha', '--url', wd.url]);
  expect(polled.err).toBe('');
  expect(polled.out).toMatch(/^doha: new-version v2/m);
  expect(polled.code).toBe(0);
  expect(await versions()).toBe(2);

  const wrongToken = await cli(tmp.dir, ['poll', 'doha', '--url', wd.url, '--token', 'nope']);
  expect(wrongToken.code).toBe(2);
  expect(wrongToken.err).toContain('E_UNAUTHORIZED');
  const unknown = await cli(tmp.dir, ['poll', 'no-such-thing', '--url', wd.url]);
  expect(unknown.code).toBe(2);
  expect(unknown.err).toContain('no source "no-such-thing"');

  const stopped = await wd.stop();
  expect(stopped.code).toBe(0);
});
