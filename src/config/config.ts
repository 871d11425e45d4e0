/**
 * The config file (`wirediff.config.json`): its schema, its defaults, and errors that name the field, what was
 * expected and what was found (`E_CONFIG`). With no config file, `defaultConfig()` watches the `articles/` folder
 * offline.
 *
 * Paths in the file (storeDir, feedsDir, file and dir sources) are relative to the folder holding the config file;
 * `parseConfig(..., { baseDir })` and `loadConfig` return them resolved to absolute paths.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { validate as validateCron } from 'node-cron';
import { z } from 'zod';
import { WirediffError, isWirediffError } from '../core/errors.js';
import { KIND_ORDER } from '../core/model/kinds.js';
import { isArticleId } from '../core/model/version.js';
import { parseAllowedAddress } from '../sources/address-guard.js';
import { isReservedArticleId } from '../sources/article-id.js';
import { fileErrorWords } from '../sources/file.js';
import { DEFAULT_MIN_ARTICLE_CHARS } from '../ingest/ingest.js';

/** The config file name looked up in the working folder. */
export const DEFAULT_CONFIG_FILE = 'wirediff.config.json';

/** The folder watched when there is no config file. */
export const DEFAULT_ARTICLES_DIR = 'articles';

/** Default cron schedules per source kind (node-cron syntax; a leading seconds field is allowed). */
export const DEFAULT_CRON = {
  url: '*/5 * * * *',
  feed: '*/5 * * * *',
  file: '* * * * *',
  dir: '* * * * *',
} as const;

// ---------------------------------------------------------------------------------------------------------------
// Durations: "30s", "15m", "2h", "1d", "1w" or a number of milliseconds.

const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/** Parses `"15m"`-style durations into milliseconds; undefined when the text is not one. */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)\s*$/.exec(text);
  if (!m) return undefined;
  const unit = DURATION_UNITS[m[2]!];
  if (unit === undefined) return undefined;
  return Math.round(Number(m[1]) * unit);
}

/** Formats milliseconds as the largest whole unit: 300000 → "5m". */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [
    ['w', DURATION_UNITS.w!],
    ['d', DURATION_UNITS.d!],
    ['h', DURATION_UNITS.h!],
    ['m', DURATION_UNITS.m!],
    ['s', DURATION_UNITS.s!],
  ] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

const duration = z
  .union([z.number(), z.string()])
  .superRefine((v, ctx) => {
    const ms = typeof v === 'number' ? v : parseDuration(v);
    if (ms === undefined || !Number.isFinite(ms) || ms <= 0) {
      ctx.addIssue({
        code: 'custom',
        message: 'expected a positive duration like "30s", "15m", "2h", "1d" or a number of milliseconds',
        input: v,
      });
    }
  })
  .transform((v) => (typeof v === 'number' ? v : parseDuration(v)!));

const cron = z.string().refine((v) => validateCron(v), {
  message: 'expected a cron expression such as "*/5 * * * *"',
});

const httpUrl = z.string().refine(
  (v) => {
    try {
      const u = new URL(v);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      return false;
    }
  },
  { message: 'expected an http: or https: URL' },
);

const articleId = z
  .string()
  .refine((v) => isArticleId(v), {
    message: 'expected an article id (lower-case letters, digits, "-", "_", "."; 1-120 chars, not starting with "." )',
  })
  .refine((v) => !isReservedArticleId(v), {
    message: 'expected an article id other than "all" (reserved for the combined feed)',
  });

const nonEmpty = z.string().min(1);

