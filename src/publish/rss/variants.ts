/**
 * Filtered variants of a feed (`all.xml?kinds=figures&min=0.3`): built on their first request, kept in memory (at most
 * `MAX_VARIANTS`, least recently used dropped) each with its own strong ETag and Last-Modified, and rebuilt on the
 * first request after an event that may change them. A variant is never written to disk.
 */
import type { BuildQueue } from './build-queue.js';
import { ALL_FEED, type FeedBuilder, type FeedSpec } from './feed-build.js';
import { feedFile, nextModified, type FeedFile } from './feed-file.js';

/** Filtered variants kept in memory, at most. */
export const MAX_VARIANTS = 128;

/** A variant in memory: the last build, and the generation it was built at (stale when behind `gen`). */
interface Variant {
  file: FeedFile | undefined;
  builtGen: number;
  gen: number;
  pending: Promise<FeedFile> | undefined;
  pendingGen: number;
}

export interface VariantCacheOptions {
  readonly build: FeedBuilder;
  /** Where builds wait their turn (after the file builds already asked for). */
  readonly queue: BuildQueue;
  /** The clock (Last-Modified of a changed variant). */
  readonly now: () => number;
}

export interface VariantCache {
  /** The variant `spec` describes (its `query` is not empty): the last build when current, else a new build. */
  get(spec: FeedSpec): Promise<FeedFile>;
  /** An event of `article` was published: the variants of `all` and of that article are stale. */
  invalidate(article: string): void;
}

export function createVariantCache(options: VariantCacheOptions): VariantCache {
  const { build, queue, now } = options;
  const variants = new Map<string, Variant>();

  /** The variant under `key`, now the most recently used (a new one may drop the least recently used). */
  const touch = (key: string): Variant => {
    let v = variants.get(key);
    if (v !== undefined) {
      variants.delete(key); // most recently used goes last
      variants.set(key, v);
      return v;
    }
    v = { file: undefined, builtGen: -1, gen: 0, pending: undefined, pendingGen: -1 };
    variants.set(key, v);
    for (const old of variants.keys()) {
      if (variants.size <= MAX_VARIANTS) break;
      if (old !== key) variants.delete(old);
    }
    return v;
  };

  const rebuild = (key: string, v: Variant, spec: FeedSpec): Promise<FeedFile> => {
    const gen = v.gen;
    const p = queue.run(async (): Promise<FeedFile> => {
      const body = await build(spec);
      const previous = v.file;
      const file =
        previous !== undefined && previous.body.equals(body)
          ? previous
          : feedFile(spec.name, body, nextModified(now(), previous));
      v.file = file;
      v.builtGen = gen;
      return file;
    });
    v.pending = p;
    v.pendingGen = gen;
    void p.then(
      () => {
        if (v.pending === p) v.pending = undefined;
      },
      () => {
        if (v.pending === p) v.pending = undefined;
        // A variant that never built is forgotten (the error is the request's).
        if (v.file === undefined && variants.get(key) === v) variants.delete(key);
      },
    );
    return p;
  };

  return {
    get(spec) {
      const key = `${spec.name}?${spec.query}`;
      const v = touch(key);
      if (v.file !== undefined && v.builtGen === v.gen) return Promise.resolve(v.file);
      if (v.pending !== undefined && v.pendingGen === v.gen) return v.pending;
      return rebuild(key, v, spec);
    },
    invalidate(article) {
      for (const [key, v] of variants) {
        if (key.startsWith(`${ALL_FEED}?`) || key.startsWith(`${article}?`)) v.gen++;
      }
    },
  };
}
