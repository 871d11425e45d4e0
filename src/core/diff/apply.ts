/**
 * Applying a ChangeSet to the old version's paragraphs rebuilds the new version's paragraphs exactly: each op, in
 * order, emits what it produces (`equal`: the old paragraphs; `insert`, `edit`, `move`, `merge`: its `text`;
 * `split`: its `texts`; `delete`, `moved-out`: nothing).
 */
import { WirediffError } from '../errors.js';
import type { ChangeSet } from '../model/changeset.js';

/** @throws WirediffError `E_CORRUPT` when an `equal` op points outside `oldParagraphs`. */
export function applyChangeSet(oldParagraphs: readonly string[], cs: Pick<ChangeSet, 'ops'>): string[] {
  const out: string[] = [];
  for (const op of cs.ops) {
    switch (op.op) {
      case 'equal':
        if (op.o < 0 || op.count < 0 || op.o + op.count > oldParagraphs.length) {
          throw new WirediffError(
            'E_CORRUPT',
            `ChangeSet op equal at old ${op.o} (count ${op.count}) is outside the ${oldParagraphs.length} old paragraphs`,
          );
        }
        for (let k = 0; k < op.count; k++) out.push(oldParagraphs[op.o + k]!);
        break;
      case 'insert':
      case 'edit':
      case 'move':
      case 'merge':
        out.push(op.text);
        break;
      case 'split':
        out.push(...op.texts);
        break;
      case 'delete':
      case 'moved-out':
        break;
    }
  }
  return out;
}
