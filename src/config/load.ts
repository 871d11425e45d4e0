/**
 * Loading the config: reading the file, validating it against the schema (every problem listed, one per line, as
 * `E_CONFIG`), resolving its paths, and the default config used when there is no file.
 *
 * Paths in the file (storeDir, feedsDir, file and dir sources) are relative to the folder holding the config file;
 * `parseConfig(..., { baseDir })` and `loadConfig` return them resolved to absolute paths.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { WirediffError, isWirediffError } from '../core/errors.js';
import { expectedField } from '../core/expect.js';
import { fileErrorWords } from '../lib/file-errors.js';
import { formatIssue, type IssueLike } from './issues.js';
import { configSchema, type Config, type ConfigFile } from './schema.js';

/** The config file name looked up in the working folder. */
export const DEFAULT_CONFIG_FILE = 'wirediff.config.json';

/** The folder watched when there is no config file. */
export const DEFAULT_ARTICLES_DIR = 'articles';

/**
 * Validates a parsed JSON value as a config. `origin` names where it came from (a file path) in error messages.
 * With `baseDir`, relative paths (storeDir, feedsDir, source paths) are resolved against it.
 * Throws `WirediffError('E_CONFIG')` whose message lists every problem, one per line.
 */
export function parseConfig(json: unknown, origin: string, options: { baseDir?: string } = {}): Config {
  const result = configSchema.safeParse(json, { reportInput: true });
  if (!result.success) {
    const lines = result.error.issues.flatMap((i) => formatIssue(i as IssueLike));
    throw new WirediffError('E_CONFIG', `${origin}: invalid config\n  ${lines.join('\n  ')}`, { cause: result.error });
  }
  const config = result.data;
  const problems: string[] = [];
  config.sources.forEach((s, i) => {
    if ('id' in s && s.id !== undefined) {
      const dup = config.sources.findIndex((o, j) => j < i && 'id' in o && o.id === s.id);
      if (dup >= 0)
        problems.push(
          `${expectedField(`sources[${i}].id`, 'an id not used by another source', s.id)} (also sources[${dup}].id)`,
        );
    }
  });
  if (problems.length > 0) throw new WirediffError('E_CONFIG', `${origin}: invalid config\n  ${problems.join('\n  ')}`);
  return options.baseDir === undefined ? config : resolvePaths(config, options.baseDir);
}

function resolvePaths(config: Config, baseDir: string): Config {
  return {
    ...config,
    storeDir: path.resolve(baseDir, config.storeDir),
    feedsDir: path.resolve(baseDir, config.feedsDir),
    sources: config.sources.map((s) =>
      s.kind === 'file' || s.kind === 'dir' ? { ...s, path: path.resolve(baseDir, s.path) } : s,
    ),
  };
}

/**
 * Reads and validates a config file. Relative paths are resolved against the file's folder.
 * Throws `E_CONFIG` when the file is missing, is not JSON or does not validate.
 */
export async function loadConfig(file: string): Promise<Config> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new WirediffError(
      'E_CONFIG',
      code === 'ENOENT'
        ? `${file}: no such config file (run "wirediff init" to write one)`
        : `cannot read the config file: ${fileErrorWords(file, code) ?? `${file} (${code ?? String(err)})`}`,
      { cause: err },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch (err) {
    throw new WirediffError('E_CONFIG', `${file}: expected JSON, got a parse error: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return parseConfig(json, file, { baseDir: path.dirname(path.resolve(file)) });
}

/** The config used with no config file: watch the `articles/` folder under `baseDir`, offline. */
export function defaultConfig(baseDir: string = process.cwd()): Config {
  return parseConfig(starterConfigFile(), '(default config)', { baseDir });
}

/** The config `wirediff init` writes (and that `defaultConfig` is built from). */
export function starterConfigFile(): ConfigFile {
  return {
    storeDir: 'snapshots',
    feedsDir: 'feeds',
    server: { host: '127.0.0.1', port: 8080 },
    fetch: { allowPrivateNetwork: false },
    watch: { concurrency: 4, variantWindow: 5 },
    sources: [{ kind: 'dir', path: DEFAULT_ARTICLES_DIR }],
  };
}

/**
 * Loads `file`; when it does not exist and `fallbackToDefault` is set (the user did not name a config file),
 * returns `defaultConfig(dirname(file))` instead. Other errors are thrown as they are.
 */
export async function loadConfigOrDefault(
  file: string,
  fallbackToDefault: boolean,
): Promise<{ config: Config; fromFile: boolean }> {
  try {
    return { config: await loadConfig(file), fromFile: true };
  } catch (err) {
    if (
      fallbackToDefault &&
      isWirediffError(err, 'E_CONFIG') &&
      (err.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT'
    ) {
      return { config: defaultConfig(path.dirname(path.resolve(file))), fromFile: false };
    }
    throw err;
  }
}

/**
 * The CLI's config lookup: the file named with `--config` (must exist), else `wirediff.config.json` in `cwd`,
 * else the default config (watch `articles/` in `cwd`).
 */
export async function loadConfigFor(
  cwd: string,
  file?: string,
): Promise<{ config: Config; path: string; fromFile: boolean }> {
  const p = path.resolve(cwd, file ?? DEFAULT_CONFIG_FILE);
  const { config, fromFile } = await loadConfigOrDefault(p, file === undefined);
  return { config, path: p, fromFile };
}