/** An IP address or CIDR range (`10.1.2.3`, `10.1.0.0/16`, `fd00::/8`), checked when the config is loaded. */
const allowedAddress = z.string().refine(
  (v) => {
    try {
      parseAllowedAddress(v);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'expected an IP address or CIDR range such as "10.1.2.3" or "10.1.0.0/16"' },
);

// ---------------------------------------------------------------------------------------------------------------
// The schema.

const sourceCommon = {
  /** The article id to store versions under (url and file sources); derived from the URL or file name when absent. */
  id: articleId.optional(),
  /** Cron expression for this source; the kind's default when absent. */
  schedule: cron.optional(),
};

const urlSource = z.strictObject({
  kind: z.literal('url'),
  url: httpUrl,
  ...sourceCommon,
  allowPrivateNetwork: z.boolean().optional(),
});

const feedSource = z.strictObject({
  kind: z.literal('feed'),
  url: httpUrl,
  schedule: cron.optional(),
  allowPrivateNetwork: z.boolean().optional(),
  /** How many of the newest feed items are watched as articles. */
  maxItems: z.number().int().min(1).max(1000).optional(),
});

const fileSource = z.strictObject({
  kind: z.literal('file'),
  path: nonEmpty,
  ...sourceCommon,
});

const dirSource = z.strictObject({
  kind: z.literal('dir'),
  path: nonEmpty,
  schedule: cron.optional(),
});

const source = z.discriminatedUnion('kind', [urlSource, feedSource, fileSource, dirSource]);

const tier = z
  .strictObject({
    name: z.string().regex(/^[a-z][a-z0-9-]*$/, { message: 'expected a lower-case name such as "fresh"' }),
    /** The tier applies while the article changed within this long. */
    changedWithin: duration.optional(),
    /** The tier applies while the article (its first version) is younger than this. */
    ageUnder: duration.optional(),
    /** Poll at most this often while in the tier. */
    every: duration,
  })
  .readonly();

/** The default schedule tiers, first match wins (NewsDiffs-like back-off). */
export const DEFAULT_TIERS = [
  { name: 'hot', changedWithin: '1h', every: '5m' },
  { name: 'fresh', ageUnder: '1d', every: '15m' },
  { name: 'recent', ageUnder: '7d', every: '1h' },
  { name: 'aging', ageUnder: '30d', every: '1d' },
  { name: 'old', every: '1w' },
] as const;

const liveSection = z.strictObject({
  /**
   * Whether `/live` needs `server.token` too (as `Authorization: Bearer`, a `wirediff.bearer.<base64url>` subprotocol or
   * `?token=`). Off by default: the stream carries what the feeds publish, and the viewer's pages hold no secret.
   */
  requireToken: z.boolean().default(false),
  /** A client whose unsent data passes this many bytes is cut off with 1013 (it can resume with `since`). */
  maxBufferedBytes: z
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024 * 1024)
    .default(1024 * 1024),
  /** Ping interval; a client that did not answer the previous ping is dropped. */
  heartbeat: duration.default(30_000),
});

const serverSection = z.strictObject({
  host: nonEmpty.default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(8080),
  /** Bearer token required for writes (POST) through the API; none = writes only from loopback. */
  token: nonEmpty.optional(),
  /** Origins allowed to open the WebSocket / call the API from a browser (besides the server's own). */
  allowedOrigins: z.array(nonEmpty).optional(),
  /** Items per RSS feed. */
  feedItems: z.number().int().min(1).max(10_000).default(50),
  /**
   * The address readers reach the viewer at (behind a proxy, a CDN serving `feeds/`, or a server listening on
   * 0.0.0.0): the base of every link in the RSS feeds. Default: the address the server listens on.
   */
  publicUrl: httpUrl.transform((v) => v.replace(/\/+$/, '')).optional(),
  /** The live stream (`/live`). */
  live: liveSection.prefault({}),
});

const fetchSection = z.strictObject({
  /** Total time for one request, redirects and body included. */
  timeout: duration.default(30_000),
  /** Largest body accepted. */
  maxBytes: z
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024 * 1024)
    .default(5 * 1024 * 1024),
  maxRedirects: z.number().int().min(0).max(20).default(5),
  userAgent: nonEmpty.default('wirediff/0.1 (+https://github.com/wirediff/wirediff; news diff watcher)'),
  /** Allow loopback, private and link-local addresses (local use and tests). */
  allowPrivateNetwork: z.boolean().default(false),
  /** Addresses or CIDR ranges allowed even when private networks are refused (e.g. an intranet news server). */
  allowedAddresses: z.array(allowedAddress).optional(),
});

const watchSection = z.strictObject({
  /** Sources polled at the same time, at most (fetches and file reads share this bound). */
  concurrency: z.number().int().min(1).max(64).default(4),
  /** Content equal to one of the last N versions is a variant, not a new version. */
  variantWindow: z.number().int().min(1).max(100).default(5),
  /**
   * The smallest article stored, in characters of article text (paragraphs, without the title): shorter pages (a
   * 3-byte "Hi.", an error stub) are refused as `no-article`, from every source and from pushes.
   */
  minArticleChars: z.number().int().min(1).max(1_000_000).default(DEFAULT_MIN_ARTICLE_CHARS),
  /** Quiet time after a file change before a dir/file source is read. */
  debounce: duration.default(300),
  /** First back-off after a 429/5xx or a failed fetch; doubles per failure (with jitter) up to `maxBackoff`. */
  backoff: duration.default(60_000),
  maxBackoff: duration.default(6 * 3_600_000),
  /** Default cron schedule per source kind. */
  cron: z
    .strictObject({
      url: cron.default(DEFAULT_CRON.url),
      feed: cron.default(DEFAULT_CRON.feed),
      file: cron.default(DEFAULT_CRON.file),
      dir: cron.default(DEFAULT_CRON.dir),
    })
    .prefault({}),
  /** How often each watched web article is fetched, by age and last change; first match wins. */
  tiers: z
    .array(tier)
    .min(1)
    .prefault([...DEFAULT_TIERS]),
  /** Feed items watched per feed (newest first), unless the source says otherwise. */
  feedItems: z.number().int().min(1).max(1000).default(30),
});

