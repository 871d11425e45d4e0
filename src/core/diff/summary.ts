/**
 * The one-line summary of a change, said in words from its facts: "Figures updated: killed 4 → 7; new lede;
 * 3 paragraphs added at the end". It opens with the primary kind's label (the one vocabulary, core/model/kinds.ts),
 * then says the facts most important first; it quotes the story's own update note when there is one, and never gives
 * a bare count.
 */
import type { ChangeFact, ChangeKind, ChangeSet, ChangeStats, Placement } from '../model/changeset.js';
import { KIND_WORDS } from '../model/kinds.js';
import { clip, plural } from '../words.js';

/** Longest summary (code points); longer ones end with "…". */
export const SUMMARY_MAX_CHARS = 400;
/** At most this many figures are named; the rest are counted. */
const FIGURES_NAMED = 3;

export interface SummaryInput {
  readonly kind: ChangeKind;
  readonly facets: readonly ChangeKind[];
  readonly facts: readonly ChangeFact[];
  readonly structure: NonNullable<ChangeSet['structure']>;
  readonly stats: ChangeStats;
  readonly liveBlog: boolean;
  readonly oldTitle: string;
  readonly newTitle: string;
  readonly earlierExists: boolean;
}

const WHERE: Record<Placement, string> = { top: 'at the top', middle: 'in the middle', end: 'at the end' };
const FROM: Record<Placement, string> = { top: 'from the top', middle: 'from the middle', end: 'from the end' };

function of<T extends ChangeFact['type']>(facts: readonly ChangeFact[], t: T): Extract<ChangeFact, { type: T }>[] {
  return facts.filter((f): f is Extract<ChangeFact, { type: T }> => f.type === t);
}

/** "“(Adds comment from X in paragraph 5)”" — a note quoted without doubling its own parentheses' meaning. */
function quoteNote(text: string): string {
  return `“${clip(text, 140)}”`;
}

