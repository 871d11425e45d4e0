/**
 * Newsroom conventions the classifier reads: dates and times (what a timestamp-only change is), figures with their
 * context words, quotes and their speakers, live-blog entries, wire headline prefixes and the story's own update
 * notes (Reuters, AFP, Bloomberg, AP, "This story has been updated…", "Editor's note:", "Clarification:").
 *
 * Every pattern here is matched against normalized text (see `normalizeText`: quotes are `'`/`"`, dashes `-`,
 * whitespace single spaces). Pure functions; no state.
 */
import type { NoteConvention } from '../model/changeset.js';
import {
  BREAKING_LABEL,
  BREAKING_NEWS_BANNER,
  CORRECTION_LABEL,
  CORRECTS_MARKER,
  EARLIER_STORY_BELOW,
  EARLIER_VERSION_ERRED,
  EDITORS_NOTE,
  EDS_CORRECTION,
  EDS_NOTE,
  STORY_CORRECTED_NOTICE,
  STORY_UPDATED_NOTICE,
  UPDATE_LABEL,
  WRITE_THRU_MARKER,
} from '../extract/structure.js';

const MONTH =
  '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const WEEKDAY = '(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?';
const ZONE = '(?:[ecmp][sd]?t|gmt|utc|bst|cet|cest|eet|ist|jst|aest|aedt|z)';
const AMPM = '(?:a\\.?m\\.?|p\\.?m\\.?)(?![a-z])';

/**
 * Dates, times and relative times: "10:32 a.m. EST", "3 p.m.", "March 17", "17 March 2026", "Saturday",
 * "2026-03-17T10:32Z", "3/17/2026", "5 minutes ago", "yesterday". Masked out before comparing texts, so an edit
 * that only changes these is timestamp-only.
 */
export const DATE_TIME = new RegExp(
  [
    `\\b\\d{4}-\\d{2}-\\d{2}(?:[t ]\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?:z|[+-]\\d{2}:?\\d{2})?)?`,
    `\\b\\d{1,2}[:.]\\d{2}(?::\\d{2})?(?:\\s*${AMPM})?(?:\\s*${ZONE}\\b)?`,
    `\\b\\d{1,2}\\s*${AMPM}(?:\\s*${ZONE}\\b)?`,
    `\\b${MONTH}\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?\\b(?:,?\\s+\\d{4}\\b)?`,
    `\\b\\d{1,2}(?:st|nd|rd|th)?\\s+${MONTH}\\b\\.?(?:,?\\s+\\d{4}\\b)?`,
    `\\b${MONTH}\\.?\\s+\\d{4}\\b`,
    `\\b\\d{1,2}/\\d{1,2}/\\d{2,4}\\b`,
    `\\b${WEEKDAY}\\b`,
    `\\b(?:\\d+|an?|one|two|three|few)\\s+(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?)\\s+ago\\b`,
    `\\b(?:just now|yesterday|today|tonight|this morning|this afternoon|this evening)\\b`,
    `\\b(?:19|20)\\d{2}\\b`,
  ].join('|'),
  'gi',
);

/** `text` with its dates and times replaced by one marker, spaces collapsed, lower case. */
export function maskDates(text: string): string {
  return text.toLowerCase().replace(DATE_TIME, '\u0000').replace(/\s+/g, ' ').trim();
}

/** The dates and times in `text`, in order. */
export function datesIn(text: string): string[] {
  return [...text.matchAll(DATE_TIME)].map((m) => m[0]);
}

/**
 * A line that is only a timestamp: "Updated 10:32 a.m. EST", "Published March 17, 2026", "Last updated 5 minutes
 * ago", "Still current at: 6 March 2026", "Updated: 5 March 2026 | Still current at: 6 March 2026".
 */
const TIMESTAMP_LINE_WORDS =
  /^(?:(?:last |first )?(?:updated?|published|posted|modified|revised|reviewed|dated?)|still current at|current as of|as of|latest update|valid (?:at|from|as of)|on|at|by|time|[\s\0:;,.|/()-])*$/;
/** A timestamp line is short. */
export const TIMESTAMP_LINE_MAX_CHARS = 160;

/** What every date or time holds: a digit, a weekday, or a relative word. */
const MAY_HOLD_DATE = /\d|day|ago|now|tonight|morning|afternoon|evening/i;

export function isTimestampLine(norm: string): boolean {
  if (norm.length > TIMESTAMP_LINE_MAX_CHARS || !MAY_HOLD_DATE.test(norm)) return false;
  const masked = maskDates(norm);
  return masked.includes('\u0000') && TIMESTAMP_LINE_WORDS.test(masked.replace(/\s+/g, ' '));
}

/**
 * A live-blog entry opens with its time: "10:32 a.m. — …", "14:05 GMT: …", "3 p.m. ET | …", "10.32am - …". An
 * article with at least `LIVE_BLOG_MIN_ENTRIES` such paragraphs is read as a live blog.
 */
export const ENTRY_START = new RegExp(
  `^(?:\\d{1,2}[:.]\\d{2}(?:\\s*${AMPM})?|\\d{1,2}\\s*${AMPM})(?:\\s*${ZONE}\\b)?\\s*(?:-|:|\\||\\u2022)\\s*\\S`,
  'i',
);
export const LIVE_BLOG_MIN_ENTRIES = 3;

export function isEntry(norm: string): boolean {
  return ENTRY_START.test(norm);
}

// Figures.

const SPELLED =
  'one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|dozens?|hundreds|thousands';
/** A figure: "7", "1,200", "3.5", "$4.2 billion", "40%", "seven", "dozens". */
const FIGURE = new RegExp(
  `(?:[$\u20ac\u00a3]\\s?)?\\b(?:\\d[\\d,]*(?:\\.\\d+)?(?:-\\d+(?:\\.\\d+)?)?|${SPELLED})\\b(?:\\s?(?:%|percent|per cent|million|billion|trillion|bn|m)\\b|%)?`,
  'gi',
);

/** Context words that name what a figure counts, and the label they give it. */
const FIGURE_LABELS: readonly [RegExp, string][] = [
  [/^(?:death tolls?|tolls?)$/, 'death toll'],
  [/^(?:killed|killing|kills|dead|deaths?|died|dies|fatalities|lives)$/, 'killed'],
  [/^(?:injured|injuring|injuries|wounded|wounding|hurt|casualties)$/, 'injured'],
  [/^missing$/, 'missing'],
  [/^(?:arrested|arrests?|detained|detentions?)$/, 'arrested'],
  [/^(?:evacuated|evacuations?|evacuees)$/, 'evacuated'],
  [/^(?:displaced|homeless|refugees)$/, 'displaced'],
  [/^(?:rescued|survivors?)$/, 'rescued'],
];
const STOP = new Set(
  'a an the of in on at to for by with and or but from as is are was were be been has have had that this than more less least at about some nearly almost over under up down per its their his her it they he she who which said says people'.split(
    ' ',
  ),
);

/** A figure in a text: its value as written, and its position (character offset) and context words. */
export interface Figure {
  readonly value: string;
  readonly index: number;
  readonly before: readonly string[];
  readonly after: readonly string[];
}

function words(s: string): string[] {
  return s
    .toLowerCase()
    .split(/[^\p{L}\p{N}%$'&-]+/u)
    .filter((w) => w !== '');
}

/** The figures of `text` (dates and times are not figures), with up to 5 words of context each side (same sentence). */
export function figuresIn(text: string): Figure[] {
  const masked = text.replace(DATE_TIME, (m) => ' '.repeat(m.length));
  const out: Figure[] = [];
  for (const m of masked.matchAll(FIGURE)) {
    const index = m.index;
    const left = masked.slice(Math.max(0, index - 80), index);
    const right = masked.slice(index + m[0].length, index + m[0].length + 80);
    const leftSentence = left.split(/[.;:!?"](?:\s|$)/).pop() ?? '';
    const rightSentence = right.split(/[.;:!?",](?:\s|$)/)[0] ?? '';
    out.push({
      value: m[0].trim(),
      index,
      before: words(leftSentence).slice(-5),
      after: words(rightSentence).slice(0, 5),
    });
  }
  return out;
}

/** Words around a figure that say how it moved, not what it counts ("rose to 9", "2.3% lower"). */
const FIGURE_VERBS = new Set(
  'rose rise rises risen fell fall falls fallen reached reach reaches hit hits stood stands climbed climb slipped slip dropped drop jumped jump gained gain lost down up lower higher approved voted totaled totalled increased decreased grew grown to by from about around nearly almost roughly some than least most over under just only'.split(
    ' ',
  ),
);
const PREPOSITIONS = new Set(['in', 'of', 'for', 'at', 'on']);

function plain(w: string | undefined): boolean {
  return w !== undefined && !STOP.has(w) && !FIGURE_VERBS.has(w) && !/^[\d$%]/.test(w);
}

/**
 * The label of a figure: a known word near it, nearest first ("killed", "death toll"); else the words right after it
 * that say what it counts ("165 cluster bombs", "12 districts"); else the nearest word before it that names what it
 * measures ("sales were 2.3% lower" → "sales", "turnout in Georgia reached 48%" → "turnout").
 */
export function figureLabel(f: Figure): string {
  for (let d = 0; d < 4; d++) {
    for (const w of [f.after[d], f.before[f.before.length - 1 - d]]) {
      if (w === undefined) continue;
      for (const [re, label] of FIGURE_LABELS) if (re.test(w)) return label;
    }
  }
  if (plain(f.after[0])) {
    const out = [f.after[0]!];
    if (plain(f.after[1])) out.push(f.after[1]!);
    return out.join(' ');
  }
  for (let k = f.before.length - 1; k >= 0; k--) {
    const w = f.before[k]!;
    if (!plain(w)) continue;
    const prep = f.before[k - 1];
    const head = f.before[k - 2];
    if (prep !== undefined && PREPOSITIONS.has(prep) && plain(head)) return head!;
    return w;
  }
  return 'figure';
}

// Quotes.

/** A quotation: at least this many words inside straight double quotes (normalized text). */
export const QUOTE_MIN_WORDS = 3;
const QUOTATION = /"([^"]+)"/g;
const NAME = "(?:[A-Z][\\p{L}.'-]*|al-[A-Z][\\p{L}'-]*)(?:\\s+(?:al-|bin |de |van |von |la )?[A-Z][\\p{L}.'-]*){0,4}";
const SAID = '(?:said|says|added|told [\\p{L}. ]{1,40}?|wrote|tweeted|posted|declared|warned|stated)';
const SPEAKER_AFTER = new RegExp(`"\\s*,?\\s*${SAID}\\s+(${NAME}|the [a-z]+(?: [a-z]+)?)`, 'u');
const SPEAKER_BEFORE = new RegExp(`(${NAME}|[Tt]he [a-z]+(?: [a-z]+)?)\\s+${SAID}\\b`, 'u');
const SPEAKER_ACCORDING = new RegExp(`according to (${NAME}|the [a-z]+(?: [a-z]+)?)`, 'u');
const NOT_NAMES = new Set(['He', 'She', 'They', 'It', 'We', 'I', 'The', 'A', 'An', 'This', 'That', 'But', 'And']);

/** The quotations of a paragraph (normalized text), each with at least `QUOTE_MIN_WORDS` words. */
export function quotesIn(norm: string): string[] {
  const out: string[] = [];
  for (const m of norm.matchAll(QUOTATION)) {
    const q = m[1]!.trim().replace(/[,;:]$/, '');
    if (q.split(/\s+/).length >= QUOTE_MIN_WORDS) out.push(q);
  }
  return out;
}

/** Who a paragraph quotes: "…," said X / X said / according to X; null when it names no one ("he said"). */
export function speakerOf(norm: string): string | null {
  for (const re of [SPEAKER_AFTER, SPEAKER_BEFORE, SPEAKER_ACCORDING]) {
    const m = re.exec(norm);
    if (m === null) continue;
    const name = m[1]!.trim().replace(/[.,]$/, '');
    const first = name.split(/\s+/)[0]!;
    if (NOT_NAMES.has(first) && name.split(/\s+/).length === 1) continue;
    return name;
  }
  return null;
}

// Headlines and notes.

/**
 * Wire headline prefixes, possibly several: Reuters "UPDATE 2-", "REFILE-", "CORRECTED-", "RPT-"; AFP "URGENT",
 * "FLASH"; "BREAKING:", "EXCLUSIVE-".
 */
const HEADLINE_PREFIX =
  /^\s*(update \d+|refile|corrected|correction|rpt|urgent|flash|breaking(?: news)?|exclusive|wrapup \d+|live)\s*(?:-|:|\||\s)\s*/i;

/** A headline split into its wire prefixes ("UPDATE 2", "REFILE") and the headline proper. */
export function splitHeadline(title: string): { prefixes: string[]; text: string } {
  const prefixes: string[] = [];
  let rest = title;
  for (let k = 0; k < 4; k++) {
    const m = HEADLINE_PREFIX.exec(rest);
    if (m === null || m[0].length === rest.length) break;
    prefixes.push(m[1]!.toUpperCase());
    rest = rest.slice(m[0].length);
  }
  return { prefixes, text: rest.trim() };
}

export function prefixConvention(prefix: string): NoteConvention {
  if (/^UPDATE|^WRAPUP/.test(prefix)) return 'update-prefix';
  if (prefix === 'REFILE' || prefix === 'RPT') return 'refile';
  if (prefix === 'CORRECTED' || prefix === 'CORRECTION') return 'corrected';
  if (prefix === 'URGENT' || prefix === 'FLASH' || prefix.startsWith('BREAKING')) return 'urgent';
  return 'story-updated';
}

/** Reuters "(Adds comment from X in paragraph 5)", Bloomberg "(Updates with … in third paragraph.)". */
const PAREN_NOTE =
  /^\(\s*(adds?|updates?|recasts?|rewrites?|writes through|changes?|tops?|inserts?|removes?|deletes?|fixes|refiles?|repeats?|corrects?|clarifies|new throughout|advances)\b[^()]*\)\.?$/i;
/** A note is short. */
export const NOTE_MAX_CHARS = 300;

/** The convention a paragraph's note follows, or null when the paragraph is not a note. */
export function noteConvention(norm: string): NoteConvention | null {
  if (norm.length === 0 || norm.length > NOTE_MAX_CHARS) return null;
  const paren = PAREN_NOTE.exec(norm);
  if (paren !== null) {
    const verb = paren[1]!.toLowerCase();
    if (verb.startsWith('correct')) return 'corrected';
    if (verb.startsWith('clarif')) return 'clarification';
    if (verb.startsWith('refile') || verb.startsWith('repeat')) return 'refile';
    return 'adds';
  }
  if (/^clarifications?\s*(?::|-(?:\s|$))/i.test(norm)) return 'clarification';
  if (EDITORS_NOTE.test(norm)) return 'editors-note';
  if (CORRECTS_MARKER.test(norm) || EDS_CORRECTION.test(norm)) return 'corrected';
  if (CORRECTION_LABEL.test(norm) || STORY_CORRECTED_NOTICE.test(norm) || EARLIER_VERSION_ERRED.test(norm)) {
    return 'correction';
  }
  if (BREAKING_NEWS_BANNER.test(norm) || EARLIER_STORY_BELOW.test(norm)) return 'banner';
  if (/^(?:urgent|flash)\b/i.test(norm) && norm.length < 40) return 'urgent';
  if (BREAKING_LABEL.test(norm)) return 'urgent';
  if (STORY_UPDATED_NOTICE.test(norm) || UPDATE_LABEL.test(norm) || EDS_NOTE.test(norm)) return 'story-updated';
  if (WRITE_THRU_MARKER.test(norm)) return 'story-updated';
  return null;
}

/** Conventions that make a change a correction. */
export const CORRECTION_CONVENTIONS: ReadonlySet<NoteConvention> = new Set<NoteConvention>([
  'corrected',
  'correction',
  'editors-note',
  'clarification',
]);

export { AGENCY_CREDIT_LINE as WITH_AGENCY_CREDIT } from '../extract/structure.js';
