/**
 * `wirediff demo`: plays the sample breaking story (AP, Syria, 16 March 2013: tests/fixtures/ap-syria/v1..v4.txt)
 * into the watched folder as timed updates, so a newcomer running "wirediff watch --serve" watches a story break,
 * get rewritten and corrected, live. Each version is written atomically (a hidden temp file, then a rename), so the
 * watcher never reads half a file.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import {
  DEFAULT_ARTICLES_DIR,
  formatDuration,
  loadConfigFor,
  parseDuration,
  type Config,
} from '../../config/config.js';
import { WirediffError } from '../../core/errors.js';
import { isArticleId } from '../../core/model/version.js';
import { openStore, storeTargetFor, type StoreTarget } from '../../store/open.js';
import { EXIT, type CliContext } from '../context.js';
import { findPackageRoot } from '../package-root.js';
import { runStatus } from './status.js';
import { writeFileAtomic } from '../../lib/atomic-write.js';

export const DEMO_ARTICLE = 'ap-syria';
export const MIN_DEMO_INTERVAL_MS = 10;
export const MAX_DEMO_INTERVAL_MS = 3_600_000;

export interface DemoStep {
  readonly version: number;
  readonly fixture: string;
  /** The kind of change the diff engine should find. */
  readonly kind: 'initial' | 'breaking-update' | 'write-thru' | 'correction';
  readonly label: string;
  readonly what: string;
}

export const DEMO_STEPS: readonly DemoStep[] = [
  {
    version: 1,
    fixture: 'v1.txt',
    kind: 'initial',
    label: 'the first version',
    what: 'the earlier story: a rights group says Syria is expanding its use of cluster bombs',
  },
  {
    version: 2,
    fixture: 'v2.txt',
    kind: 'breaking-update',
    label: 'the breaking update',
    what: "six paragraphs on a general's defection and a BREAKING NEWS UPDATE banner, above the earlier story",
  },
  {
    version: 3,
    fixture: 'v3.txt',
    kind: 'write-thru',
    label: 'the write-thru',
    what: 'the banner is gone: a new headline and lede fold the defection in; paragraphs edited, moved and dropped',
  },
  {
    version: 4,
    fixture: 'v4.txt',
    kind: 'correction',
    label: 'the correction',
    what: 'one figure fixed (156 -> 165 cluster bombs) and a correction line added at the end',
  },
];

/** Where the story's versions live: `tests/fixtures/ap-syria/` under the package root. */
export function demoFixturesDir(root: string | undefined = findPackageRoot()): string {
  const dir = root !== undefined ? path.join(root, 'tests', 'fixtures', 'ap-syria') : undefined;
  if (dir === undefined || !existsSync(path.join(dir, 'v1.txt'))) {
    throw new WirediffError(
      'E_NOT_FOUND',
      `the demo story is not installed (looked for tests/fixtures/ap-syria/v1.txt under ${root ?? "wirediff's folder"}): run the demo from a clone of the wirediff repository`,
    );
  }
  return dir;
}

/** Parses `--interval`: a duration such as "5s", "500ms" or "1m", from 10ms to 1h. */
export function parseInterval(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms < MIN_DEMO_INTERVAL_MS || ms > MAX_DEMO_INTERVAL_MS) {
    throw new WirediffError(
      'E_USAGE',
      `--interval: expected a duration from ${formatDuration(MIN_DEMO_INTERVAL_MS)} to ${formatDuration(MAX_DEMO_INTERVAL_MS)} such as "5s", "500ms" or "1m", got ${JSON.stringify(text)}`,
    );
  }
  return ms;
}

export interface PlayDemoOptions {
  /** The watched folder; created when absent. */
  readonly dir: string;
  /** The article id, which is also the file name (`<article>.txt`). */
  readonly article?: string;
  /** Pause between versions, in milliseconds. */
  readonly intervalMs: number;
  /** The steps to play, in order (default: all four). */
  readonly steps?: readonly DemoStep[];
  readonly fixturesDir?: string;
  /** Stops the demo between versions (Ctrl-C). */
  readonly signal?: AbortSignal;
  /** Called after each version is in place. */
  readonly onWritten?: (step: DemoStep, file: string) => void;
  /** Called before each pause with the step that comes next. */
  readonly onWait?: (next: DemoStep, ms: number) => void;
  /** Awaited after each write, before the pause (tests wait here for the watcher to see the version). */
  readonly afterWrite?: (step: DemoStep, file: string) => Promise<void>;
}

export interface PlayDemoResult {
  readonly file: string;
  /** The versions written, in order. */
  readonly written: readonly number[];
  /** True when the signal stopped the demo before the last version. */
  readonly stopped: boolean;
}