export function summarize(input: SummaryInput): string {
  const { facts, structure } = input;
  const phrases: string[] = [];
  const notes = of(facts, 'note');

  if (input.facets.includes('breaking-update')) {
    const where = structure.bannerAdded
      ? 'placed above the earlier story, with the banner'
      : 'added to the update above the banner';
    const below = structure.earlierUnchanged
      ? 'the earlier story is unchanged'
      : input.earlierExists
        ? 'the earlier story also changed'
        : 'the story below changed';
    phrases.push(`${plural(structure.updateParagraphs, 'paragraph')} ${where}; ${below}`);
  }
  if (input.facets.includes('write-thru') && structure.bannerRemoved) phrases.push('the banner is gone');

  // The story's own notes: corrections first, then update notes (quoted).
  for (const n of notes) {
    if (n.convention === 'banner') continue;
    if (n.text.length <= 12 && /^[A-Z0-9 ]+$/.test(n.text)) {
      phrases.push(n.convention === 'corrected' ? `marked ${n.text}` : `headline marked ${n.text}`);
    } else {
      phrases.push(quoteNote(n.text));
    }
  }

  for (const h of of(facts, 'headline')) {
    const which =
      h.source === 'h1'
        ? 'visible headline (h1) '
        : h.source === 'og:title'
          ? 'og:title headline '
          : input.kind === 'headline'
            ? ''
            : 'headline ';
    phrases.push(`${which}“${clip(h.old, 80)}” → “${clip(h.new, 80)}”`);
  }

  const figures = of(facts, 'figure');
  for (const f of figures.slice(0, FIGURES_NAMED))
    phrases.push(`${f.label} ${f.old} → ${f.new}${f.inLede ? ' (lede)' : ''}`);
  if (figures.length > FIGURES_NAMED) phrases.push(`${plural(figures.length - FIGURES_NAMED, 'more figure')} changed`);

  if (of(facts, 'lede').length > 0 && !input.facets.includes('breaking-update')) phrases.push('new lede');

  const entries = of(facts, 'entries')[0];
  if (entries !== undefined) {
    if (entries.added > 0) phrases.push(`${plural(entries.added, 'new entry', 'new entries')}`);
    if (entries.edited > 0) phrases.push(`${plural(entries.edited, 'entry', 'entries')} edited`);
    if (entries.removed > 0) phrases.push(`${plural(entries.removed, 'entry', 'entries')} removed`);
  }

  if (!input.facets.includes('breaking-update')) {
    const added = of(facts, 'added');
    for (const where of ['top', 'middle', 'end'] as const) {
      const n = added.filter((a) => a.where === where).reduce((s, a) => s + a.paragraphs, 0);
      if (n === 0 || (input.liveBlog && entries !== undefined && entries.added >= n)) continue;
      phrases.push(`${plural(n, 'paragraph')} added ${WHERE[where]}`);
    }
  }

  const quotes = of(facts, 'quote');
  for (const change of ['added', 'removed'] as const) {
    const qs = quotes.filter((q) => q.change === change);
    if (qs.length === 0) continue;
    const speakers = [...new Set(qs.map((q) => q.speaker).filter((s): s is string => s !== null))];
    const from = speakers.length > 0 ? ` from ${speakers.slice(0, 3).join(', ')}` : '';
    phrases.push(`${qs.length === 1 ? 'a quote' : plural(qs.length, 'quote')}${from} ${change}`);
  }

  const removed = of(facts, 'removed');
  for (const where of ['top', 'middle', 'end'] as const) {
    const n = removed.filter((a) => a.where === where).reduce((s, a) => s + a.paragraphs, 0);
    if (n === 0 || (input.liveBlog && entries !== undefined && entries.removed >= n)) continue;
    phrases.push(`${plural(n, 'paragraph')} cut ${FROM[where]}`);
  }

  const p = input.stats.paragraphs;
  if (input.facets.includes('reordered') && p.moved > 0) phrases.push(`${plural(p.moved, 'paragraph')} moved`);

  const named = new Set(facts.flatMap((f) => (f.type === 'figure' || f.type === 'quote' ? [f.at.n] : [])));
  if (input.facets.includes('update') && phrases.length === 0 && p.edited > 0) {
    phrases.push(`${plural(p.edited, 'paragraph')} rewritten in part`);
  } else if (input.kind === 'minor' && p.edited + p.split + p.merged > 0 && named.size === 0) {
    phrases.push(
      `${p.edited + p.split + p.merged === 1 ? 'a word or punctuation' : 'words or punctuation'} fixed in ${plural(p.edited + p.split + p.merged, 'paragraph')}`,
    );
  }

  // A byline or credit change is said when little else is (the facts always hold it).
  for (const b of phrases.length < 3 ? of(facts, 'byline') : []) {
    phrases.push(
      b.old === ''
        ? `credit added: “${clip(b.new, 80)}”`
        : b.new === ''
          ? `credit removed: “${clip(b.old, 80)}”`
          : `byline “${clip(b.old, 60)}” → “${clip(b.new, 60)}”`,
    );
  }
  // A new lede brings its own dateline: only a dateline changed on its own is said.
  for (const d of of(facts, 'lede').length > 0 ? [] : of(facts, 'dateline')) {
    phrases.push(
      d.old === ''
        ? `dateline added: “${clip(d.new, 60)}”`
        : d.new === ''
          ? `dateline removed: “${clip(d.old, 60)}”`
          : `dateline “${clip(d.old, 60)}” → “${clip(d.new, 60)}”`,
    );
  }
  const stamps = of(facts, 'timestamp');
  if (stamps.length > 0 && (input.kind === 'timestamp-only' || phrases.length === 0)) {
    const s = stamps[0]!;
    phrases.push(
      s.old !== '' && s.new !== ''
        ? `time “${clip(s.old, 60)}” → “${clip(s.new, 60)}”`
        : s.new !== ''
          ? `time line added: “${clip(s.new, 60)}”`
          : `time line removed: “${clip(s.old, 60)}”`,
    );
  }
  if (phrases.length === 0)
    phrases.push(
      input.oldTitle !== input.newTitle
        ? 'the headline’s spacing or punctuation changed'
        : 'spacing or punctuation changed',
    );

  const label = KIND_WORDS[input.kind].label;
  return clip(`${label}: ${phrases.join('; ')}`, SUMMARY_MAX_CHARS);
}
