/** Figures changed in an edited paragraph ("killed 4 → 7"), paired old to new by the words around them. */
import type { ChangeFact } from '../../model/changeset.js';
import { figureLabel, figuresIn, type Figure } from '../conventions.js';
import type { FactContext, TextEdit } from './context.js';

/** Figures that changed between two texts of one paragraph: pairs of (old, new) with the label of the new one. */
export function changedFigures(oldNorm: string, newNorm: string): { old: Figure; new: Figure }[] {
  const olds = figuresIn(oldNorm);
  const news = figuresIn(newNorm);
  const usedOld = new Set<number>();
  const restNew: Figure[] = [];
  const sameContext = (a: Figure, b: Figure): boolean =>
    (a.after[0] ?? '') === (b.after[0] ?? '') || (a.before.at(-1) ?? '') === (b.before.at(-1) ?? '');
  for (const n of news) {
    const k = olds.findIndex(
      (o, i) => !usedOld.has(i) && o.value.toLowerCase() === n.value.toLowerCase() && sameContext(o, n),
    );
    if (k >= 0) usedOld.add(k);
    else restNew.push(n);
  }
  const restOld = olds.filter((_, i) => !usedOld.has(i));
  const pairs: { old: Figure; new: Figure }[] = [];
  const taken = new Set<number>();
  for (const n of restNew) {
    const best = closestFigure(restOld, n, taken, restNew.length);
    if (best >= 0 && restOld[best]!.value !== n.value) {
      taken.add(best);
      pairs.push({ old: restOld[best]!, new: n });
    }
  }
  return pairs;
}

/**
 * The old figure `n` most likely replaced: the one whose neighbouring words match best, or the only one left when
 * one figure changed and no words match; -1 for none.
 */
function closestFigure(restOld: readonly Figure[], n: Figure, taken: ReadonlySet<number>, newCount: number): number {
  let best = -1;
  let bestScore = 0;
  restOld.forEach((o, i) => {
    if (taken.has(i)) return;
    let score = 0;
    if ((o.after[0] ?? '') === (n.after[0] ?? '') && n.after.length > 0) score += 2;
    if ((o.before.at(-1) ?? '') === (n.before.at(-1) ?? '') && n.before.length > 0) score += 2;
    for (const w of n.after) if (o.after.includes(w)) score += 0.5;
    for (const w of n.before) if (o.before.includes(w)) score += 0.5;
    if (score > bestScore) {
      bestScore = score;
      best = i;
    }
  });
  if (best < 0 && restOld.length === 1 && newCount === 1 && !taken.has(0)) best = 0;
  return best;
}

/** The `figure` facts of one edit (story and note paragraphs only). */
export function figureFacts(ctx: FactContext, op: TextEdit): ChangeFact[] {
  const role = ctx.newRoles[op.n]!;
  if (role !== 'story' && role !== 'note') return [];
  const oldP = ctx.oldA.paragraphs[op.o]!;
  const newP = ctx.newA.paragraphs[op.n]!;
  return changedFigures(oldP.norm, newP.norm).map((pair) => ({
    type: 'figure',
    label: figureLabel(pair.new),
    old: pair.old.value,
    new: pair.new.value,
    inLede: op.n === ctx.ledeNew,
    at: { o: op.o, n: op.n },
  }));
}