/**
 * Which store keeps versions and events: the files under `storeDir` (default), or a PostgreSQL database shared by
 * several watchers and servers (`url`; the environment's WIREDIFF_STORE_URL overrides it, see store/open.ts).
 */
const storeSection = z
  .strictObject({
    kind: z.enum(['file', 'postgres']).default('file'),
    /** postgres://user:password@host:port/database */
    url: z
      .string()
      .refine((v) => /^postgres(ql)?:\/\/./.test(v), { message: 'expected a postgres://user@host:port/database URL' })
      .optional(),
    /** The PostgreSQL schema holding wirediff's tables (default public). */
    schema: z
      .string()
      .refine((v) => /^[a-z_][a-z0-9_]{0,62}$/.test(v) && !v.startsWith('pg_'), {
        message: 'expected a lower-case schema name such as "wirediff" ([a-z0-9_], not starting with pg_)',
      })
      .optional(),
    /** Connections per process (default 8). */
    poolSize: z.number().int().min(1).max(1000).optional(),
    /**
     * How much history a live client can resume from (`since`) and `/api/events` serves: the newest N events (file
     * store; older ones stay on disk). A resume from before it gets a `reset` and the current state.
     */
    retainEvents: z.number().int().min(1).optional(),
    /** The same, as the newest events whose records add up to at most this many bytes; the tighter bound wins. */
    retainBytes: z.number().int().min(1024).optional(),
  })
  .superRefine((v, ctx) => {
    for (const key of ['retainEvents', 'retainBytes'] as const) {
      if (v.kind === 'postgres' && v[key] !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `store.${key} applies to the file store; the PostgreSQL store serves its whole log`,
          input: v[key],
        });
      }
    }
    if (v.kind === 'postgres' && v.url === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['url'],
        message: 'expected a postgres:// URL with kind "postgres"',
        input: v.url,
      });
    }
  });

/** A feed of the config: the changes its filter lets through, across all articles, written as `feeds/<name>.xml`. */
const namedFeed = z.strictObject({
  /** The channel title; default "wirediff: <name>". */
  title: nonEmpty.optional(),
  /** Kinds let through (primary kind or facet); default every kind but timestamp-only, minor and none. */
  kinds: z
    .array(z.enum(KIND_ORDER as unknown as [string, ...string[]]))
    .min(1)
    .optional(),
  /** Changes below this significance are left out. */
  minSignificance: z.number().min(0).max(1).default(0),
});

const feedsSection = z.strictObject({
  /** Named feeds by name: `{"urgent": {"kinds": ["new-top", "correction"], "minSignificance": 0.5}}`. */
  named: z
    .record(z.string(), namedFeed)
    .superRefine((named, ctx) => {
      for (const name of Object.keys(named)) {
        if (name === 'all' || !isArticleId(name)) {
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: 'expected a feed name (lower-case letters, digits, "-", "_", "."; not "all")',
            input: name,
          });
        }
      }
    })
    .default({}),
});

export const configSchema = z.strictObject({
  $schema: z.string().optional(),
  /** Where versions and the event log live (the file store; also status.json for every store). */
  storeDir: nonEmpty.default('snapshots'),
  store: storeSection.prefault({}),
  /** Where RSS files are written. */
  feedsDir: nonEmpty.default('feeds'),
  feeds: feedsSection.prefault({}),
  server: serverSection.prefault({}),
  fetch: fetchSection.prefault({}),
  watch: watchSection.prefault({}),
  sources: z.array(source).default([]),
});

/** The config as written in the file (everything optional). */
export type ConfigFile = z.input<typeof configSchema>;
/** The config after validation and defaults, paths resolved. */
export type Config = z.output<typeof configSchema>;
export type SourceConfig = Config['sources'][number];
export type SourceKind = SourceConfig['kind'];
export type ScheduleTier = Config['watch']['tiers'][number];

// ---------------------------------------------------------------------------------------------------------------
// Errors that name the field, what was expected and what was found.

/** `sources[2].schedule` from `['sources', 2, 'schedule']`. */
export function formatPath(p: readonly PropertyKey[]): string {
  let out = '';
  for (const k of p) {
    if (typeof k === 'number') out += `[${k}]`;
    else out += out === '' ? String(k) : `.${String(k)}`;
  }
  return out === '' ? '(top level)' : out;
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 80 ? `${v.slice(0, 77)}...` : v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'object') return 'an object';
  return typeof v;
}