/** Plays the story into `dir`: each version written atomically, `intervalMs` apart. */
export async function playDemo(opts: PlayDemoOptions): Promise<PlayDemoResult> {
  const article = opts.article ?? DEMO_ARTICLE;
  if (!isArticleId(article)) {
    throw new WirediffError(
      'E_BAD_ARTICLE_ID',
      `--article: expected an article id (lower-case letters, digits, "-", "_", "."; 1-120 characters), got ${JSON.stringify(article)}`,
    );
  }
  const steps = opts.steps ?? DEMO_STEPS;
  const fixtures = opts.fixturesDir ?? demoFixturesDir();
  // Read every version first: a missing fixture fails before anything is written.
  const texts = await Promise.all(steps.map((s) => readFile(path.join(fixtures, s.fixture))));
  await mkdir(opts.dir, { recursive: true });
  const file = path.join(opts.dir, `${article}.txt`);
  const written: number[] = [];
  for (let i = 0; i < steps.length; i++) {
    if (opts.signal?.aborted === true) return { file, written, stopped: true };
    const step = steps[i]!;
    await writeFileAtomic(file, texts[i]!, { durable: false, mode: 0o666 });
    written.push(step.version);
    opts.onWritten?.(step, file);
    await opts.afterWrite?.(step, file);
    const next = steps[i + 1];
    if (next === undefined) break;
    opts.onWait?.(next, opts.intervalMs);
    try {
      await sleep(opts.intervalMs, undefined, opts.signal !== undefined ? { signal: opts.signal } : {});
    } catch (err) {
      if ((err as { name?: unknown }).name === 'AbortError') return { file, written, stopped: true };
      throw err;
    }
  }
  return { file, written, stopped: false };
}

/** For `--once`: the step after the version now in `file` (the first when the file is absent or not a demo version). */
export async function nextDemoStep(file: string, fixturesDir: string): Promise<DemoStep | undefined> {
  let current: Buffer;
  try {
    current = await readFile(file);
  } catch {
    return DEMO_STEPS[0];
  }
  for (let i = DEMO_STEPS.length - 1; i >= 0; i--) {
    const text = await readFile(path.join(fixturesDir, DEMO_STEPS[i]!.fixture));
    if (text.equals(current)) return DEMO_STEPS[i + 1];
  }
  return DEMO_STEPS[0];
}

/** The folder the demo writes into: `--dir`, else the config's first dir source, else ./articles. */
export function demoDir(config: Config, cwd: string, dir: string | undefined): string {
  if (dir !== undefined) return path.resolve(cwd, dir);
  const first = config.sources.find((s) => s.kind === 'dir');
  return first !== undefined ? first.path : path.resolve(cwd, DEFAULT_ARTICLES_DIR);
}

/** Where to look: the article's viewer page, when the port is known. */
export function viewerUrlFor(config: Config, article: string): string | undefined {
  if (config.server.port === 0) return undefined;
  const host = ['0.0.0.0', '::', ''].includes(config.server.host)
    ? '127.0.0.1'
    : config.server.host.includes(':')
      ? `[${config.server.host}]`
      : config.server.host;
  return `http://${host}:${config.server.port}/articles/${article}`;
}

export function registerDemo(program: Command, ctx: CliContext): void {
  program
    .command('demo')
    .summary('play a sample breaking story into the watched folder, one version at a time')
    .description(
      "Play AP's breaking story of 16 March 2013 (Syria) into the watched folder as four timed updates: the first " +
        'version, the breaking update (a banner and new paragraphs above the earlier story), the write-thru (the ' +
        'story rewritten around the news) and a correction. Run "wirediff watch --serve" in another terminal and ' +
        'open the address printed here to watch the story change. Ctrl-C stops between versions.',
    )
    .option('--dir <dir>', "the folder to write into (default: the config's first folder source, else ./articles)")
    .option('--interval <duration>', 'the pause between versions, e.g. 5s, 500ms, 1m (10ms to 1h)', '5s')
    .option('--article <id>', 'the article id, also the file name <id>.txt', DEMO_ARTICLE)
    .option('--once', 'write only the next version of the story, then exit (run again for the one after)')
    .option('-c, --config <file>', 'the config file (default: wirediff.config.json, else watch ./articles)')
    .addHelpText(
      'after',
      `
Examples:
  $ wirediff watch --serve          # in one terminal
  $ wirediff demo                   # in another: a new version every 5 seconds
  $ wirediff demo --interval 30s --article syria-slow
  $ wirediff demo --once            # one version per run, at your own pace`,
    )
    .action((opts: DemoCommandOptions) => runDemoCommand(opts, ctx));
}

interface DemoCommandOptions {
  readonly dir?: string;
  readonly interval: string;
  readonly article: string;
  readonly once?: boolean;
  readonly config?: string;
}

