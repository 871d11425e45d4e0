/**
 * The pool worker (piscina): runs one ingest task (work.ts) per call, off the server's and the watcher's thread, and
 * encodes the article and the ChangeSet it made the way the store writes them (store/file/encoded.ts), so the event
 * loop does not serialise them again (pool.ts hands the bytes to the store).
 */
import { encodeChangeSet, encodeStoredArticle } from '../store/file/encoded.js';
import { runIngestWork, type IngestWorkerResult, type IngestWorkTask } from './work.js';

export default function ingestWorker(task: IngestWorkTask): IngestWorkerResult {
  const result = runIngestWork(task);
  if (!result.ok) return result;
  return {
    ...result,
    encoded: {
      article: encodeStoredArticle(result.article),
      changes: result.changes === null ? null : encodeChangeSet(result.changes),
    },
  };
}