interface IssueLike {
  readonly code?: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly input?: unknown;
  readonly expected?: string;
  readonly values?: readonly unknown[];
  readonly keys?: readonly string[];
  readonly minimum?: unknown;
  readonly maximum?: unknown;
  readonly inclusive?: boolean;
  readonly origin?: string;
  readonly format?: string;
  readonly options?: readonly unknown[];
  readonly note?: string;
  readonly discriminator?: string;
}

/** Every field name the config knows, in any section: the candidates for "did you mean". */
const KNOWN_FIELDS: readonly string[] = [
  ...new Set(
    [
      configSchema,
      storeSection,
      feedsSection,
      namedFeed,
      serverSection,
      liveSection,
      fetchSection,
      watchSection,
      urlSource,
      feedSource,
      fileSource,
      dirSource,
    ].flatMap((schema) => Object.keys(schema.shape)),
  ),
];

/** Edit distance (insertions, deletions, substitutions, adjacent swaps) between two short strings. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The known field closest to `name` (case-insensitively), when it is close enough to be a typo. */
function nearestField(name: string): string | undefined {
  let best: { field: string; distance: number } | undefined;
  for (const field of KNOWN_FIELDS) {
    const distance = editDistance(name.toLowerCase(), field.toLowerCase());
    if (best === undefined || distance < best.distance) best = { field, distance };
  }
  return best !== undefined && best.distance > 0 && best.distance <= Math.max(1, Math.floor(name.length / 4))
    ? best.field
    : undefined;
}

function formatIssue(issue: IssueLike): string[] {
  const where = formatPath(issue.path);
  const got = describeValue(issue.input);
  switch (issue.code) {
    case 'invalid_type': {
      const e = issue.expected ?? 'value';
      const article = e === 'object' || e === 'array' || e === 'int' ? 'an' : 'a';
      return [`${where}: expected ${article} ${e === 'int' ? 'integer' : e}, got ${got}`];
    }
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const op =
        issue.code === 'too_small' ? (issue.inclusive === false ? '>' : '>=') : issue.inclusive === false ? '<' : '<=';
      if (issue.origin === 'array') return [`${where}: expected ${op} ${String(bound)} items, got ${got}`];
      if (issue.origin === 'string')
        return [`${where}: expected a string of length ${op} ${String(bound)}, got ${got}`];
      return [`${where}: expected a number ${op} ${String(bound)}, got ${got}`];
    }
    case 'invalid_value':
      return [`${where}: expected one of ${(issue.values ?? []).map((v) => JSON.stringify(v)).join(', ')}, got ${got}`];
    case 'unrecognized_keys':
      return (issue.keys ?? []).map((k) => {
        const near = nearestField(k);
        const hint = near === undefined ? 'check the spelling' : `did you mean "${near}"?`;
        return `${formatPath([...issue.path, k])}: expected no such field (unknown; ${hint}), got ${describeValue(
          (issue.input as Record<string, unknown> | undefined)?.[k],
        )}`;
      });
    case 'invalid_union': {
      const atKind = issue.path[issue.path.length - 1] === 'kind';
      if (issue.discriminator !== undefined || atKind) {
        const kindPath = atKind ? issue.path : [...issue.path, 'kind'];
        const input = issue.input;
        const kind =
          input !== null && typeof input === 'object' && !Array.isArray(input)
            ? (input as { kind?: unknown }).kind
            : input;
        return [`${formatPath(kindPath)}: expected one of "url", "feed", "file", "dir", got ${describeValue(kind)}`];
      }
      return [`${where}: ${issue.message}, got ${got}`];
    }
    case 'invalid_format':
      return [`${where}: expected ${issue.format ?? 'a valid format'}, got ${got}`];
    case 'custom':
      return [
        `${where}: ${issue.message.startsWith('expected') ? issue.message : `expected ${issue.message}`}, got ${got}`,
      ];
    default:
      return [`${where}: ${issue.message}, got ${got}`];
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Public functions.

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
          `sources[${i}].id: expected an id not used by another source, got "${s.id}" (also sources[${dup}].id)`,
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

/** The cron expression a source runs on (its own, else the kind's default from the config). */
export function cronFor(config: Config, s: SourceConfig): string {
  return s.schedule ?? config.watch.cron[s.kind];
}

/** A short human name for a source: its URL or path. */
export function sourceLocator(s: SourceConfig): string {
  return s.kind === 'url' || s.kind === 'feed' ? s.url : s.path;
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
