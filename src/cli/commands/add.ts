/**
 * `wirediff add URL|FILE|DIR`: adds a source to the config. An http(s) URL is fetched once to tell a feed (by its
 * content type or root element) from an article page; a folder becomes a `dir` source, a file a `file` source.
 * The new config is validated before it is written (atomically and durably, lib/atomic-write.ts).
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Command } from 'commander';
import { validate as validateCron } from 'node-cron';
import {
  DEFAULT_CONFIG_FILE,
  parseConfig,
  starterConfigFile,
  type ConfigFile,
  type SourceConfig,
} from '../../config/config.js';
import { isWirediffError, WirediffError } from '../../core/errors.js';
import { isArticleId } from '../../core/model/version.js';
import { writeFileAtomic } from '../../lib/atomic-write.js';
import { fsyncDirIfSupported } from '../../lib/dir-sync.js';
import { defaultFetchOptions, fetchDocument, parseFeed, type FetchResult } from '../../sources/index.js';
import { sourceLocator } from '../../watch/options.js';
import { EXIT, type CliContext } from '../context.js';
import { ARTICLES_README } from './init.js';

type SourceEntry = NonNullable<ConfigFile['sources']>[number];

export interface AddOptions {
  readonly cwd: string;
  readonly config?: string;
  readonly target: string;
  /** Skip detection. */
  readonly kind?: 'url' | 'feed' | 'file' | 'dir';
  readonly id?: string;
  readonly schedule?: string;
  /** For URLs on loopback/private addresses (also used for the detection fetch). */
  readonly allowPrivateNetwork?: boolean;
}

export interface AddResult {
  readonly configPath: string;
  readonly createdConfig: boolean;
  readonly index: number;
  readonly source: SourceEntry;
  /** How the kind was decided. */
  readonly detectedBy: string;
  /** With a new config file: the folders its other sources watch, created (the starter's articles/). */
  readonly createdFolders: readonly string[];
}

