/**
 * The newest version of each article kept parsed in memory (it saves a read for the next diff), across articles:
 * at most `LATEST_CACHE` of them and `LATEST_CACHE_BYTES` by the size of their documents, least recently used dropped
 * first, the newest one kept at least. The version hangs on its article's index entry (article-index.ts).
 */
import type { ArticleId, StoredVersion } from '../../core/model/version.js';

/** Newest versions kept parsed in memory, across articles (least recently used dropped first). */
const LATEST_CACHE = 64;
/** ...and at most this many bytes of them (by the size of their documents), keeping the newest one at least. */
const LATEST_CACHE_BYTES = 32 << 20;

/** Where an article keeps its cached newest version. */
export interface LatestSlot {
  /** The newest version, parsed, when known (saves a read for the next diff). */
  latest: StoredVersion | undefined;
  /** The size of `latest`'s document (JSON bytes), what it roughly takes in memory. */
  latestBytes: number;
}

export class LatestCache {
  /** Articles with a cached version, least recently used first. */
  private readonly cached: ArticleId[] = [];
  private cachedBytes = 0;

  /** `slotOf` finds an article's slot (undefined once it is gone). */
  constructor(private readonly slotOf: (id: ArticleId) => LatestSlot | undefined) {}

  /** Keeps `v` (whose document takes `bytes`) as the newest version of `id`, in its slot `slot`. */
  remember(id: ArticleId, slot: LatestSlot, v: StoredVersion, bytes: number): void {
    const i = this.cached.indexOf(id);
    if (i >= 0) {
      this.cached.splice(i, 1);
      this.cachedBytes -= slot.latestBytes;
    }
    slot.latest = v;
    slot.latestBytes = bytes;
    this.cached.push(id);
    this.cachedBytes += bytes;
    while (this.cached.length > LATEST_CACHE || (this.cachedBytes > LATEST_CACHE_BYTES && this.cached.length > 1)) {
      const old = this.cached.shift()!;
      const e = this.slotOf(old);
      if (e) {
        e.latest = undefined;
        this.cachedBytes -= e.latestBytes;
        e.latestBytes = 0;
      }
    }
  }

  clear(): void {
    this.cached.length = 0;
  }
}
