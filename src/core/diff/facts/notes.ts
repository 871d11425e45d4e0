/**
 * The story's own notes: note paragraphs added or changed (Reuters, AFP, Bloomberg, AP, "This story has been
 * updated…", "Editor's note:", "Clarification:"), and wire prefixes new in the headline ("UPDATE 2", "URGENT").
 */
import type { ChangeFact, NoteConvention } from '../../model/changeset.js';
import { noteConvention, prefixConvention, splitHeadline } from '../conventions.js';
import { clipText, type FactContext } from './context.js';

export function noteFacts(ctx: FactContext): ChangeFact[] {
  const facts: ChangeFact[] = [];
  const oldNoteNorms = new Set(ctx.oldA.paragraphs.filter((_, i) => ctx.oldRoles[i] === 'note').map((p) => p.norm));
  ctx.newA.paragraphs.forEach((p, i) => {
    if (ctx.newRoles[i] !== 'note' || oldNoteNorms.has(p.norm)) return;
    const k = ctx.newOp[i] ?? -1;
    if (k >= 0 && ctx.editClass[k] === 'cosmetic') return;
    const convention: NoteConvention =
      noteConvention(p.norm) ?? (p.block === 'correction' ? 'correction' : 'story-updated');
    facts.push({ type: 'note', convention, text: clipText(p.text, 240), at: { n: i } });
  });
  const oldPrefixes = splitHeadline(ctx.oldA.title).prefixes;
  for (const prefix of splitHeadline(ctx.newA.title).prefixes) {
    if (oldPrefixes.includes(prefix)) continue;
    facts.push({ type: 'note', convention: prefixConvention(prefix), text: prefix, at: {} });
  }
  return facts;
}
