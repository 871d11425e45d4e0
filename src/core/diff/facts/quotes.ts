/** Quotes added or removed (with the speaker): inside edited paragraphs, and in whole paragraphs added or cut. */
import type { ChangeFact } from '../../model/changeset.js';
import { quotesIn, speakerOf } from '../conventions.js';
import { countWordDelta } from '../words.js';
import { clipText, type FactContext, type TextEdit } from './context.js';

/** Two quotes are the same when at least this share of the longer one's words are common to both. */
const SAME_QUOTE_MIN_COMMON = 0.6;

function sameQuote(a: string, b: string): boolean {
  const wa = a.toLowerCase().split(/\s+/);
  const wb = b.toLowerCase().split(/\s+/);
  const d = countWordDelta(wa, wb);
  const common = wb.length - d.added;
  return common >= SAME_QUOTE_MIN_COMMON * Math.max(wa.length, wb.length);
}

/** The `quote` facts of one edit of a story paragraph: quotes new in it, then quotes gone from it. */
export function quoteEditFacts(ctx: FactContext, op: TextEdit): ChangeFact[] {
  if (ctx.newRoles[op.n] !== 'story') return [];
  const oldNorm = ctx.oldA.paragraphs[op.o]!.norm;
  const newNorm = ctx.newA.paragraphs[op.n]!.norm;
  const oq = quotesIn(oldNorm);
  const nq = quotesIn(newNorm);
  const at = { o: op.o, n: op.n };
  return [
    ...nq
      .filter((q) => !oq.some((x) => sameQuote(x, q)))
      .map((q): ChangeFact => ({ type: 'quote', change: 'added', speaker: speakerOf(newNorm), text: clipText(q), at })),
    ...oq
      .filter((q) => !nq.some((x) => sameQuote(x, q)))
      .map((q): ChangeFact => ({
        type: 'quote',
        change: 'removed',
        speaker: speakerOf(oldNorm),
        text: clipText(q),
        at,
      })),
  ];
}

/** The `quote` facts of whole story paragraphs inserted or deleted, in op order. */
export function quoteParagraphFacts(ctx: FactContext): ChangeFact[] {
  const facts: ChangeFact[] = [];
  for (const op of ctx.ops) {
    if (op.op === 'insert' && ctx.newRoles[op.n] === 'story') {
      const norm = ctx.newA.paragraphs[op.n]!.norm;
      for (const q of quotesIn(norm)) {
        facts.push({ type: 'quote', change: 'added', speaker: speakerOf(norm), text: clipText(q), at: { n: op.n } });
      }
    } else if (op.op === 'delete' && ctx.oldRoles[op.o] === 'story') {
      const norm = ctx.oldA.paragraphs[op.o]!.norm;
      for (const q of quotesIn(norm)) {
        facts.push({ type: 'quote', change: 'removed', speaker: speakerOf(norm), text: clipText(q), at: { o: op.o } });
      }
    }
  }
  return facts;
}
