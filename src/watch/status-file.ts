/**
 * The watcher's status file: its format (documented field by field in docs/errors.md, "status.json"), written
 * atomically to `<storeDir>/status.json` (lib/atomic-write.ts) so that `wirediff status` (another process) can read
 * it whole. `StatusWriter` coalesces the writes of a running watcher; status.ts builds the document.
 */
import { mkdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Logger } from 'pino';
import type { RejectReason } from '../ingest/ingest.js';
import { writeFileAtomic } from '../lib/atomic-write.js';
import { fsyncDirIfSupported } from '../lib/dir-sync.js';
import type { SourceError } from './failure.js';

export const STATUS_SCHEMA = 'wirediff.status/1' as const;
export const STATUS_FILE = 'status.json';

export type PollOutcomeName =
  | 'new-version'
  | 'unchanged'
  | 'not-modified'
  | 'variant'
  | 'rejected'
  | 'error'
  | 'not-due'
  /** Not fetched: its host is backing off after a 429 or 5xx (host-gate.ts). */
  | 'deferred';

export interface ArticleStatus {
  readonly id: string;
  /** URL or file path. */
  readonly location: string;
  readonly tier?: string;
  readonly lastPollAt?: string;
  readonly nextPollAt?: string;
  readonly lastOutcome?: PollOutcomeName;
  readonly lastDetail?: string;
}

export interface SourceCounts {
  polls: number;
  versions: number;
  unchanged: number;
  variants: number;
  rejected: number;
  errors: number;
}

export interface SourceStatus {
  readonly index: number;
  readonly kind: 'url' | 'feed' | 'file' | 'dir';
  readonly locator: string;
  readonly schedule: string;
  readonly state: 'idle' | 'polling' | 'backoff';
  readonly lastPollAt?: string;
  readonly lastSuccessAt?: string;
  readonly lastChangeAt?: string;
  readonly nextPollAt?: string;
  readonly backoffUntil?: string;
  readonly consecutiveFailures: number;
  /** The last failure: a catalogue code, its message, the HTTP status or errno apart, and when (ISO 8601). */
  readonly lastError?: SourceError & { readonly at: string };
  readonly counts: Readonly<SourceCounts>;
  readonly rejected: Readonly<Record<RejectReason, number>>;
  readonly articles: readonly ArticleStatus[];
}

/** A drastic change held by the guard until the next poll sees the same content (guard.ts). */
export interface PendingConfirmation {
  /** contentHash of the held candidate. */
  readonly hash: string;
  readonly reason: 'lost-most' | 'pending-confirmation';
  /** How many consecutive polls have seen it. */
  readonly seen: number;
  /** ISO 8601 time it was first seen. */
  readonly firstSeenAt: string;
}

export interface WatcherStatus {
  readonly schema: typeof STATUS_SCHEMA;
  readonly pid: number;
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly running: boolean;
  readonly sources: readonly SourceStatus[];
  /**
   * Held candidates per article id, restored by the next watcher (a `watch --once` from cron confirms what the
   * previous run held). Absent in status files written before it existed.
   */
  readonly pending?: Readonly<Record<string, PendingConfirmation>>;
}

/** The well-formed held candidates of a status file (entries of another shape are left out). */
export function pendingConfirmations(status: WatcherStatus | undefined): Map<string, PendingConfirmation> {
  const out = new Map<string, PendingConfirmation>();
  const raw: unknown = status?.pending;
  if (raw === null || typeof raw !== 'object') return out;
  for (const [id, v] of Object.entries(raw as Record<string, unknown>)) {
    if (v === null || typeof v !== 'object') continue;
    const p = v as Record<string, unknown>;
    if (
      typeof p.hash === 'string' &&
      (p.reason === 'lost-most' || p.reason === 'pending-confirmation') &&
      typeof p.seen === 'number' &&
      Number.isInteger(p.seen) &&
      p.seen >= 1 &&
      typeof p.firstSeenAt === 'string' &&
      !Number.isNaN(Date.parse(p.firstSeenAt))
    ) {
      out.set(id, { hash: p.hash, reason: p.reason, seen: p.seen, firstSeenAt: p.firstSeenAt });
    }
  }
  return out;
}

/**
 * Writes the status atomically and durably (the folder fsync best-effort: a running watcher rewrites it after each
 * poll, the next one at its start).
 */
export async function writeStatusFile(dir: string, status: WatcherStatus): Promise<void> {
  await writeFileAtomic(path.join(dir, STATUS_FILE), JSON.stringify(status, null, 2) + '\n', {
    mode: 0o666,
    syncDir: fsyncDirIfSupported,
  });
}

/** Reads the status written by a watcher; undefined when there is none. */
export async function readStatusFile(dir: string): Promise<WatcherStatus | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(dir, STATUS_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const parsed = JSON.parse(text) as WatcherStatus;
  if (parsed.schema !== STATUS_SCHEMA) return undefined;
  return parsed;
}

/**
 * Writes the status of a running watcher after each poll, coalesced: at most one write in flight and one more queued
 * (which writes the newest status). A failed write is logged, never thrown.
 */
export class StatusWriter {
  #writing: Promise<void> | undefined;
  #dirty = false;

  constructor(
    private readonly dir: string,
    private readonly build: () => WatcherStatus,
    private readonly logger: Logger,
  ) {}

  /** The write in flight, if any. */
  get writing(): Promise<void> | undefined {
    return this.#writing;
  }

  /** Asks for a write of the current status; resolves when written (or logged as failed). */
  save(): Promise<void> {
    this.#dirty = true;
    this.#writing ??= (async () => {
      try {
        while (this.#dirty) {
          this.#dirty = false;
          await mkdir(this.dir, { recursive: true });
          await writeStatusFile(this.dir, this.build());
        }
      } catch (err) {
        this.logger.warn({ err }, 'could not write the status file');
      } finally {
        this.#writing = undefined;
      }
    })();
    return this.#writing;
  }
}
