/** Options of `diffVersions`, their defaults and their validation. All bounds are counts, never times. */
import { checkInt, checkObject } from '../expect.js';

export interface DiffOptions {
  /**
   * Bound on the word diff of one paragraph, in jsdiff tokens (words, punctuation marks, whitespace runs).
   * Past it the paragraph is shown as replaced (`parts: null`). Default 120 (about 60 words changed); an integer from 1 to 100,000.
   */
  readonly maxWordEdit?: number;
  /**
   * Bound on Myers over a large region that has no paragraph unique on both sides, in paragraphs inserted plus
   * deleted. Past it nothing in that region is aligned (pairing still finds the edits). Default 256; 0 to 100,000.
   */
  readonly maxAlignEdit?: number;
  /**
   * Pools of removed × added paragraphs up to this many pairs are compared exhaustively; larger pools use a band
   * around the diagonal and shingle-signature buckets. Default 2,500; 0 to 10,000,000.
   */
  readonly fullCompareLimit?: number;
}

export interface ResolvedDiffOptions {
  readonly maxWordEdit: number;
  readonly maxAlignEdit: number;
  readonly fullCompareLimit: number;
}

export const DEFAULT_DIFF_OPTIONS: ResolvedDiffOptions = {
  maxWordEdit: 120,
  maxAlignEdit: 256,
  fullCompareLimit: 2_500,
};

export function resolveDiffOptions(options: DiffOptions | undefined): ResolvedDiffOptions {
  if (options === undefined) return DEFAULT_DIFF_OPTIONS;
  checkObject('options', options);
  const d = DEFAULT_DIFF_OPTIONS;
  return {
    maxWordEdit: checkInt('maxWordEdit', options.maxWordEdit, 1, 100_000, { fallback: d.maxWordEdit }),
    maxAlignEdit: checkInt('maxAlignEdit', options.maxAlignEdit, 0, 100_000, { fallback: d.maxAlignEdit }),
    fullCompareLimit: checkInt('fullCompareLimit', options.fullCompareLimit, 0, 10_000_000, {
      fallback: d.fullCompareLimit,
    }),
  };
}
