/**
 * The words a feed reader shows for a new version: a headline ("Breaking update: <title> (+6 paragraphs)") and a
 * one-line summary. Deterministic and short; XML-illegal characters removed, whitespace collapsed.
 */
import type { ChangeFact, ChangeSet, ChangeStats } from '../model/changeset.js';
import { kindLabel } from '../model/kinds.js';
import { stripXmlIllegal } from './escape.js';
import { statsLine } from './labels.js';
import { clip, plural } from '../words.js';

export interface ChangeDescription {
  /** The item title: "Breaking update: <title> (+6 paragraphs)", "Headline changed: old → new", "First version: <title>". */
  readonly headline: string;
  /** One sentence: "Version 2: Breaking update: 6 paragraphs placed above the earlier story (+123 words, −0)." */
  readonly summary: string;
}

/** Longest title kept in a headline (code points); longer ones end with "…". */
export const HEADLINE_TITLE_MAX = 100;
/** Each side of "Headline changed: old → new" (code points). */
const HEADLINE_CHANGE_MAX = 80;
/** Longest summary (code points). */
export const SUMMARY_MAX = 300;

function clean(s: string): string {
  return stripXmlIllegal(s).replace(/\s+/g, ' ').trim();
}

function titleOf(s: string, max = HEADLINE_TITLE_MAX): string {
  const t = clean(s);
  return t === '' ? '(untitled)' : clip(t, max);
}

/** "+6 paragraphs", "−2 paragraphs", "3 paragraphs edited", "2 added, 1 removed, 3 edited"; '' when nothing changed. */
export function countsPhrase(stats: ChangeStats): string {
  const p = stats.paragraphs;
  const kinds: [number, string][] = [
    [p.added, 'added'],
    [p.removed, 'removed'],
    [p.edited, 'edited'],
    [p.moved, 'moved'],
    [p.split, 'split'],
    [p.merged, 'merged'],
  ];
  const nonzero = kinds.filter(([n]) => n > 0);
  if (nonzero.length === 0) return '';
  if (nonzero.length === 1) {
    const [n, what] = nonzero[0]!;
    if (what === 'added') return `+${plural(n, 'paragraph')}`;
    if (what === 'removed') return `−${plural(n, 'paragraph')}`;
    return `${plural(n, 'paragraph')} ${what}`;
  }
  return nonzero.map(([n, what]) => `${n} ${what}`).join(', ');
}

/**
 * The one fact a headline names instead of counts, when there is one: the first changed figure of a figures change
 * or a correction ("killed 4 → 7"), a live blog's new entries ("2 new entries"), a timestamp-only change ("time
 * only").
 */
function keyFact(cs: ChangeSet): string | undefined {
  const facts: readonly ChangeFact[] = Array.isArray(cs.facts) ? cs.facts : [];
  if (cs.kind === 'figures' || cs.kind === 'correction') {
    const f = facts.find((x) => x.type === 'figure');
    if (f !== undefined && f.type === 'figure') return clean(`${f.label} ${f.old} → ${f.new}`);
  }
  const e = facts.find((x) => x.type === 'entries');
  if (e !== undefined && e.type === 'entries' && e.added > 0)
    return `${e.added} new ${e.added === 1 ? 'entry' : 'entries'}`;
  if (cs.kind === 'timestamp-only') return 'time only';
  return undefined;
}

function withCounts(prefix: string, title: string, counts: string): string {
  return counts === '' ? `${prefix}: ${title}` : `${prefix}: ${title} (${counts})`;
}

/** The headline and summary of a new version (`cs` null: the article's first version). Pure. */
export function describeChange(cs: ChangeSet | null, meta: { title: string; version: number }): ChangeDescription {
  const version = Number.isInteger(meta.version) ? meta.version : 0;
  const title = titleOf(meta.title);
  if (cs === null || cs.kind === 'initial') {
    const n = cs === null ? null : cs.stats.newParagraphs;
    return {
      headline: `First version: ${title}`,
      summary: clip(
        `Version ${version}: first version${n === null ? '' : `, ${plural(n, 'paragraph')}`}.`,
        SUMMARY_MAX,
      ),
    };
  }
  const counts = keyFact(cs) ?? countsPhrase(cs.stats);
  let headline: string;
  switch (cs.kind) {
    case 'none':
      headline = `No change: ${title}`;
      break;
    case 'breaking-update': {
      const n =
        cs.structure !== undefined && cs.structure.updateParagraphs > 0
          ? cs.structure.updateParagraphs
          : cs.stats.paragraphs.added;
      headline = n > 0 ? `Breaking update: ${title} (+${plural(n, 'paragraph')})` : `Breaking update: ${title}`;
      break;
    }
    case 'write-thru':
      headline = withCounts(kindLabel(cs.kind), title, counts);
      break;
    case 'correction':
      headline = withCounts('Correction', title, counts);
      break;
    case 'headline':
      headline = `Headline changed: ${titleOf(cs.title.old, HEADLINE_CHANGE_MAX)} → ${titleOf(cs.title.new, HEADLINE_CHANGE_MAX)}`;
      break;
    case 'minor':
      headline = withCounts('Minor edit', title, counts);
      break;
    default:
      headline = withCounts(kindLabel(cs.kind), title, counts);
      break;
  }
  const what = clean(cs.summary) !== '' ? clean(cs.summary) : statsLine(cs.stats);
  const words = cs.stats.words;
  const wordsNote = words.added + words.removed > 0 ? ` (+${plural(words.added, 'word')}, −${words.removed})` : '';
  const sentence = `Version ${version}: ${what.replace(/[.\s]+$/, '')}${wordsNote}.`;
  return { headline, summary: clip(sentence, SUMMARY_MAX) };
}
