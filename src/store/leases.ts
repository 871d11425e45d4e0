/**
 * Work sharing between watcher processes on one shared store. A watcher asks before it polls a web article: only
 * the holder of an article's lease polls it, and a lease runs out by itself when its holder dies. The state the
 * pollers share (when an article was polled, when it is due, its validators, back-off, held changes) is kept beside
 * the leases, so whichever process polls next knows what the last one did.
 *
 * The file store has one writer process, so its manager grants every lease and keeps no shared state.
 */

export interface LeaseManager {
  /** Who this process is in the lease table (host:pid:random). */
  readonly holder: string;
  /** Whether leases mean anything here (false for the file store's no-op manager). */
  readonly shared: boolean;
  /**
   * Takes the lease on `key` for `ttlMs` (or renews it, when this process holds it); false when another live holder
   * has it. A lease not renewed runs out after `ttlMs`, so the work of a process that died is picked up then.
   */
  acquire(key: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up (when held by this process). */
  release(key: string): Promise<void>;
  /** The shared state stored under `key`, if any. */
  readState<T>(key: string): Promise<T | undefined>;
  writeState(key: string, state: unknown): Promise<void>;
  /** Releases every lease this process holds. Idempotent. */
  close(): Promise<void>;
}

/** The file store's manager: one process, so every lease is granted and nothing is shared. */
export const LOCAL_LEASES: LeaseManager = {
  holder: 'local',
  shared: false,
  acquire: () => Promise.resolve(true),
  release: () => Promise.resolve(),
  readState: () => Promise.resolve(undefined),
  writeState: () => Promise.resolve(),
  close: () => Promise.resolve(),
};
