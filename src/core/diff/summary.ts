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

type Facts = readonly ChangeFact[];
type EntriesFact = Extract<ChangeFact, { type: 'entries' }>;

/** A breaking update placed above the earlier story; a write-thru's banner gone. */
function structurePhrases(input: SummaryInput): string[] {
  const { structure } = input;
  const phrases: string[] = [];
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
  return phrases;
}

/** The story's own notes: short wire marks said as marks ("marked CORRECTED"), the others quoted. */
function notePhrases(facts: Facts): string[] {
  return of(facts, 'note')
    .filter((n) => n.convention !== 'banner')
    .map((n) =>
      n.text.length <= 12 && /^[A-Z0-9 ]+$/.test(n.text)
        ? n.convention === 'corrected'
          ? `marked ${n.text}`
          : `headline marked ${n.text}`
        : quoteNote(n.text),
    );
}

function headlinePhrases(input: SummaryInput): string[] {
  return of(input.facts, 'headline').map((h) => {
    const which =
      h.source === 'h1'
        ? 'visible headline (h1) '
        : h.source === 'og:title'
          ? 'og:title headline '
          : input.kind === 'headline'
            ? ''
            : 'headline ';
    return `${which}“${clip(h.old, 80)}” → “${clip(h.new, 80)}”`;
  });
}

/** The first `FIGURES_NAMED` figures named, the rest counted. */
function figurePhrases(facts: Facts): string[] {
  const figures = of(facts, 'figure');
  const phrases = figures
    .slice(0, FIGURES_NAMED)
    .map((f) => `${f.label} ${f.old} → ${f.new}${f.inLede ? ' (lede)' : ''}`);
  if (figures.length > FIGURES_NAMED) phrases.push(`${plural(figures.length - FIGURES_NAMED, 'more figure')} changed`);
  return phrases;
}

function entryPhrases(entries: EntriesFact | undefined): string[] {
  if (entries === undefined) return [];
  const phrases: string[] = [];
  if (entries.added > 0) phrases.push(`${plural(entries.added, 'new entry', 'new entries')}`);
  if (entries.edited > 0) phrases.push(`${plural(entries.edited, 'entry', 'entries')} edited`);
  if (entries.removed > 0) phrases.push(`${plural(entries.removed, 'entry', 'entries')} removed`);
  return phrases;
}

/**
 * Paragraphs added (or cut), summed by place: one phrase a place, in reading order. `saidAsEntries`: on a live blog,
 * how many were already said as entries (a place with no more than that is not said again).
 */
function placedPhrases(
  runs: readonly { readonly where: Placement; readonly paragraphs: number }[],
  saidAsEntries: number | undefined,
  say: (n: number, where: Placement) => string,
): string[] {
  const phrases: string[] = [];
  for (const where of ['top', 'middle', 'end'] as const) {
    const n = runs.filter((a) => a.where === where).reduce((s, a) => s + a.paragraphs, 0);
    if (n === 0 || (saidAsEntries !== undefined && saidAsEntries >= n)) continue;
    phrases.push(say(n, where));
  }
  return phrases;
}

/** Quotes added, then removed, with up to three speakers. */
function quotePhrases(facts: Facts): string[] {
  const quotes = of(facts, 'quote');
  const phrases: string[] = [];
  for (const change of ['added', 'removed'] as const) {
    const qs = quotes.filter((q) => q.change === change);
    if (qs.length === 0) continue;
    const speakers = [...new Set(qs.map((q) => q.speaker).filter((s): s is string => s !== null))];
    const from = speakers.length > 0 ? ` from ${speakers.slice(0, 3).join(', ')}` : '';
    phrases.push(`${qs.length === 1 ? 'a quote' : plural(qs.length, 'quote')}${from} ${change}`);
  }
  return phrases;
}

