import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  DEFAULT_TIERS,
  defaultConfig,
  formatDuration,
  loadConfig,
  loadConfigFor,
  parseConfig,
  parseDuration,
  starterConfigFile,
} from '../src/config/config.js';
import { isWirediffError } from '../src/core/errors.js';
import { storeTargetFor } from '../src/store/open.js';
import { tempDir } from './support/temp.js';

function errorOf(json: unknown): string {
  try {
    parseConfig(json, 'wirediff.config.json');
  } catch (err) {
    expect(isWirediffError(err, 'E_CONFIG')).toBe(true);
    return (err as Error).message;
  }
  throw new Error('expected the config to be refused');
}

describe('config errors name the field, what was expected and what was found', () => {
  test.each([
    [
      {
        sources: [
          { kind: 'dir', path: 'a' },
          { kind: 'url', url: 'https://x.test/' },
          { kind: 'url', url: 'https://y.test/', schedule: 'every minute' },
        ],
      },
      'Expected `sources[2].schedule` to be a cron expression such as "*/5 * * * *", got `every minute` (string)',
    ],
    [
      { sources: [{ kind: 'web', url: 'https://x.test/' }] },
      'Expected `sources[0].kind` to be one of "url", "feed", "file", "dir", got `web` (string)',
    ],
    [
      { sources: [{ kind: 'url', url: 'ftp://x.test/' }] },
      'Expected `sources[0].url` to be an http: or https: URL, got `ftp://x.test/` (string)',
    ],
    [{ sources: [{ kind: 'dir' }] }, 'Expected `sources[0].path` to be a string, but it is missing'],
    [{ sources: [{ kind: 'file', path: 'a.txt', id: 'Bad Id' }] }, 'Expected `sources[0].id` to be an article id'],
    [{ sources: [{ kind: 'dir', path: 'a', id: 'x' }] }, 'Expected no field `sources[0].id`'],
    [
      { sources: [{ kind: 'file', path: 'a.txt', id: 'all' }] },
      'Expected `sources[0].id` to be an article id other than "all" (reserved for the combined feed), got `all` (string)',
    ],
    [{ watch: { minArticleChars: 0 } }, 'Expected `watch.minArticleChars` to be a number >= 1, got `0` (number)'],
    [{ server: { port: 70000 } }, 'Expected `server.port` to be a number <= 65535, got `70000` (number)'],
    [{ server: { port: '8080' } }, 'Expected `server.port` to be a number, got `8080` (string)'],
    [{ server: { publicUrl: 'news.example.org' } }, 'Expected `server.publicUrl` to be an http: or https: URL'],
    [
      { fetch: { timeout: 'soon' } },
      'Expected `fetch.timeout` to be a positive duration like "30s", "15m", "2h", "1d" or a number of milliseconds, got `soon` (string)',
    ],
    [
      { fetch: { allowPrivateNetwork: 'yes' } },
      'Expected `fetch.allowPrivateNetwork` to be a boolean, got `yes` (string)',
    ],
    [{ watch: { concurrency: 0 } }, 'Expected `watch.concurrency` to be a number >= 1, got `0` (number)'],
    [{ watch: { variantWindow: 2.5 } }, 'Expected `watch.variantWindow` to be an integer, got `2.5` (number)'],
    [{ watch: { tiers: [] } }, 'Expected `watch.tiers` to be an array of >= 1 items, got an array of 0'],
    [
      { watch: { tiers: [{ name: 'hot', every: '5 minutes' }] } },
      'Expected `watch.tiers[0].every` to be a positive duration',
    ],
    [{ storeDir: 3 }, 'Expected `storeDir` to be a string, got `3` (number)'],
    [{ sourcez: [] }, 'Expected no field `sourcez` (unknown; did you mean "sources"?), got an array of 0'],
    [
      { watch: { concurency: 2 } },
      'Expected no field `watch.concurency` (unknown; did you mean "concurrency"?), got `2` (number)',
    ],
    [{ colour: 'red' }, 'Expected no field `colour` (unknown; check the spelling), got `red` (string)'],
    // A typo in the server section must not pass silently (allowedOrigin would leave /live open to every origin).
    [
      { server: { allowedOrigin: ['https://a.test'] } },
      'Expected no field `server.allowedOrigin` (unknown; did you mean "allowedOrigins"?), got an array of 1',
    ],
    [{ server: { feedTitle: 'My wire' } }, 'Expected no field `server.feedTitle`'],
    [
      { fetch: { allowedAddresses: ['10.1.0.0/16', 'not-an-ip'] } },
      'Expected `fetch.allowedAddresses[1]` to be an IP address or CIDR range such as "10.1.2.3" or "10.1.0.0/16", got `not-an-ip` (string)',
    ],
    [
      { fetch: { allowedAddresses: ['10.1.0.0/99'] } },
      'Expected `fetch.allowedAddresses[0]` to be an IP address or CIDR',
    ],
    [[], 'Expected the config to be an object, got an array of 0'],
    [
      {
        sources: [
          { kind: 'url', url: 'https://x.test/1', id: 'same' },
          { kind: 'file', path: 'b.txt', id: 'same' },
        ],
      },
      'Expected `sources[1].id` to be an id not used by another source, got `same` (string) (also sources[0].id)',
    ],
  ])('%j', (json, message) => {
    const text = errorOf(json);
    expect(text).toContain('wirediff.config.json: invalid config');
    expect(text).toContain(message);
  });

  test('every problem is listed, one per line', () => {
    const text = errorOf({ storeDir: 1, feedsDir: 2, watch: { concurrency: 'x' } });
    expect(text.split('\n')).toHaveLength(4);
  });
});

