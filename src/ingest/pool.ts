/**
 * The ingest worker pool (piscina): parsing, extraction, hashing, diffing and the guard's measures of every read run
 * on worker threads, so a 2 MB page never holds the server's or the watcher's event loop (live clients, API reads,
 * other polls) for the hundreds of milliseconds the work takes.
 *
 * The worker is the built `worker.js` beside this file. Running from TypeScript sources (the tests), there is none:
 * `createIngestPool` then answers with the in-thread compute, and says so (`threads: 0`), unless a built worker file
 * is named explicitly.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { knownArticleJson, rememberEncoded, restoreNorms } from '../lib/encoded-json.js';
import {
  inThreadCompute,
  type IngestCompute,
  type IngestWorkerResult,
  type IngestWorkResult,
  type IngestWorkTask,
} from './work.js';

export interface IngestPool extends IngestCompute {
  /** Worker threads at most; 0 when the work runs in the calling thread (no built worker file). */
  readonly threads: number;
  /** Tasks the workers have completed. */
  readonly completed: number;
  /** Idempotent: waits for tasks in flight, then stops the workers. */
  close(): Promise<void>;
}

export interface IngestPoolOptions {
  /** Default: half the CPUs, from 1 to 4 (the work is bursty; the main thread needs a core too). */
  readonly maxThreads?: number;
  /** The worker module (a built .js file); default `worker.js` beside this module. */
  readonly filename?: string;
  /** Workers are stopped after this long without work. Default 60 s. */
  readonly idleTimeoutMs?: number;
}

export function defaultIngestThreads(): number {
  return Math.min(4, Math.max(1, Math.floor(availableParallelism() / 2)));
}

export function createIngestPool(options: IngestPoolOptions = {}): IngestPool {
  const filename = options.filename ?? fileURLToPath(new URL('./worker.js', import.meta.url));
  if (!existsSync(filename)) {
    return { threads: 0, completed: 0, run: (task) => inThreadCompute.run(task), close: () => Promise.resolve() };
  }
  const maxThreads = options.maxThreads ?? defaultIngestThreads();
  const pool = new Piscina<IngestWorkTask, IngestWorkerResult>({
    filename,
    minThreads: 0,
    maxThreads,
    idleTimeout: options.idleTimeoutMs ?? 60_000,
  });
  let closing: Promise<void> | undefined;
  const inFlight = new Set<Promise<void>>();
  return {
    threads: maxThreads,
    get completed() {
      return pool.completed;
    },
    run(task) {
      if (closing !== undefined) return Promise.reject(new Error('the ingest worker pool is closed'));
      // The raw bytes are copied, not transferred: the caller still stores them.
      const p = pool.run(withPreviousAsJson(task)).then(keepEncodings);
      const tracked: Promise<void> = p.then(
        () => undefined,
        () => undefined, // the caller gets the error from `p`
      );
      void tracked.then(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      return p;
    },
    close() {
      // piscina's close() drops queued tasks: wait for every task handed over first.
      closing ??= Promise.all([...inFlight]).then(() => pool.close());
      return closing;
    },
  };
}

/**
 * The task as handed to a worker: the previous article as the JSON the worker encoded it in (when it made it, and the
 * store still holds that object as its latest version) rather than as objects, which the event loop would have to
 * serialise, paragraph by paragraph, to hand them over.
 */
function withPreviousAsJson(task: IngestWorkTask): IngestWorkTask {
  if (task.previous === undefined) return task;
  const previousJson = knownArticleJson(task.previous);
  if (previousJson === undefined) return task;
  const { previous: _previous, ...rest } = task;
  return { ...rest, previousJson };
}

/** Remembers the encodings the worker made against the objects handed back (the store writes them as they are). */
function keepEncodings(result: IngestWorkerResult): IngestWorkResult {
  if (!('encoded' in result)) return result;
  const { encoded, ...rest } = result;
  // The worker left out the norms that equal their texts (worker.ts): put back, as the same strings.
  restoreNorms(rest.article as unknown as { paragraphs: unknown[] });
  rememberEncoded(rest.article, encoded.article, rest.changes, encoded.changes);
  return rest;
}
