/**
 * The config file's schema (zod): every section, its bounds and its defaults. The types `ConfigFile` (as written) and
 * `Config` (validated, with defaults) come from it. Messages of custom checks start with "expected" (see issues.ts).
 */
import { validate as validateCron } from 'node-cron';
import { z } from 'zod';
import { KIND_ORDER } from '../core/model/kinds.js';
import { isArticleId } from '../core/model/version.js';
import { parseAllowedAddress } from '../sources/address-guard.js';
import { isReservedArticleId } from '../sources/article-id.js';
import { DEFAULT_MIN_ARTICLE_CHARS } from '../ingest/defaults.js';
import { duration } from './durations.js';

/** Default cron schedules per source kind (node-cron syntax; a leading seconds field is allowed). */
export const DEFAULT_CRON = {
  url: '*/5 * * * *',
  feed: '*/5 * * * *',
  file: '* * * * *',
  dir: '* * * * *',
} as const;

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
          message: `expected left out with kind "postgres" (store.${key} applies to the file store; the PostgreSQL store serves its whole log)`,
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

/** Every object schema of the config, whose field names are the candidates for "did you mean". */
export const CONFIG_OBJECTS = [
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
] as const;