/** Edits no fact names: "rewritten in part" for an update said no other way, "words or punctuation fixed" for minor. */
function editPhrases(input: SummaryInput, saidSoFar: number): string[] {
  const p = input.stats.paragraphs;
  const named = new Set(input.facts.flatMap((f) => (f.type === 'figure' || f.type === 'quote' ? [f.at.n] : [])));
  if (input.facets.includes('update') && saidSoFar === 0 && p.edited > 0) {
    return [`${plural(p.edited, 'paragraph')} rewritten in part`];
  }
  const fixed = p.edited + p.split + p.merged;
  if (input.kind === 'minor' && fixed > 0 && named.size === 0) {
    return [`${fixed === 1 ? 'a word or punctuation' : 'words or punctuation'} fixed in ${plural(fixed, 'paragraph')}`];
  }
  return [];
}

/** Bylines and credits: said when little else is (fewer than three phrases so far). */
function bylinePhrases(facts: Facts, saidSoFar: number): string[] {
  return (saidSoFar < 3 ? of(facts, 'byline') : []).map((b) =>
    b.old === ''
      ? `credit added: “${clip(b.new, 80)}”`
      : b.new === ''
        ? `credit removed: “${clip(b.old, 80)}”`
        : `byline “${clip(b.old, 60)}” → “${clip(b.new, 60)}”`,
  );
}

/** A new lede brings its own dateline: only a dateline changed on its own is said. */
function datelinePhrases(facts: Facts): string[] {
  return (of(facts, 'lede').length > 0 ? [] : of(facts, 'dateline')).map((d) =>
    d.old === ''
      ? `dateline added: “${clip(d.new, 60)}”`
      : d.new === ''
        ? `dateline removed: “${clip(d.old, 60)}”`
        : `dateline “${clip(d.old, 60)}” → “${clip(d.new, 60)}”`,
  );
}

/** The first time change, said for a timestamp-only change or when nothing else was. */
function timestampPhrases(input: SummaryInput, saidSoFar: number): string[] {
  const s = of(input.facts, 'timestamp')[0];
  if (s === undefined || (input.kind !== 'timestamp-only' && saidSoFar > 0)) return [];
  return [
    s.old !== '' && s.new !== ''
      ? `time “${clip(s.old, 60)}” → “${clip(s.new, 60)}”`
      : s.new !== ''
        ? `time line added: “${clip(s.new, 60)}”`
        : `time line removed: “${clip(s.old, 60)}”`,
  ];
}

export function summarize(input: SummaryInput): string {
  const { facts } = input;
  const breaking = input.facets.includes('breaking-update');
  const entries = of(facts, 'entries')[0];
  const liveEntries = input.liveBlog ? entries : undefined;
  const phrases: string[] = [
    ...structurePhrases(input),
    ...notePhrases(facts),
    ...headlinePhrases(input),
    ...figurePhrases(facts),
    ...(of(facts, 'lede').length > 0 && !breaking ? ['new lede'] : []),
    ...entryPhrases(entries),
    ...(breaking
      ? []
      : placedPhrases(
          of(facts, 'added'),
          liveEntries?.added,
          (n, where) => `${plural(n, 'paragraph')} added ${WHERE[where]}`,
        )),
    ...quotePhrases(facts),
    ...placedPhrases(
      of(facts, 'removed'),
      liveEntries?.removed,
      (n, where) => `${plural(n, 'paragraph')} cut ${FROM[where]}`,
    ),
  ];
  const p = input.stats.paragraphs;
  if (input.facets.includes('reordered') && p.moved > 0) phrases.push(`${plural(p.moved, 'paragraph')} moved`);
  phrases.push(...editPhrases(input, phrases.length));
  phrases.push(...bylinePhrases(facts, phrases.length));
  phrases.push(...datelinePhrases(facts));
  phrases.push(...timestampPhrases(input, phrases.length));
  if (phrases.length === 0) {
    phrases.push(
      input.oldTitle !== input.newTitle
        ? 'the headline’s spacing or punctuation changed'
        : 'spacing or punctuation changed',
    );
  }
  const label = KIND_WORDS[input.kind].label;
  return clip(`${label}: ${phrases.join('; ')}`, SUMMARY_MAX_CHARS);
}
