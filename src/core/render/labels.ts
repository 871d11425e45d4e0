/** The short phrases every renderer shows: section notes, the statistics line, paragraph ranges, the summary's label. */
import type { ChangeSet, ChangeStats } from '../model/changeset.js';
import { paragraphChangePhrases, upgradeKind } from '../model/changeset.js';
import { kindLabel } from '../model/kinds.js';
import { plural } from '../words.js';
import type { Section } from './layout.js';

/** "new, 6 paragraphs" / "unchanged, 27 paragraphs" / "2 added, 1 edited, 24 unchanged". */
export function sectionNote(section: Section): string {
  const c = section.counts;
  const changed = c.added + c.removed + c.edited + c.moved + c.split + c.merged;
  const single = section.block === 'banner' || section.block === 'byline' || section.block === 'dateline';
  if (changed === 0 && c.unchanged === 0) return single ? 'moved' : 'moved away';
  if (changed === c.added && c.unchanged === 0)
    return single && c.added === 1 ? 'added' : `new, ${plural(c.added, 'paragraph')}`;
  if (changed === c.removed && c.unchanged === 0)
    return single && c.removed === 1 ? 'removed' : `removed, ${plural(c.removed, 'paragraph')}`;
  if (changed === 0)
    return single && c.unchanged === 1 ? 'unchanged' : `unchanged, ${plural(c.unchanged, 'paragraph')}`;
  const parts = paragraphChangePhrases(c);
  if (c.unchanged > 0) parts.push(`${c.unchanged} unchanged`);
  return parts.join(', ');
}

/** The kind as it may be used in a class name: a known kind (a `/1` kind read as its `/2` kind), else 'update'. */
export function knownKind(kind: unknown): ChangeSet['kind'] {
  return upgradeKind(typeof kind === 'string' ? kind : '');
}

/**
 * The summary line split into a label and the rest: the summary's own label when it has one ("Write-thru: the banner
 * is gone…"), else the kind's ("Rewritten", summary). Lets renderers say the kind once, in bold.
 */
export function summaryParts(cs: ChangeSet): { label: string; rest: string } {
  const summary = cs.summary.replace(/\s+/g, ' ').trim();
  const own = /^([^:]{1,24}):\s*(.*)$/.exec(summary);
  if (own !== null) return { label: own[1]!, rest: own[2]! };
  const label = kindLabel(cs.kind);
  return { label, rest: summary.toLowerCase() === label.toLowerCase() ? '' : summary };
}

/** "7 added, 2 edited, 27 unchanged (27 → 34 paragraphs); words +123 −4". */
export function statsLine(stats: ChangeStats): string {
  const p = stats.paragraphs;
  const parts: string[] = [];
  if (p.added > 0) parts.push(`${p.added} added`);
  if (p.removed > 0) parts.push(`${p.removed} removed`);
  if (p.edited > 0) parts.push(`${p.edited} edited`);
  if (p.moved > 0) parts.push(`${p.moved} moved`);
  if (p.split > 0) parts.push(`${p.split} split`);
  if (p.merged > 0) parts.push(`${p.merged} merged`);
  parts.push(`${p.unchanged} unchanged`);
  return `${parts.join(', ')} (${stats.oldParagraphs} → ${plural(stats.newParagraphs, 'paragraph')}); words +${stats.words.added} −${stats.words.removed}`;
}

/** "¶5" or "¶5–¶7" for `count` paragraphs from 0-based `start` (paragraph numbers shown to people are 1-based). */
export function paraRange(start: number, count: number): string {
  return count <= 1 ? `¶${start + 1}` : `¶${start + 1}–¶${start + count}`;
}
