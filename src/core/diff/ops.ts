/**
 * Turns the filled-in diff state into ops in document order, with word-level parts, and counts words.
 *
 * Order: walking both documents together, at each step the old paragraph that produces nothing (delete, moved-out)
 * comes first, then the new paragraph that comes from elsewhere (insert, move), then the aligned step (equal run,
 * edit, split, merge), which advances both sides. Equal runs are compressed into one op with `count`.
 */
import type { Op, WordPart } from '../model/changeset.js';
import { concatInt32, WORD_DIFF_MIN_SIMILARITY, wordHashes } from './similarity.js';
import {
  N_EDITED,
  N_EQUAL,
  N_INSERTED,
  N_MERGED,
  N_MOVED,
  N_SPLIT,
  O_DELETED,
  O_EDITED,
  O_EQUAL,
  O_MERGED,
  O_MOVED,
  O_SPLIT,
  type DiffState,
} from './state.js';
import { keptShare, REPLACE_MAX_UNCHANGED } from '../model/changeset.js';
import { countPartWords, countWordDelta, readableParts } from './words.js';

export interface BuiltOps {
  readonly ops: Op[];
  readonly wordsAdded: number;
  readonly wordsRemoved: number;
}

export function buildOps(st: DiffState, maxWordEdit: number): BuiltOps {
  const ops: Op[] = [];
  const oldTexts = st.oldF.texts;
  const newTexts = st.newF.texts;
  const na = oldTexts.length;
  const nb = newTexts.length;
  let wordsAdded = 0;
  let wordsRemoved = 0;
  const minSim = Math.round(WORD_DIFF_MIN_SIMILARITY * 1000);
  const diffWords = (o: number, n: number): WordPart[] | null => {
    const parts = st.sim[n]! < minSim ? null : readableParts(oldTexts[o]!, newTexts[n]!, maxWordEdit);
    if (parts !== null) {
      const c = countPartWords(parts);
      wordsAdded += c.added;
      wordsRemoved += c.removed;
    } else {
      const c = countWordDelta(wordHashes(st.oldF.norms[o]!), wordHashes(st.newF.norms[n]!));
      wordsAdded += c.added;
      wordsRemoved += c.removed;
    }
    return parts;
  };

  let i = 0;
  let j = 0;
  while (i < na || j < nb) {
    const ok = i < na ? st.oldKind[i]! : -1;
    if (ok === O_DELETED) {
      ops.push({ op: 'delete', o: i, text: oldTexts[i]! });
      wordsRemoved += st.oldF.wordCount(i);
      i++;
      continue;
    }
    if (ok === O_MOVED) {
      ops.push({ op: 'moved-out', o: i, n: st.oldLink[i]!, text: oldTexts[i]! });
      i++;
      continue;
    }
    const nk = j < nb ? st.newKind[j]! : -1;
    if (nk === N_INSERTED) {
      ops.push({ op: 'insert', n: j, text: newTexts[j]! });
      wordsAdded += st.newF.wordCount(j);
      j++;
      continue;
    }
    if (nk === N_MOVED) {
      const o = st.newLink[j]!;
      const same = oldTexts[o] === newTexts[j];
      const parts = same ? null : diffWords(o, j);
      // A moved paragraph whose word diff went past the bound still shows its change: an empty-change marker is
      // not possible, so it carries one replace pair.
      const shown: readonly WordPart[] | null =
        same || parts !== null
          ? parts
          : [
              { t: '-', v: oldTexts[o]! },
              { t: '+', v: newTexts[j]! },
            ];
      ops.push({ op: 'move', o, n: j, similarity: st.sim[j]! / 1000, parts: shown, text: newTexts[j]! });
      j++;
      continue;
    }
    if (ok < 0 || nk < 0) throw new Error(`wirediff internal error: ops walk out of step at old ${i}, new ${j}`);
    if (ok === O_EQUAL && nk === N_EQUAL && st.oldLink[i] === j) {
      const last = ops[ops.length - 1];
      if (last !== undefined && last.op === 'equal' && last.o + last.count === i && last.n + last.count === j) {
        ops[ops.length - 1] = { op: 'equal', o: last.o, n: last.n, count: last.count + 1 };
      } else {
        ops.push({ op: 'equal', o: i, n: j, count: 1 });
      }
      i++;
      j++;
      continue;
    }
    if (ok === O_EDITED && nk === N_EDITED && st.oldLink[i] === j) {
      const cosmetic = st.oldF.norms[i] === st.newF.norms[j];
      const parts = diffWords(i, j);
      ops.push({
        op: 'edit',
        o: i,
        n: j,
        similarity: st.sim[j]! / 1000,
        cosmetic,
        parts,
        old: oldTexts[i]!,
        text: newTexts[j]!,
        replace: !cosmetic && keptShare(parts, oldTexts[i]!, newTexts[j]!) <= REPLACE_MAX_UNCHANGED,
      });
      i++;
      j++;
      continue;
    }
    if (ok === O_SPLIT && nk === N_SPLIT && st.oldLink[i] === j) {
      const count = st.splitLen[i]!;
      const texts = newTexts.slice(j, j + count);
      const pieces: Int32Array[] = [];
      for (let k = j; k < j + count; k++) pieces.push(wordHashes(st.newF.norms[k]!));
      const c = countWordDelta(wordHashes(st.oldF.norms[i]!), concatInt32(pieces));
      wordsAdded += c.added;
      wordsRemoved += c.removed;
      ops.push({ op: 'split', o: i, n: j, old: oldTexts[i]!, texts, similarity: st.sim[j]! / 1000 });
      i++;
      j += count;
      continue;
    }
    if (ok === O_MERGED && nk === N_MERGED && st.newLink[j] === i) {
      const count = st.mergeLen[j]!;
      const olds = oldTexts.slice(i, i + count);
      const parts: Int32Array[] = [];
      for (let k = i; k < i + count; k++) parts.push(wordHashes(st.oldF.norms[k]!));
      const c = countWordDelta(concatInt32(parts), wordHashes(st.newF.norms[j]!));
      wordsAdded += c.added;
      wordsRemoved += c.removed;
      ops.push({ op: 'merge', o: i, n: j, olds, text: newTexts[j]!, similarity: st.sim[j]! / 1000 });
      i += count;
      j++;
      continue;
    }
    throw new Error(`wirediff internal error: ops walk out of step at old ${i} (${ok}), new ${j} (${nk})`);
  }
  return { ops, wordsAdded, wordsRemoved };
}
