/**
 * Turns the filled-in diff state into ops in document order, with word-level parts, and counts words.
 *
 * Order: walking both documents together, at each step the old paragraph that produces nothing (delete, moved-out)
 * comes first, then the new paragraph that comes from elsewhere (insert, move), then the aligned step (equal run,
 * edit, split, merge), which advances both sides. Equal runs are compressed into one op with `count`.
 */
import type { Op, WordPart } from '../model/changeset.js';
import { concatInt32, WORD_DIFF_MIN_SIMILARITY, wordHashes } from './similarity.js';
import { type DiffState, NewSource, OldFate } from './state.js';
import { keptShare, REPLACE_MAX_UNCHANGED } from '../model/changeset.js';
import { countPartWords, countWordDelta, readableParts } from './words.js';

export interface BuiltOps {
  readonly ops: Op[];
  readonly wordsAdded: number;
  readonly wordsRemoved: number;
}

/** How far one step of the walk advances the old and the new side. */
type Advance = readonly [old: number, next: number];

/** The word hashes of paragraphs `from` … `from + count - 1` of one side, joined in order. */
function joinedHashes(norms: readonly string[], from: number, count: number): Int32Array {
  const pieces: Int32Array[] = [];
  for (let k = from; k < from + count; k++) pieces.push(wordHashes(norms[k]!));
  return concatInt32(pieces);
}

/** Writes the ops of the walk, one step at a time, and counts the words added and removed. */
class OpWriter {
  readonly ops: Op[] = [];
  wordsAdded = 0;
  wordsRemoved = 0;
  private readonly oldTexts: readonly string[];
  private readonly newTexts: readonly string[];
  private readonly minSim: number;

  constructor(
    private readonly st: DiffState,
    private readonly maxWordEdit: number,
  ) {
    this.oldTexts = st.oldF.texts;
    this.newTexts = st.newF.texts;
    this.minSim = Math.round(WORD_DIFF_MIN_SIMILARITY * 1000);
  }

  /** Writes the op of the step at old `i`, new `j` (see the module comment for the order). */
  step(i: number, j: number): Advance {
    const st = this.st;
    const ok = i < this.oldTexts.length ? st.oldKind[i]! : -1;
    if (ok === OldFate.deleted) return this.deleted(i);
    if (ok === OldFate.moved) return this.movedOut(i);
    const nk = j < this.newTexts.length ? st.newKind[j]! : -1;
    if (nk === NewSource.inserted) return this.inserted(j);
    if (nk === NewSource.moved) return this.movedIn(j);
    if (ok < 0 || nk < 0) throw new Error(`wirediff internal error: ops walk out of step at old ${i}, new ${j}`);
    if (ok === OldFate.equal && nk === NewSource.equal && st.oldLink[i] === j) return this.equal(i, j);
    if (ok === OldFate.edited && nk === NewSource.edited && st.oldLink[i] === j) return this.edited(i, j);
    if (ok === OldFate.split && nk === NewSource.split && st.oldLink[i] === j) return this.split(i, j);
    if (ok === OldFate.merged && nk === NewSource.merged && st.newLink[j] === i) return this.merged(i, j);
    throw new Error(`wirediff internal error: ops walk out of step at old ${i} (${ok}), new ${j} (${nk})`);
  }

  private count(c: { readonly added: number; readonly removed: number }): void {
    this.wordsAdded += c.added;
    this.wordsRemoved += c.removed;
  }

  /** Word parts from old `o` to new `n` (null when too unlike, see `WORD_DIFF_MIN_SIMILARITY`); counts the words. */
  private diffWords(o: number, n: number): WordPart[] | null {
    const st = this.st;
    const parts =
      st.sim[n]! < this.minSim ? null : readableParts(this.oldTexts[o]!, this.newTexts[n]!, this.maxWordEdit);
    this.count(
      parts !== null
        ? countPartWords(parts)
        : countWordDelta(wordHashes(st.oldF.norms[o]!), wordHashes(st.newF.norms[n]!)),
    );
    return parts;
  }

