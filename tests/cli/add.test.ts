/**
 * `wirediff add` as a new user meets it: in a folder without a config it makes the articles/ folder the new config
 * watches (as init does); flag mistakes are named as the flag, not as a field of the config file; a URL that cannot
 * be reached for the detection fetch suggests adding it with --kind.
 */
import { existsSync } from 'node:fs';
import { copyFile, readdir, readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { beforeEach, describe, expect, test } from 'vitest';
import { AP_FILES } from './helpers.js';
import { cli } from './history-fixture.js';
import { tempDirEach } from '../support/temp.js';

const tmp = tempDirEach('wirediff-add-');

const configFile = (): string => path.join(tmp.dir, 'wirediff.config.json');

describe('wirediff add without a config file', () => {
  test('writes the config and creates the articles/ folder its first source watches; watch --once then reads it', async () => {
    await copyFile(AP_FILES[0]!, path.join(tmp.dir, 'story.txt'));
    const r = await cli(tmp.dir, ['add', 'story.txt']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('articles/ (created)');
    expect(existsSync(path.join(tmp.dir, 'articles'))).toBe(true);
    const json = JSON.parse(await readFile(configFile(), 'utf8')) as { sources: { kind: string; path: string }[] };
    expect(json.sources).toEqual([
      { kind: 'dir', path: 'articles' },
      { kind: 'file', path: 'story.txt' },
    ]);
    // Written atomically (lib/atomic-write.ts): no temp file left, the mode writeFile would give it.
    expect((await readdir(tmp.dir)).filter((n) => n.startsWith('.'))).toEqual([]);
    expect((await stat(configFile())).mode & 0o777).toBe(0o666 & ~process.umask());
    const once = await cli(tmp.dir, ['watch', '--once', '--log-level', 'silent']);
    expect(once.out).toMatch(/^story: new-version v1/m);
    expect(once.out).not.toContain('error');
    expect(once.code).toBe(0);
  });
});

describe('wirediff add flag mistakes name the flag', () => {
  beforeEach(async () => {
    await cli(tmp.dir, ['init']);
  });

  test('--schedule that is not a cron expression', async () => {
    const before = await readFile(configFile(), 'utf8');
    const r = await cli(tmp.dir, ['add', 'https://example.com/y', '--kind', 'url', '--schedule', 'every minute']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^wirediff: --schedule "every minute": expected a cron expression .*"\*\/15 \* \* \* \*"/);
    expect(r.err).not.toContain('invalid config');
    expect(r.err).not.toContain('sources[');
    expect(await readFile(configFile(), 'utf8')).toBe(before);
  });

  test('--id that is not an article id, or is taken', async () => {
    const bad = await cli(tmp.dir, ['add', 'https://example.com/y', '--kind', 'url', '--id', 'Bad Id']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^wirediff: --id "Bad Id": expected an article id/);
    expect(bad.err).not.toContain('sources[');
    expect((await cli(tmp.dir, ['add', 'https://example.com/a', '--kind', 'url', '--id', 'a'])).code).toBe(0);
    const taken = await cli(tmp.dir, ['add', 'https://example.com/b', '--kind', 'url', '--id', 'a']);
    expect(taken.code).toBe(2);
    expect(taken.err).toContain('--id "a": already the id of sources[1] (https://example.com/a)');
  });

  test('a URL that cannot be reached suggests --kind url, which adds it without fetching', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}/story`;
    const r = await cli(tmp.dir, ['add', url, '--allow-private-network']);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`"wirediff add ${url} --kind url"`);
    const again = await cli(tmp.dir, ['add', url, '--allow-private-network', '--kind', 'url']);
    expect(again.code).toBe(0);
    expect(again.out).toContain(`url ${url} (--kind)`);
  });
});

/** A port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