describe('defaults', () => {
  test('the default config watches articles/ offline, with every default filled in', () => {
    const c = defaultConfig('/srv/news');
    expect(c.sources).toEqual([{ kind: 'dir', path: '/srv/news/articles' }]);
    expect(c.storeDir).toBe('/srv/news/snapshots');
    expect(c.feedsDir).toBe('/srv/news/feeds');
    expect(c.server).toMatchObject({ host: '127.0.0.1', port: 8080, feedItems: 50 });
    expect(c.fetch).toMatchObject({
      timeout: 30_000,
      maxBytes: 5 * 1024 * 1024,
      maxRedirects: 5,
      allowPrivateNetwork: false,
    });
    expect(c.watch).toMatchObject({
      concurrency: 4,
      variantWindow: 5,
      minArticleChars: 25,
      debounce: 300,
      cron: { url: '*/5 * * * *', dir: '* * * * *' },
    });
    expect(c.watch.tiers.map((t) => t.name)).toEqual(DEFAULT_TIERS.map((t) => t.name));
  });

  test('an empty object is a valid config (no sources)', () => {
    expect(parseConfig({}, 'x').sources).toEqual([]);
  });

  test('server.publicUrl: an http(s) address, without a trailing slash', () => {
    expect(parseConfig({ server: { publicUrl: 'https://news.example.org/wd/' } }, 'x').server.publicUrl).toBe(
      'https://news.example.org/wd',
    );
    expect(parseConfig({}, 'x').server.publicUrl).toBeUndefined();
  });

  test('store.retainEvents / retainBytes reach the file store target; live settings have defaults', () => {
    const c = parseConfig({ store: { retainEvents: 500, retainBytes: 64 * 1024 * 1024 } }, 'x');
    expect(storeTargetFor(c)).toMatchObject({ kind: 'file', retainEvents: 500, retainBytes: 64 * 1024 * 1024 });
    expect(parseConfig({}, 'x').server.live).toEqual({
      requireToken: false,
      maxBufferedBytes: 1024 * 1024,
      heartbeat: 30_000,
    });
    expect(errorOf({ store: { kind: 'postgres', url: 'postgres://x@127.0.0.1/db', retainEvents: 10 } })).toContain(
      'Expected `store.retainEvents` to be left out with kind "postgres" (store.retainEvents applies to the file store; ' +
        'the PostgreSQL store serves its whole log), got `10` (number)',
    );
    expect(errorOf({ store: { retainBytes: 10 } })).toContain('store.retainBytes');
    expect(errorOf({ server: { live: { maxBufferedBytes: 10 } } })).toContain('server.live.maxBufferedBytes');
  });

  test('durations', () => {
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('2 d')).toBe(172_800_000);
    expect(parseDuration('soon')).toBeUndefined();
    expect(formatDuration(300_000)).toBe('5m');
    expect(formatDuration(604_800_000)).toBe('1w');
    expect(parseConfig({ watch: { tiers: [{ name: 'all', every: 60_000 }] } }, 'x').watch.tiers[0]!.every).toBe(60_000);
  });
});

describe('loading', () => {
  let tmp: { dir: string; cleanup(): Promise<void> };
  beforeEach(async () => {
    tmp = await tempDir('wirediff-config-');
  });
  afterEach(async () => {
    await tmp.cleanup();
  });

  test('relative paths are resolved against the config file folder', async () => {
    const sub = path.join(tmp.dir, 'conf');
    await mkdir(sub);
    const file = path.join(sub, 'wirediff.config.json');
    await writeFile(file, JSON.stringify({ storeDir: 'data', sources: [{ kind: 'file', path: '../a.txt' }] }));
    const c = await loadConfig(file);
    expect(c.storeDir).toBe(path.join(sub, 'data'));
    expect(c.sources[0]).toEqual({ kind: 'file', path: path.join(tmp.dir, 'a.txt') });
  });

  test('a missing file, bad JSON and an invalid config say what to do / what is wrong', async () => {
    await expect(loadConfig(path.join(tmp.dir, 'nope.json'))).rejects.toThrow(
      /no such config file \(run "wirediff init"/,
    );
    await expect(loadConfig(tmp.dir)).rejects.toThrow(/^cannot read the config file: .+ is a folder, not a file$/);
    const bad = path.join(tmp.dir, 'bad.json');
    await writeFile(bad, '{ "storeDir": ');
    await expect(loadConfig(bad)).rejects.toThrow(/bad\.json: expected JSON, got a parse error/);
    await writeFile(bad, '{ "watch": { "concurrency": -1 } }');
    await expect(loadConfig(bad)).rejects.toThrow(
      /Expected `watch\.concurrency` to be a number >= 1, got `-1` \(number\)/,
    );
  });

  test('loadConfigFor: the default file when present, else the default config; a named file must exist', async () => {
    const none = await loadConfigFor(tmp.dir);
    expect(none.fromFile).toBe(false);
    expect(none.config.sources).toEqual([{ kind: 'dir', path: path.join(tmp.dir, 'articles') }]);
    await expect(loadConfigFor(tmp.dir, 'other.json')).rejects.toThrow(/no such config file/);
    await writeFile(path.join(tmp.dir, 'wirediff.config.json'), JSON.stringify(starterConfigFile()));
    const found = await loadConfigFor(tmp.dir);
    expect(found.fromFile).toBe(true);
  });
});
