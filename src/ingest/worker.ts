/**
 * The pool worker (piscina): runs one ingest task (work.ts) per call, off the server's and the watcher's thread.
 */
import { runIngestWork, type IngestWorkResult, type IngestWorkTask } from './work.js';

export default function ingestWorker(task: IngestWorkTask): IngestWorkResult {
  return runIngestWork(task);
}
