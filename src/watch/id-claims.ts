/**
 * Which location (file path or URL) owns each article id, so that the watcher never feeds two locations into one
 * article: the first location to claim an id keeps it while it exists; any other location with the same id is
 * refused with a message that names the owner. Across runs, the store's latest version of the id says which file
 * had it: another file that still exists keeps it (a moved file, whose old path is gone, is fine).
 */
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { Logger } from 'pino';
import type { ArticleId } from '../core/model/version.js';
import type { SnapshotStore } from '../store/types.js';
import type { ArticlePollResult } from './report.js';
import type { ArticleState, SourceState } from './source-state.js';

/**
 * The message for a location refused because `owner` has its id (`stored`: known from the store's latest version,
 * not from a location this watcher reads).
 */
export function collisionDetail(id: ArticleId, owner: string, stored = false): string {
  return (
    `article id "${id}" is already watched at ${owner}${stored ? ' (its latest version came from there)' : ''}; ` +
    "give one of them an explicit id (a file source's `id`) or rename it"
  );
}

/** Paths compared resolved (a relative and an absolute spelling of one file are one location); URLs as they are. */
function key(location: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(location) ? location : path.resolve(location);
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return !(code === 'ENOENT' || code === 'ENOTDIR');
  }
}

/**
 * The file location the store's latest version of `id` came from, when that is a file/dir source's file other than
 * `location` and it still exists; undefined otherwise.
 */
export async function storedElsewhere(
  store: SnapshotStore,
  id: ArticleId,
  location: string,
): Promise<string | undefined> {
  const versions = await store.listVersions(id);
  const origin = versions[versions.length - 1]?.origin;
  if (origin === undefined || (origin.kind !== 'file' && origin.kind !== 'dir')) return undefined;
  const other = origin.location;
  if (other === undefined || key(other) === key(location)) return undefined;
  return (await exists(other)) ? other : undefined;
}

export class IdClaims {
  /** id → owning location (as first given). */
  private readonly owners = new Map<ArticleId, string>();
  /** location key → the id it owns. */
  private readonly owned = new Map<string, ArticleId>();

  /** The location owning `id`, if any. */
  ownerOf(id: ArticleId): string | undefined {
    return this.owners.get(id);
  }

  /** True when `location` owns `id` (now, or after this call when the id was free). */
  claim(id: ArticleId, location: string): boolean {
    const owner = this.owners.get(id);
    if (owner !== undefined) return key(owner) === key(location);
    this.release(location);
    this.owners.set(id, location);
    this.owned.set(key(location), id);
    return true;
  }

  /** Frees the id `location` owns (the file is gone or the feed dropped the link). */
  release(location: string): void {
    const k = key(location);
    const id = this.owned.get(k);
    if (id === undefined) return;
    this.owned.delete(k);
    if (this.owners.get(id) !== undefined && key(this.owners.get(id)!) === k) this.owners.delete(id);
  }
}

/** A watcher's claims, checked against the store for local files, with the refusal a poller reports. */
export class ArticleClaims {
  readonly #claims = new IdClaims();

  constructor(
    private readonly store: SnapshotStore,
    private readonly logger: Logger,
  ) {}

  /**
   * Why `location` may not feed `id` (another location owns it), or undefined once it owns it. `local`: a file, which
   * the store's latest version of `id` may say another existing file owns.
   */
  async refusal(id: ArticleId, location: string, local: boolean): Promise<string | undefined> {
    const claims = this.#claims;
    const owner = claims.ownerOf(id);
    if (owner !== undefined) return claims.claim(id, location) ? undefined : collisionDetail(id, owner);
    if (local) {
      const other = await storedElsewhere(this.store, id, location);
      if (other !== undefined) return collisionDetail(id, other, true);
    }
    return claims.claim(id, location) ? undefined : collisionDetail(id, claims.ownerOf(id)!);
  }

  /** Frees the id `location` owns (the file is gone, the feed dropped the link). */
  release(location: string): void {
    this.#claims.release(location);
  }

  /**
   * Checks the claim of `a`'s location on its id: undefined when it may be read, else an 'error' result (logged and
   * counted once per location and refusal).
   */
  async check(source: SourceState, a: ArticleState, local: boolean): Promise<ArticlePollResult | undefined> {
    const detail = await this.refusal(a.id, a.location, local);
    if (detail === undefined) {
      delete a.collision;
      return undefined;
    }
    if (a.collision !== detail) {
      a.collision = detail;
      source.counts.errors++;
      this.logger.warn({ source: source.index, article: a.id, location: a.location }, `not read: ${detail}`);
    }
    a.lastOutcome = 'error';
    a.lastDetail = detail;
    return { article: a.id, location: a.location, outcome: 'error', detail };
  }
}