/** `wirediff demo`: checks the options, says what it will do (and what is missing: a watcher, a watched folder), then plays the story. */
async function runDemoCommand(opts: DemoCommandOptions, ctx: CliContext): Promise<void> {
  const intervalMs = parseInterval(opts.interval);
  const given: string = opts.article;
  if (!isArticleId(given)) {
    throw new WirediffError(
      'E_BAD_ARTICLE_ID',
      `--article: expected an article id (lower-case letters, digits, "-", "_", "."; 1-120 characters), got ${JSON.stringify(given)}`,
    );
  }
  const { config } = await loadConfigFor(ctx.cwd, opts.config);
  const dir = demoDir(config, ctx.cwd, opts.dir);
  const fixturesDir = demoFixturesDir();
  const file = path.join(dir, `${given}.txt`);
  const say = (line: string): void => ctx.stdout.write(line + '\n');
  const again =
    'wirediff demo --once' +
    (given !== DEMO_ARTICLE ? ` --article ${given}` : '') +
    (opts.dir !== undefined ? ` --dir ${JSON.stringify(opts.dir)}` : '') +
    (opts.config !== undefined ? ` --config ${JSON.stringify(opts.config)}` : '');
  const url = viewerUrlFor(config, given);
  const look =
    url !== undefined
      ? `open ${url}`
      : `open the viewer address "wirediff watch --serve" printed, then /articles/${given},`;

  const watched = config.sources.some((s) => s.kind === 'dir' && path.resolve(s.path) === dir);
  if (!watched) say(`note: ${dir} is not a folder the config watches; "wirediff watch" will not see these versions`);
  const status = await runStatus({
    cwd: ctx.cwd,
    env: ctx.env,
    ...(opts.config !== undefined ? { config: opts.config } : {}),
  });
  if (!status.alive) {
    say('note: no watcher is running here: start "wirediff watch --serve" in another terminal (in this folder)');
  }

  let steps: readonly DemoStep[] = DEMO_STEPS;
  if (opts.once === true) {
    const next = await nextDemoStep(file, fixturesDir);
    if (next === undefined) {
      say(
        `${file} already holds the last version (v${DEMO_STEPS.length}, the correction): the story is over. ` +
          `Play it again under a new id: wirediff demo --article ${given}-2`,
      );
      ctx.exitCode = EXIT.ok;
      return;
    }
    steps = [next];
  } else {
    const stored = await storedVersions(storeTargetFor(config, ctx.env), given);
    if (stored > 0) {
      say(
        `note: "${given}" already has ${stored} stored version(s): the demo's versions are diffed against those, and one ` +
          `equal to any of the last ${config.watch.variantWindow} counts as a known variant, not a new version. For a ` +
          `fresh story: wirediff demo --article ${given}-2`,
      );
    }
    say(
      `Playing the AP Syria story into ${file}: ${DEMO_STEPS.length} versions, ${formatDuration(intervalMs)} apart (Ctrl-C to stop).`,
    );
    say(`To watch it change, ${look}`);
  }

  const abort = new AbortController();
  const onSignal = (): void => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const r = await playDemo({
      dir,
      article: given,
      intervalMs,
      steps,
      fixturesDir,
      signal: abort.signal,
      onWritten: (s) => say(`[v${s.version}/${DEMO_STEPS.length}] wrote ${s.label}: ${s.what}`),
      onWait: (next) => say(`  next: ${next.label} in ${formatDuration(intervalMs)}...`),
    });
    if (r.stopped) {
      say(`stopped after v${r.written.at(-1) ?? 0}; ${file} stays as it is (run "${again}" for the next version)`);
    } else if (opts.once === true) {
      const last = r.written.at(-1) ?? 0;
      say(
        last < DEMO_STEPS.length
          ? `To see it, ${look}; run "${again}" again for the next version.`
          : `That was the last version. To see the whole story, ${look}`,
      );
    } else {
      say(
        `Done: the story is at its last version. ${url !== undefined ? `Its timeline: ${url}; ` : ''}its history: wirediff history ${given}`,
      );
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  ctx.exitCode = EXIT.ok;
}

/**
 * How many versions of `article` the store already holds, for a hint. The demo has no store of its own: it writes
 * into a watched folder and the watcher stores what it reads, in the store the config (or WIREDIFF_STORE_URL) picks,
 * so the hint reads that same store (read-only), the PostgreSQL one included.
 */
async function storedVersions(target: StoreTarget, article: string): Promise<number> {
  if (target.kind === 'file' && !existsSync(target.dir)) return 0;
  try {
    const opened = await openStore(target, { readOnly: true });
    try {
      return (await opened.store.listVersions(article)).length;
    } finally {
      await opened.close();
    }
  } catch {
    return 0; // only a hint: a store that cannot be read here is the watcher's business
  }
}
