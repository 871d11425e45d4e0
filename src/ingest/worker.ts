/**
 * The pool worker (piscina): runs one ingest task (work.ts) per call, off the server's and the watcher's thread, and
 * encodes the article and the ChangeSet it made the way the store writes them (store/file/encoded.ts), so the event
 * loop does not serialise them again (pool.ts hands the bytes to the store).
 */
import { encodeChangeSet, encodeStoredArticle, storedArticle } from '../lib/encoded-json.js';
import { runIngestWork, type IngestWorkerResult, type IngestWorkTask } from './work.js';

export default function ingestWorker(task: IngestWorkTask): IngestWorkerResult {
  const result = runIngestWork(task);
  if (!result.ok) return result;
  return {
    ...result,
    // Each paragraph's norm left out where it equals its text (most of them): pool.ts puts it back as the same string,
    // so the event loop takes half the text off the message, and holds it once.
    article: storedArticle(result.article),
    encoded: {
      article: encodeStoredArticle(result.article),
      changes: result.changes === null ? null : encodeChangeSet(result.changes),
    },
  };
}