const FEED_TYPES = /(rss|atom|feed\+json|rdf)/i;
const FEED_ROOT = /^\s*(?:\uFEFF)?(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<(rss|feed|rdf:RDF)\b/i;

/** Tells a feed from an article page, from a fetched answer. */
export function looksLikeFeed(res: Pick<FetchResult, 'contentType' | 'text' | 'url'>): { feed: boolean; why: string } {
  const type = res.contentType.toLowerCase();
  const byType = FEED_TYPES.test(type);
  const root = FEED_ROOT.exec(res.text);
  const jsonFeed = /json/.test(type) && /"version"\s*:\s*"https:\/\/jsonfeed\.org/.test(res.text);
  if (!byType && !root && !jsonFeed)
    return { feed: false, why: `content type ${type || '(none)'}, no feed root element` };
  try {
    parseFeed(res.text, res.url);
    return { feed: true, why: byType ? `content type ${type}` : root ? `root element <${root[1]}>` : 'JSON Feed' };
  } catch {
    return { feed: false, why: `looked like a feed (${type}) but did not parse as one` };
  }
}

async function readConfigJson(configPath: string): Promise<{ json: ConfigFile; created: boolean }> {
  let text: string;
  try {
    text = await readFile(configPath, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { json: starterConfigFile(), created: true };
    throw new WirediffError('E_CONFIG', `cannot read ${configPath}: ${(err as Error).message}`, { cause: err });
  }
  try {
    return { json: JSON.parse(text) as ConfigFile, created: false };
  } catch (err) {
    throw new WirediffError('E_CONFIG', `${configPath}: expected JSON, got a parse error: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

/** Fetch failures where the address may be fine but the check could not reach it (down, offline, slow). */
const NETWORK_CODES = new Set(['E_FETCH', 'E_FETCH_TIMEOUT']);

/**
 * The flags' own checks, before anything is fetched or merged: a bad `--schedule` or `--id` is named as the flag
 * the user typed, not as a `sources[N]` field of the config file.
 */
function checkFlags(opts: AddOptions, before: { readonly sources: readonly SourceConfig[] }): void {
  if (opts.schedule !== undefined && !validateCron(opts.schedule)) {
    throw new WirediffError(
      'E_USAGE',
      `--schedule ${JSON.stringify(opts.schedule)}: expected a cron expression (minute hour day-of-month month ` +
        'day-of-week, an optional seconds field first) such as "*/15 * * * *" (every 15 minutes)',
    );
  }
  if (opts.id !== undefined) {
    if (!isArticleId(opts.id)) {
      throw new WirediffError(
        'E_USAGE',
        `--id ${JSON.stringify(opts.id)}: expected an article id (lower-case letters, digits, "-", "_", "."; ` +
          '1-120 characters, starting with a letter or digit)',
      );
    }
    const dup = before.sources.findIndex((s) => 'id' in s && s.id === opts.id);
    if (dup >= 0) {
      throw new WirediffError(
        'E_USAGE',
        `--id ${JSON.stringify(opts.id)}: already the id of sources[${dup}] (${sourceLocator(before.sources[dup]!)}); pick another`,
      );
    }
  }
}

/** With a new config file, the folders its dir sources watch (the starter's articles/) are made, as init does. */
async function makeWatchedFolders(config: { readonly sources: readonly SourceConfig[] }): Promise<string[]> {
  const made: string[] = [];
  for (const s of config.sources) {
    if (s.kind !== 'dir') continue;
    await mkdir(s.path, { recursive: true });
    // No extension: not an article file, so the watcher ignores it.
    await writeFile(path.join(s.path, 'README'), ARTICLES_README, { flag: 'wx' }).catch((err: unknown) => {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    });
    made.push(s.path);
  }
  return made;
}

export async function runAdd(opts: AddOptions): Promise<AddResult> {
  const configPath = path.resolve(opts.cwd, opts.config ?? DEFAULT_CONFIG_FILE);
  const baseDir = path.dirname(configPath);
  const { json, created } = await readConfigJson(configPath);
  // The existing config must be valid before we touch it.
  const before = parseConfig(json, configPath, { baseDir });
  checkFlags(opts, before);

  const target = opts.target.trim();
  let source: SourceEntry;
  let detectedBy: string;
  const extra = {
    ...(opts.id !== undefined ? { id: opts.id } : {}),
    ...(opts.schedule !== undefined ? { schedule: opts.schedule } : {}),
  };
  if (/^https?:\/\//i.test(target) || opts.kind === 'url' || opts.kind === 'feed') {
    let kind = opts.kind;
    if (kind === 'file' || kind === 'dir') {
      throw new WirediffError('E_USAGE', `--kind ${kind} needs a path, got the URL ${target}`);
    }
    if (kind === undefined) {
      let res: FetchResult;
      try {
        res = await fetchDocument(target, {
          ...defaultFetchOptions(),
          timeoutMs: before.fetch.timeout,
          maxBytes: before.fetch.maxBytes,
          maxRedirects: before.fetch.maxRedirects,
          userAgent: before.fetch.userAgent,
          allowPrivateNetwork: opts.allowPrivateNetwork ?? before.fetch.allowPrivateNetwork,
          ...(before.fetch.allowedAddresses !== undefined ? { allowedAddresses: before.fetch.allowedAddresses } : {}),
        });
      } catch (err) {
        if (isWirediffError(err) && NETWORK_CODES.has(err.code)) {
          throw new WirediffError(
            err.code,
            `${err.message}\n(add fetches a URL once to tell a feed from a page; to add it without fetching, give ` +
              `its kind: "wirediff add ${target} --kind url", or --kind feed for a feed)`,
            { cause: err },
          );
        }
        throw err;
      }
      if (res.status < 200 || res.status > 299) {
        throw new WirediffError(
          'E_FETCH_STATUS',
          `${target}: HTTP ${res.status}; check the address, or add it anyway with --kind url or --kind feed`,
        );
      }
      const verdict = looksLikeFeed(res);
      kind = verdict.feed ? 'feed' : 'url';
      detectedBy = verdict.why;
    } else {
      detectedBy = '--kind';
    }
    const { id, ...feedExtra } = extra;
    source =
      kind === 'feed'
        ? {
            kind: 'feed',
            url: target,
            ...feedExtra,
            ...(opts.allowPrivateNetwork ? { allowPrivateNetwork: true } : {}),
          }
        : {
            kind: 'url',
            url: target,
            ...(id !== undefined ? { id } : {}),
            ...feedExtra,
            ...(opts.allowPrivateNetwork ? { allowPrivateNetwork: true } : {}),
          };
  } else {
    const abs = path.resolve(opts.cwd, target);
    let st;
    try {
      st = await stat(abs);
    } catch (err) {
      throw new WirediffError(
        'E_NOT_FOUND',
        `${target}: no such file or folder (give an http(s) URL, an article file or a folder)`,
        { cause: err },
      );
    }
    const kind = opts.kind ?? (st.isDirectory() ? 'dir' : 'file');
    if (kind === 'dir' && !st.isDirectory()) throw new WirediffError('E_USAGE', `${target}: --kind dir needs a folder`);
    if (kind === 'file' && !st.isFile()) throw new WirediffError('E_USAGE', `${target}: --kind file needs a file`);
    detectedBy = st.isDirectory() ? 'a folder' : 'a file';
    const rel = path.relative(baseDir, abs);
    const stored = rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
    const { id, ...rest } = extra;
    source =
      kind === 'dir'
        ? { kind: 'dir', path: stored, ...(rest.schedule !== undefined ? { schedule: rest.schedule } : {}) }
        : { kind: 'file', path: stored, ...(id !== undefined ? { id } : {}), ...rest };
  }

  const next: ConfigFile = { ...json, sources: [...(json.sources ?? []), source] };
  // Names the field if the new source is wrong (e.g. a bad --schedule: `sources[5].schedule: ...`).
  const after = parseConfig(next, configPath, { baseDir });
  // Refuse a duplicate (same URL or same resolved path).
  const probe = after.sources[after.sources.length - 1]!;
  const dup = before.sources.findIndex(
    (s: SourceConfig) => s.kind === probe.kind && sourceLocator(s) === sourceLocator(probe),
  );
  if (dup >= 0) {
    throw new WirediffError('E_USAGE', `${target} is already watched (sources[${dup}] in ${configPath})`);
  }
  // The user's file: the mode writeFile would give it; a folder that cannot be fsynced does not fail the command.
  await writeFileAtomic(configPath, JSON.stringify(next, null, 2) + '\n', {
    mode: 0o666,
    syncDir: fsyncDirIfSupported,
  });
  const createdFolders = created ? await makeWatchedFolders(before) : [];
  return { configPath, createdConfig: created, index: next.sources!.length - 1, source, detectedBy, createdFolders };
}

export function renderAdd(r: AddResult, cwd: string): string {
  const where = 'url' in r.source ? r.source.url : r.source.path;
  return (
    `Added sources[${r.index}]: ${r.source.kind} ${where} (${r.detectedBy}) to ${path.relative(cwd, r.configPath) || r.configPath}` +
    `${r.createdConfig ? ' (new config file)' : ''}.\n` +
    (r.createdFolders.length > 0
      ? `The new config also watches ${r.createdFolders.map((d) => `${path.relative(cwd, d) || d}/`).join(', ')} (created).\n`
      : '') +
    `A running "wirediff watch" reloads the config and starts watching it now (no restart needed); otherwise run ` +
    `"wirediff watch". "wirediff poll ${r.index}" polls it at once through a running server.\n`
  );
}

export function registerAdd(program: Command, ctx: CliContext): void {
  program
    .command('add')
    .summary('add a source to watch: a web page, a feed, a file or a folder')
    .description(
      'Add a source to the config. An http(s) URL is fetched once to tell an RSS/Atom/JSON feed (each item becomes ' +
        'a watched article) from an article page; a folder watches every article file in it; a file watches that file.',
    )
    .argument('<target>', 'an http(s) URL, an article file (.txt, .md, .html) or a folder')
    .option('-c, --config <file>', 'the config file', DEFAULT_CONFIG_FILE)
    .option('--kind <kind>', 'skip detection: url, feed, file or dir')
    .option('--id <id>', 'the article id (url and file sources)')
    .option('--schedule <cron>', 'cron schedule for this source, e.g. "*/15 * * * *"')
    .option('--allow-private-network', 'allow a URL on a loopback or private address')
    .addHelpText(
      'after',
      `
Examples:
  $ wirediff add https://apnews.com/hub/world-news/rss
  $ wirediff add https://example.com/news/story-123 --schedule "*/10 * * * *"
  $ wirediff add ./drafts
  $ wirediff add ./story.html --id my-story`,
    )
    .action(
      async (
        target: string,
        opts: { config: string; kind?: string; id?: string; schedule?: string; allowPrivateNetwork?: boolean },
      ) => {
        if (opts.kind !== undefined && !['url', 'feed', 'file', 'dir'].includes(opts.kind)) {
          throw new WirediffError('E_USAGE', `--kind: expected one of url, feed, file, dir, got "${opts.kind}"`);
        }
        const r = await runAdd({
          cwd: ctx.cwd,
          config: opts.config,
          target,
          ...(opts.kind !== undefined ? { kind: opts.kind as AddOptions['kind'] } : {}),
          ...(opts.id !== undefined ? { id: opts.id } : {}),
          ...(opts.schedule !== undefined ? { schedule: opts.schedule } : {}),
          ...(opts.allowPrivateNetwork === true ? { allowPrivateNetwork: true } : {}),
        });
        ctx.stdout.write(renderAdd(r, ctx.cwd));
        ctx.exitCode = EXIT.ok;
      },
    );
}
