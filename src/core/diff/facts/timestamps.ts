/** Dates and times that changed: inside an edited paragraph, and whole time lines ("Updated 3:10 p.m.") added or cut. */
import type { ChangeFact } from '../../model/changeset.js';
import { datesIn } from '../conventions.js';
import { clipText, type FactContext, type TextEdit } from './context.js';

/** The `timestamp` fact of an edit that changed only dates and times: the dates gone and the dates new. */
export function timestampEditFact(ctx: FactContext, op: TextEdit): ChangeFact {
  const od = datesIn(ctx.oldA.paragraphs[op.o]!.norm);
  const nd = datesIn(ctx.newA.paragraphs[op.n]!.norm);
  return {
    type: 'timestamp',
    old: od.filter((d) => !nd.includes(d)).join(', '),
    new: nd.filter((d) => !od.includes(d)).join(', '),
    at: { o: op.o, n: op.n },
  };
}

/** The `timestamp` facts of time lines inserted or deleted, in op order. */
export function timestampLineFacts(ctx: FactContext): ChangeFact[] {
  const facts: ChangeFact[] = [];
  for (const op of ctx.ops) {
    if (op.op === 'insert' && ctx.newRoles[op.n] === 'timestamp') {
      facts.push({ type: 'timestamp', old: '', new: clipText(ctx.newA.paragraphs[op.n]!.text), at: { n: op.n } });
    } else if (op.op === 'delete' && ctx.oldRoles[op.o] === 'timestamp') {
      facts.push({ type: 'timestamp', old: clipText(ctx.oldA.paragraphs[op.o]!.text), new: '', at: { o: op.o } });
    }
  }
  return facts;
}
