/**
 * A ChangeSet's facts as lines people read, one per kind of fact: "Figures: killed 4 → 7 (¶1, lede)", "Quote added:
 * Kathy Jones, “The Fed is telling markets…” (¶5)". Used by the text and HTML renderers (and any channel that shows
 * facts); pure, plain text (escape it for the target).
 */
import type { ChangeFact, FactPosition } from '../model/changeset.js';
import { clip, plural } from '../words.js';

export interface FactLine {
  /** "Figures", "Quote added", "New lede", "Headline", "Added", "Cut", "Story note"… */
  readonly label: string;
  readonly text: string;
}

/** Longest quoted text in a fact line (code points). */
const QUOTE_MAX = 100;

function where(at: FactPosition): string {
  if (at.n !== undefined) return `¶${at.n + 1}`;
  if (at.o !== undefined) return `was ¶${at.o + 1}`;
  return '';
}

const PLACE = { top: 'at the top', middle: 'in the middle', end: 'at the end' } as const;
const FROM = { top: 'from the top', middle: 'from the middle', end: 'from the end' } as const;

/** The facts as labelled lines, figures first, in a fixed order of kinds. */
export function factLines(facts: readonly ChangeFact[] | undefined): FactLine[] {
  if (!Array.isArray(facts)) return [];
  const out: FactLine[] = [];
  const of = <T extends ChangeFact['type']>(t: T): Extract<ChangeFact, { type: T }>[] =>
    facts.filter((f): f is Extract<ChangeFact, { type: T }> => (f as { type?: unknown } | null)?.type === t);

  const figures = of('figure');
  if (figures.length > 0) {
    out.push({
      label: 'Figures',
      text: figures
        .map(
          (f) => `${f.label} ${f.old} → ${f.new} (${[where(f.at), f.inLede ? 'lede' : ''].filter(Boolean).join(', ')})`,
        )
        .join('; '),
    });
  }
  for (const h of of('headline')) {
    const which = h.source === 'h1' ? ' (the visible h1)' : h.source === 'og:title' ? ' (og:title)' : '';
    out.push({ label: 'Headline', text: `“${clip(h.old, QUOTE_MAX)}” → “${clip(h.new, QUOTE_MAX)}”${which}` });
  }
  for (const l of of('lede')) out.push({ label: 'New lede', text: `“${clip(l.new, QUOTE_MAX)}” (${where(l.at)})` });
  for (const n of of('note')) out.push({ label: 'Story note', text: `“${clip(n.text, 160)}” (${n.convention})` });
  for (const q of of('quote')) {
    out.push({
      label: q.change === 'added' ? 'Quote added' : 'Quote removed',
      text: `${q.speaker === null ? '' : `${q.speaker}: `}“${clip(q.text, QUOTE_MAX)}” (${where(q.at)})`,
    });
  }
  const entries = of('entries')[0];
  if (entries !== undefined) {
    const parts = [
      entries.added > 0 ? `${entries.added} new` : '',
      entries.edited > 0 ? `${entries.edited} edited` : '',
      entries.removed > 0 ? `${entries.removed} removed` : '',
    ].filter(Boolean);
    out.push({ label: 'Live entries', text: parts.join(', ') });
  }
  // Additions and cuts, one line per place: "Cut: 7 paragraphs from the middle (was ¶6, ¶11, ¶18)".
  for (const w of ['top', 'middle', 'end'] as const) {
    const added = of('added').filter((x) => x.where === w);
    const n = added.reduce((sum, x) => sum + x.paragraphs, 0);
    if (n > 0) {
      out.push({
        label: 'Added',
        text: `${plural(n, 'paragraph')} ${PLACE[w]} (${added.map((x) => where(x.at)).join(', ')})`,
      });
    }
  }
  for (const w of ['top', 'middle', 'end'] as const) {
    const cut = of('removed').filter((x) => x.where === w);
    const n = cut.reduce((sum, x) => sum + x.paragraphs, 0);
    if (n > 0) {
      const at = cut.map((x) => where(x.at).replace(/^was /, '')).join(', ');
      out.push({ label: 'Cut', text: `${plural(n, 'paragraph')} ${FROM[w]} (was ${at})` });
    }
  }
  const change = (label: string, old: string, now: string, max: number): FactLine =>
    old.trim() === ''
      ? { label: `${label} added`, text: `“${clip(now, max)}”` }
      : now.trim() === ''
        ? { label: `${label} removed`, text: `“${clip(old, max)}”` }
        : { label, text: `“${clip(old, max)}” → “${clip(now, max)}”` };
  for (const b of of('byline')) out.push(change('Byline', b.old, b.new, 80));
  for (const d of of('dateline')) out.push(change('Dateline', d.old, d.new, 60));
  for (const t of of('timestamp')) {
    out.push({
      label: 'Time',
      text: `“${clip(t.old, 60)}” → “${clip(t.new, 60)}”${where(t.at) ? ` (${where(t.at)})` : ''}`,
    });
  }
  return out;
}
