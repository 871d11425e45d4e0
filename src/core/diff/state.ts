/**
 * The working state of one diff: what became of each old paragraph and where each new paragraph came from.
 * Filled in stage by stage (align → pair → split/merge → moves), then turned into ops (`ops.ts`).
 */
import type { SideFeatures } from './features.js';

/** What became of an old paragraph (`DiffState.oldKind`). */
export const OldFate = { deleted: 0, equal: 1, edited: 2, split: 3, merged: 4, moved: 5 } as const;

/** Where a new paragraph came from (`DiffState.newKind`). */
export const NewSource = { inserted: 0, equal: 1, edited: 2, split: 3, merged: 4, moved: 5 } as const;

export class DiffState {
  readonly oldF: SideFeatures;
  readonly newF: SideFeatures;
  readonly oldKind: Uint8Array;
  readonly newKind: Uint8Array;
  /** old → new: the new paragraph (the first piece for a split). */
  readonly oldLink: Int32Array;
  /** new → old: the old paragraph (the first part for a merge). */
  readonly newLink: Int32Array;
  /** For a split at old i: how many new pieces. */
  readonly splitLen: Int32Array;
  /** For a merge at new j: how many old parts. */
  readonly mergeLen: Int32Array;
  /** Similarity (thousandths) recorded at the new paragraph (edit, move) or the first piece (split) / the merged one. */
  readonly sim: Int32Array;

  constructor(oldF: SideFeatures, newF: SideFeatures) {
    this.oldF = oldF;
    this.newF = newF;
    const na = oldF.length;
    const nb = newF.length;
    this.oldKind = new Uint8Array(na);
    this.newKind = new Uint8Array(nb);
    this.oldLink = new Int32Array(na).fill(-1);
    this.newLink = new Int32Array(nb).fill(-1);
    this.splitLen = new Int32Array(na);
    this.mergeLen = new Int32Array(nb);
    this.sim = new Int32Array(nb);
  }

  link(i: number, j: number, ok: number, nk: number, w: number): void {
    this.oldKind[i] = ok;
    this.newKind[j] = nk;
    this.oldLink[i] = j;
    this.newLink[j] = i;
    this.sim[j] = w;
  }
}
