/** The lede replaced: the first story paragraph is new, moved up, or rewritten (not said for live blogs). */
import type { ChangeFact } from '../../model/changeset.js';
import { clipText, type FactContext } from './context.js';

export function ledeFact(ctx: FactContext): ChangeFact | undefined {
  const { ledeNew, ledeOld } = ctx;
  if (ledeNew < 0 || ctx.liveBlog) return undefined;
  const k = ctx.newOp[ledeNew] ?? -1;
  const op = k >= 0 ? ctx.ops[k] : undefined;
  const replaced =
    ctx.newFrom[ledeNew] === 'inserted' ||
    ctx.newFrom[ledeNew] === 'moved' ||
    (op !== undefined &&
      (op.op === 'edit' || op.op === 'split' || op.op === 'merge') &&
      ctx.editClass[k] === 'rewrite');
  if (!replaced) return undefined;
  return {
    type: 'lede',
    old: ledeOld >= 0 ? clipText(ctx.oldA.paragraphs[ledeOld]!.text) : '',
    new: clipText(ctx.newA.paragraphs[ledeNew]!.text),
    at: { ...(ledeOld >= 0 ? { o: ledeOld } : {}), n: ledeNew },
  };
}
