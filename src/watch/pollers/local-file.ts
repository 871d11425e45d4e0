/**
 * One local article file (a file source's, or one of a folder's): read when its size or mtime changed (or forced),
 * then ingested. A file gone meanwhile gives nothing and frees its id; an empty or binary file is a rejected read.
 */
import { stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { isWirediffError } from '../../core/errors.js';
import type { ArticleId } from '../../core/model/version.js';
import { readFileSource } from '../../sources/index.js';
import { describeFailure } from '../failure.js';
import type { ArticlePollResult } from '../report.js';
import type { ArticleState, SourceState } from '../source-state.js';
import type { PollContext } from './poller.js';

/**
 * Reads `file` as the article `id` of `source`; undefined when the file is gone. A file source's read errors are
 * thrown (the source failed); in a folder, one bad file (too large, unreadable) is an 'error' result instead.
 */
export async function pollLocalFile(
  ctx: PollContext,
  source: SourceState,
  file: string,
  id: ArticleId,
  force: boolean,
): Promise<ArticlePollResult | undefined> {
  const a = source.article(id, file);
  let st: Stats;
  try {
    st = await stat(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      ctx.claims.release(file); // deleted meanwhile
      return undefined;
    }
    throw err;
  }
  const refused = await ctx.claims.check(source, a, true);
  if (refused !== undefined) return refused;
  if (!force && a.mtimeMs === st.mtimeMs && a.size === st.size) {
    return { article: id, location: file, outcome: 'not-modified' };
  }
  const fetchedAt = ctx.now();
  a.lastPollAt = fetchedAt;
  let result: ArticlePollResult;
  try {
    const read = await ctx.slots(() => readFileSource(file, { maxBytes: ctx.fetch.maxBytes }));
    result = await ctx.ingester.ingest(source, a, {
      raw: read.bytes,
      contentType: read.contentType, // decoded with the rest of the work (the ingest's compute)
      origin: { kind: source.source.kind === 'dir' ? 'dir' : 'file', location: file },
      fetchedAt,
    });
  } catch (err) {
    return unreadable(ctx, source, a, st, err);
  }
  if (result.outcome === 'rejected') {
    // Read it again next time even if the file is not touched: a held version needs a second sighting.
    delete a.mtimeMs;
    delete a.size;
  } else {
    a.mtimeMs = st.mtimeMs;
    a.size = st.size;
  }
  return result;
}

/** What a failed read of `a` gives: nothing (gone), a rejected read (empty, binary), an error result, or a throw. */
function unreadable(
  ctx: PollContext,
  source: SourceState,
  a: ArticleState,
  st: Stats,
  err: unknown,
): ArticlePollResult | undefined {
  const { id, location: file } = a;
  if (isWirediffError(err, 'E_NOT_FOUND')) {
    ctx.claims.release(file); // deleted meanwhile
    return undefined;
  }
  if (isWirediffError(err, 'E_INPUT_EMPTY') || isWirediffError(err, 'E_INPUT_BINARY')) {
    const reason = isWirediffError(err, 'E_INPUT_EMPTY') ? 'empty' : 'no-article';
    source.countRejected(reason);
    a.lastOutcome = 'rejected';
    a.lastDetail = err.message;
    a.mtimeMs = st.mtimeMs;
    a.size = st.size;
    ctx.logger.warn({ source: source.index, article: id, reason }, `no version: ${err.message}`);
    return { article: id, location: file, outcome: 'rejected', reason, detail: err.message };
  }
  if (source.source.kind === 'file') throw err;
  // One bad file in a folder (too large, unreadable) does not fail the folder.
  source.counts.errors++;
  const e = describeFailure(err);
  a.lastOutcome = 'error';
  a.lastDetail = e.message;
  ctx.logger.warn({ source: source.index, article: id, code: e.code }, `cannot read ${file}: ${e.message}`);
  return { article: id, location: file, outcome: 'error', detail: e.message };
}
