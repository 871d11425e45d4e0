/**
 * Per-paragraph features for similarity, computed lazily and cached per side, so a paragraph that was aligned
 * as unchanged is never tokenized.
 */
import { shingleSignature, toWordSet, wordHashes } from './similarity.js';

export class SideFeatures {
  readonly texts: readonly string[];
  readonly norms: readonly string[];
  private readonly hashes: (Int32Array | undefined)[];
  private readonly sets: (Int32Array | undefined)[];
  private readonly sigs: (number[] | undefined)[];

  constructor(texts: readonly string[], norms: readonly string[]) {
    this.texts = texts;
    this.norms = norms;
    this.hashes = new Array<Int32Array | undefined>(texts.length);
    this.sets = new Array<Int32Array | undefined>(texts.length);
    this.sigs = new Array<number[] | undefined>(texts.length);
  }

  get length(): number {
    return this.texts.length;
  }

  /** Word hashes of the normalized text, in reading order. */
  words(i: number): Int32Array {
    let h = this.hashes[i];
    if (h === undefined) {
      h = wordHashes(this.norms[i]!);
      this.hashes[i] = h;
    }
    return h;
  }

  /** Sorted, de-duplicated word set. */
  set(i: number): Int32Array {
    let s = this.sets[i];
    if (s === undefined) {
      s = toWordSet(this.words(i));
      this.sets[i] = s;
    }
    return s;
  }

  /** Shingle signature (candidate keys for large pools). */
  signature(i: number): number[] {
    let s = this.sigs[i];
    if (s === undefined) {
      s = shingleSignature(this.words(i));
      this.sigs[i] = s;
    }
    return s;
  }
}