  private deleted(i: number): Advance {
    this.ops.push({ op: 'delete', o: i, text: this.oldTexts[i]! });
    this.wordsRemoved += this.st.oldF.wordCount(i);
    return [1, 0];
  }

  private movedOut(i: number): Advance {
    this.ops.push({ op: 'moved-out', o: i, n: this.st.oldLink[i]!, text: this.oldTexts[i]! });
    return [1, 0];
  }

  private inserted(j: number): Advance {
    this.ops.push({ op: 'insert', n: j, text: this.newTexts[j]! });
    this.wordsAdded += this.st.newF.wordCount(j);
    return [0, 1];
  }

  private movedIn(j: number): Advance {
    const o = this.st.newLink[j]!;
    const same = this.oldTexts[o] === this.newTexts[j];
    const parts = same ? null : this.diffWords(o, j);
    // A moved paragraph whose word diff went past the bound still shows its change: an empty-change marker is
    // not possible, so it carries one replace pair.
    const shown: readonly WordPart[] | null =
      same || parts !== null
        ? parts
        : [
            { t: '-', v: this.oldTexts[o]! },
            { t: '+', v: this.newTexts[j]! },
          ];
    this.ops.push({ op: 'move', o, n: j, similarity: this.st.sim[j]! / 1000, parts: shown, text: this.newTexts[j]! });
    return [0, 1];
  }

  /** Extends the equal run before it when it continues it. */
  private equal(i: number, j: number): Advance {
    const ops = this.ops;
    const last = ops[ops.length - 1];
    if (last !== undefined && last.op === 'equal' && last.o + last.count === i && last.n + last.count === j) {
      ops[ops.length - 1] = { op: 'equal', o: last.o, n: last.n, count: last.count + 1 };
    } else {
      ops.push({ op: 'equal', o: i, n: j, count: 1 });
    }
    return [1, 1];
  }

  private edited(i: number, j: number): Advance {
    const oldText = this.oldTexts[i]!;
    const newText = this.newTexts[j]!;
    const cosmetic = this.st.oldF.norms[i] === this.st.newF.norms[j];
    const parts = this.diffWords(i, j);
    this.ops.push({
      op: 'edit',
      o: i,
      n: j,
      similarity: this.st.sim[j]! / 1000,
      cosmetic,
      parts,
      old: oldText,
      text: newText,
      replace: !cosmetic && keptShare(parts, oldText, newText) <= REPLACE_MAX_UNCHANGED,
    });
    return [1, 1];
  }

  private split(i: number, j: number): Advance {
    const st = this.st;
    const count = st.splitLen[i]!;
    const pieces = joinedHashes(st.newF.norms, j, count);
    this.count(countWordDelta(wordHashes(st.oldF.norms[i]!), pieces));
    const texts = this.newTexts.slice(j, j + count);
    this.ops.push({ op: 'split', o: i, n: j, old: this.oldTexts[i]!, texts, similarity: st.sim[j]! / 1000 });
    return [1, count];
  }

  private merged(i: number, j: number): Advance {
    const st = this.st;
    const count = st.mergeLen[j]!;
    this.count(countWordDelta(joinedHashes(st.oldF.norms, i, count), wordHashes(st.newF.norms[j]!)));
    const olds = this.oldTexts.slice(i, i + count);
    this.ops.push({ op: 'merge', o: i, n: j, olds, text: this.newTexts[j]!, similarity: st.sim[j]! / 1000 });
    return [count, 1];
  }
}

/** The ops of a filled-in diff state, in document order, with the words added and removed. */
export function buildOps(st: DiffState, maxWordEdit: number): BuiltOps {
  const writer = new OpWriter(st, maxWordEdit);
  const na = st.oldF.texts.length;
  const nb = st.newF.texts.length;
  let i = 0;
  let j = 0;
  while (i < na || j < nb) {
    const [di, dj] = writer.step(i, j);
    i += di;
    j += dj;
  }
  return { ops: writer.ops, wordsAdded: writer.wordsAdded, wordsRemoved: writer.wordsRemoved };
}
