/**
 * `wirediff ingest ARTICLE FILE`: stores a pushed version of an article (FILE, or `-` for stdin) through the same
 * pipeline as the watcher: unchanged content and known variants make no version; an empty page or one with no
 * article is refused, and so is what the watcher's guard would hold (an extraction that lost most of the article, a
 * drastic change, a bot wall) unless `--force`: no second poll can confirm a push, the user does.
 */
import * as path from 'node:path';
import type { Command } from 'commander';
import { loadConfigFor } from '../../config/config.js';
import { INGESTIBLE_TYPE_NAMES, isIngestibleContentType } from '../../core/extract/content-type.js';
import { looksLikeHtml } from '../../core/extract/index.js';
import { WirediffError } from '../../core/errors.js';
import { isArticleId } from '../../core/model/version.js';
import { decodeBody, readFileSource } from '../../sources/index.js';
import { openStore, storeTargetFor } from '../../store/open.js';
import { ingestVersion, type IngestOutcome } from '../../ingest/ingest.js';
import { EXIT, type CliContext } from '../context.js';

export interface IngestCommandOptions {
  readonly cwd: string;
  /** The environment (WIREDIFF_STORE_URL picks a PostgreSQL store). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly config?: string;
  readonly article: string;
  /** A file path, or `-` for `stdin`. */
  readonly file: string;
  readonly stdin?: NodeJS.ReadableStream;
  /** Overrides the content type guessed from the file name (stdin: from the content). */
  readonly contentType?: string;
  /** Store what the false-version guard would refuse. */
  readonly force?: boolean;
  readonly now?: () => number;
}

async function readAll(stream: NodeJS.ReadableStream, maxBytes: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk);
    total += b.length;
    if (total > maxBytes) {
      throw new WirediffError(
        'E_INPUT_TOO_LARGE',
        `stdin: more than maxBytes (${maxBytes}) bytes (see fetch.maxBytes)`,
      );
    }
    chunks.push(b);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

export async function runIngest(opts: IngestCommandOptions): Promise<IngestOutcome> {
  const given: string = opts.article;
  if (!isArticleId(given)) {
    throw new WirediffError(
      'E_BAD_ARTICLE_ID',
      `${JSON.stringify(given)} is not an article id: use lower-case letters, digits, "-", "_" and "." (1-120 characters)`,
    );
  }
  if (opts.contentType !== undefined && !isIngestibleContentType(opts.contentType)) {
    throw new WirediffError(
      'E_USAGE',
      `--content-type ${JSON.stringify(opts.contentType)}: a version is stored from ${INGESTIBLE_TYPE_NAMES}`,
    );
  }
  const { config } = await loadConfigFor(opts.cwd, opts.config);
  let raw: Uint8Array;
  let contentType: string;
  if (opts.file === '-') {
    if (opts.stdin === undefined) throw new WirediffError('E_USAGE', 'no stdin to read from');
    raw = await readAll(opts.stdin, config.fetch.maxBytes);
    const sniff = decodeBody(raw, opts.contentType).text;
    contentType = opts.contentType ?? (looksLikeHtml(sniff) ? 'text/html' : 'text/plain');
  } else {
    const read = await readFileSource(path.resolve(opts.cwd, opts.file), { maxBytes: config.fetch.maxBytes }).catch(
      (err: unknown) => {
        // An empty file is an outcome (refused), not a crash.
        if (err instanceof WirediffError && err.code === 'E_INPUT_EMPTY') return undefined;
        throw err;
      },
    );
    if (read === undefined) return { status: 'rejected', reason: 'empty', detail: `${opts.file}: the file is empty` };
    raw = read.bytes;
    contentType = opts.contentType ?? read.contentType;
  }
  const text = decodeBody(raw, contentType).text;
  const now = opts.now ?? Date.now;
  const opened = await openStore(storeTargetFor(config, opts.env));
  try {
    return await ingestVersion(
      { store: opened.store },
      {
        article: opts.article,
        raw,
        contentType,
        text,
        origin: { kind: 'push', ...(opts.file !== '-' ? { location: opts.file } : {}) },
        fetchedAt: new Date(now()).toISOString(),
      },
      {
        variantWindow: config.watch.variantWindow,
        minArticleChars: config.watch.minArticleChars,
        now,
        push: { force: opts.force === true },
      },
    );
  } finally {
    await opened.close();
  }
}

export function renderIngest(article: string, o: IngestOutcome): string {
  switch (o.status) {
    case 'new-version':
      return `${article}: stored version ${o.meta.version} (${o.meta.kind}): ${o.meta.summary} [event ${o.event.id}]\n`;
    case 'unchanged':
      return `${article}: unchanged (same content as version ${o.version}); nothing stored\n`;
    case 'variant':
      return `${article}: same content as version ${o.of} (a known variant); recorded, no new version\n`;
    case 'rejected':
      return `${article}: refused (${o.reason}): ${o.detail}\n`;
  }
}

export function registerIngest(program: Command, ctx: CliContext): void {
  program
    .command('ingest')
    .summary('store a pushed version of an article (a file, or - for stdin)')
    .description(
      'Store a new version of ARTICLE from FILE (or stdin with "-"), diffed against the latest version and ' +
        'published as an event. Unchanged content and known variants make no version. A version that lost most of ' +
        'the article or shares almost nothing with the latest one is refused unless --force. Exit code 0 when ' +
        'stored or already known, 2 when refused or on trouble. With the file store, stop "wirediff watch" first: one ' +
        'process writes it at a time (a PostgreSQL store takes writers side by side). The store is picked as for ' +
        '"wirediff watch": the config\'s "store", or WIREDIFF_STORE_URL.',
    )
    .argument('<article>', 'the article id, e.g. syria-strikes')
    .argument('<file>', 'a .txt, .md or .html file, or - for stdin')
    .option('-c, --config <file>', 'the config file (default: wirediff.config.json)')
    .option('--content-type <type>', 'the content type (default: from the file name, or sniffed for stdin)')
    .option('--force', 'store it even if it lost most of the article or shares almost nothing with the latest version')
    .option('--json', 'print the outcome as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ wirediff ingest syria-strikes story-v2.txt
  $ wirediff ingest syria-strikes rewritten-story.txt --force
  $ curl -s https://example.com/story | wirediff ingest example-story - --content-type text/html`,
    )
    .action(
      async (
        article: string,
        file: string,
        opts: { config?: string; contentType?: string; json?: boolean; force?: boolean },
      ) => {
        const o = await runIngest({
          cwd: ctx.cwd,
          env: ctx.env,
          article,
          file,
          stdin: ctx.stdin,
          force: opts.force === true,
          ...(opts.config !== undefined ? { config: opts.config } : {}),
          ...(opts.contentType !== undefined ? { contentType: opts.contentType } : {}),
        });
        ctx.stdout.write(opts.json === true ? JSON.stringify(o, null, 2) + '\n' : renderIngest(article, o));
        ctx.exitCode = o.status === 'rejected' ? EXIT.trouble : EXIT.ok;
      },
    );
}
