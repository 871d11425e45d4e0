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
import { tempDir } from './watch/helpers.js';

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
      'sources[2].schedule: expected a cron expression such as "*/5 * * * *", got "every minute"',
    ],
    [
      { sources: [{ kind: 'web', url: 'https://x.test/' }] },
      'sources[0].kind: expected one of "url", "feed", "file", "dir", got "web"',
    ],
    [
      { sources: [{ kind: 'url', url: 'ftp://x.test/' }] },
      'sources[0].url: expected an http: or https: URL, got "ftp://x.test/"',
    ],
    [{ sources: [{ kind: 'dir' }] }, 'sources[0].path: expected a string, got nothing'],
    [{ sources: [{ kind: 'file', path: 'a.txt', id: 'Bad Id' }] }, 'sources[0].id: expected an article id'],
    [{ sources: [{ kind: 'dir', path: 'a', id: 'x' }] }, 'sources[0].id: expected no such field'],
    [
      { sources: [{ kind: 'file', path: 'a.txt', id: 'all' }] },
      'sources[0].id: expected an article id other than "all" (reserved for the combined feed), got "all"',
    ],
    [{ watch: { minArticleChars: 0 } }, 'watch.minArticleChars: expected a number >= 1, got 0'],
    [{ server: { port: 70000 } }, 'server.port: expected a number <= 65535, got 70000'],
    [{ server: { port: '8080' } }, 'server.port: expected a number, got "8080"'],
    [{ server: { publicUrl: 'news.example.org' } }, 'server.publicUrl: expected an http: or https: URL'],
    [
      { fetch: { timeout: 'soon' } },
      'fetch.timeout: expected a positive duration like "30s", "15m", "2h", "1d" or a number of milliseconds, got "soon"',
    ],
    [{ fetch: { allowPrivateNetwork: 'yes' } }, 'fetch.allowPrivateNetwork: expected a boolean, got "yes"'],
    [{ watch: { concurrency: 0 } }, 'watch.concurrency: expected a number >= 1, got 0'],
    [{ watch: { variantWindow: 2.5 } }, 'watch.variantWindow: expected an integer, got 2.5'],
    [{ watch: { tiers: [] } }, 'watch.tiers: expected >= 1 items, got an array of 0'],
    [{ watch: { tiers: [{ name: 'hot', every: '5 minutes' }] } }, 'watch.tiers[0].every: expected a positive duration'],
    [{ storeDir: 3 }, 'storeDir: expected a string, got 3'],
    [{ sourcez: [] }, 'sourcez: expected no such field (unknown; did you mean "sources"?), got an array of 0'],
    [
      { watch: { concurency: 2 } },
      'watch.concurency: expected no such field (unknown; did you mean "concurrency"?), got 2',
    ],
    [{ colour: 'red' }, 'colour: expected no such field (unknown; check the spelling), got "red"'],
    // A typo in the server section must not pass silently (allowedOrigin would leave /live open to every origin).
    [
      { server: { allowedOrigin: ['https://a.test'] } },
      'server.allowedOrigin: expected no such field (unknown; did you mean "allowedOrigins"?), got an array of 1',
    ],
    [{ server: { feedTitle: 'My wire' } }, 'server.feedTitle: expected no such field'],
    [
      { fetch: { allowedAddresses: ['10.1.0.0/16', 'not-an-ip'] } },
      'fetch.allowedAddresses[1]: expected an IP address or CIDR range such as "10.1.2.3" or "10.1.0.0/16", got "not-an-ip"',
    ],
    [{ fetch: { allowedAddresses: ['10.1.0.0/99'] } }, 'fetch.allowedAddresses[0]: expected an IP address or CIDR'],
    [[], '(top level): expected an object, got an array of 0'],
    [
      {
        sources: [
          { kind: 'url', url: 'https://x.test/1', id: 'same' },
          { kind: 'file', path: 'b.txt', id: 'same' },
        ],
      },
      'sources[1].id: expected an id not used by another source, got "same" (also sources[0].id)',
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
      'store.retainEvents applies to the file store',
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
    await expect(loadConfig(bad)).rejects.toThrow(/watch\.concurrency: expected a number >= 1, got -1/);
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
