/**
 * The story's structure: which paragraphs are the breaking update, the banner, the earlier story, a correction,
 * a byline or a dateline.
 *
 * Wire stories that develop during the day are published in layers. AP puts the newest development on top, then a
 * banner ("THIS IS A BREAKING NEWS UPDATE. Check back soon for further information. AP's earlier story is below."),
 * then the earlier story unchanged. A later write-thru drops the banner and rewrites the story around the news;
 * corrections add a notice. The patterns below recognise those markers; every one is matched against the
 * normalized paragraph (see `normalizeText`: quotes are `'`/`"`, dashes are `-`, whitespace is single spaces),
 * except the dateline, which is matched on the original text so `Article.dateline` keeps its dash.
 */
import type { Block, BlockKind, ParagraphTag } from '../model/article.js';

/** Markers (banners, notices, bylines) are short: a paragraph longer than this is story text, whatever it starts with. */
export const MARKER_MAX_CHARS = 400;

/**
 * AP's breaking-news banner, any case: "THIS IS A BREAKING NEWS UPDATE. Check back soon for further information.
 * AP's earlier story is below." Splits the story: paragraphs above are the `update`, paragraphs below the `earlier` story.
 */
export const BREAKING_NEWS_BANNER = /\bthis is a breaking news update\b/i;

/**
 * Any "earlier story is below" line ("AP's earlier story is below.", "Our earlier report follows.",
 * "The earlier version of this story appears below."). Splits the story like the AP banner.
 */
export const EARLIER_STORY_BELOW =
  /\b(?:[a-z]+'s|our|the|an) earlier (?:story|version|report|article)(?: of this (?:story|article|report))? (?:is |appears |continues |follows )?(?:below|follows)\b/i;

/** "This story has been updated…", "This article was updated to include…", "This post is being updated." */
export const STORY_UPDATED_NOTICE =
  /^this (?:story|article|report|post|version) (?:has been|was|is being|will be) updated\b/i;

/** An "UPDATE:" / "UPDATED -" label opening a short paragraph ("UPDATE: This story has been updated with…"). */
export const UPDATE_LABEL = /^updated?\s*(?::|-(?:\s|$))/i;

/** A standalone "BREAKING:", "BREAKING NEWS", "DEVELOPING STORY" or "URGENT" label. */
export const BREAKING_LABEL = /^(?:breaking(?: news)?|developing(?: story)?|urgent|just in)\s*[:.!-]?$/i;

/**
 * AP editors' notes and write-thru slugs: "EDS: UPDATES with defection of general.", "Eds: APNewsNow.",
 * "BC-ML--Syria, 1st Ld-Writethru". (A note that corrects something is a `correction`, see `EDS_CORRECTION`.)
 */
export const EDS_NOTE = /^eds?\s*:/i;
/** A write-thru slug anywhere in a short paragraph: "1st Ld-Writethru", "2nd Lead-Write-thru", "WRITETHRU". */
export const WRITE_THRU_MARKER = /\b(?:ld|lead)?-?write-?thru\b/i;

/** "Correction:", "Corrections -", "Clarification:". */
export const CORRECTION_LABEL = /^(?:corrections?|clarifications?)\s*(?::|-(?:\s|$))/i;
/** "Editor's note:", "Editors' Note -". */
export const EDITORS_NOTE = /^editors?'?s?'? note\s*(?::|-(?:\s|$))/i;
/** AP's "CORRECTS" slug: "CORRECTS number of cluster bombs to 165, sted 156." (upper case, or "Corrects"). */
export const CORRECTS_MARKER = /^(?:CORRECTS|Corrects)\b/;
/** An editors' note that corrects: "EDS: CORRECTS figure in 5th graf." */
export const EDS_CORRECTION = /^eds?\s*:.*\bcorrect/i;
/** "This story corrects…", "This version corrects…", "This story has been corrected to show…". */
export const STORY_CORRECTED_NOTICE =
  /^this (?:story|article|report|version|post) (?:has been |was |is being )?correct(?:s|ed)\b/i;
/** "An earlier version of this story said…" / "A previous version of this article misstated…". */
export const EARLIER_VERSION_ERRED = /^an? (?:earlier|previous|prior) version of this (?:story|article|report|post)\b/i;

const AGENCY = String.raw`\((?:AP|Reuters|AFP|UPI|dpa|CNN|Bloomberg|Xinhua|CP|PA)\)`;
const CAPS_PLACE = String.raw`\p{Lu}[\p{Lu}\p{M}.'\u2019 -]*[\p{Lu}.]`;
const TITLE_PLACE = String.raw`\p{Lu}\p{Ll}[\p{L}\p{M}.'\u2019-]*(?:\s\p{Lu}[\p{L}\p{M}.'\u2019-]*){0,2}`;
const REGION = String.raw`(?:,\s*\p{Lu}[\p{L}\p{M}\p{N}.'\u2019 -]*?)*`;
const ANY_DASH = String.raw`(?:--|[-\u2010-\u2015\u2212])`;
const LONG_DASH = String.raw`(?:--|[\u2013\u2014\u2015])`;

/**
 * A dateline opening a paragraph, matched on the original text, in the usual forms: a place in capitals with or
 * without a region or date, then the agency in parentheses and a dash of any kind ("DAMASCUS, Syria (AP) —",
 * "WASHINGTON, March 17 (AP) —", "BEIRUT (Reuters) -", "(AP) –"); a place in any case with the agency ("Paris (AFP)
 * -"); or a place in capitals and a long dash without an agency ("OAKLAND, Calif. —", "WASHINGTON --").
 */
export const DATELINE = new RegExp(
  String.raw`^\s*(?:(?:${CAPS_PLACE}${REGION}\s*)?${AGENCY}\s*${ANY_DASH}|${TITLE_PLACE}${REGION}\s*${AGENCY}\s*${ANY_DASH}|${CAPS_PLACE}${REGION}\s+${LONG_DASH})\s*`,
  'u',
);

/** A dateline lies within the first this-many characters of its paragraph (only those are searched). */
export const DATELINE_MAX_CHARS = 160;

/** A byline paragraph starts "By " and continues with names only (see `BYLINE_NAME_WORD`): "By ZEINA KARAM and ALBERT AJI, Associated Press". */
export const BYLINE_PREFIX = /^by\s+/i;
/** A word allowed in a byline after "By ": a capitalised word, a name particle, or a separator. */
export const BYLINE_NAME_WORD =
  /^(?:\p{Lu}[\p{L}\p{M}.'-]*|and|&|of|the|al|el|de|del|della|da|dos|van|von|der|bin|ibn|la|le|[|,;-])$/u;
/** A byline is short. */
export const BYLINE_MAX_CHARS = 120;
/** "Associated Press writer Albert Aji in Damascus, Syria, contributed to this report.", "… contributed reporting." */
export const CONTRIBUTOR_LINE =
  /\bcontributed(?: reporting)?(?: to)? (?:this|the) (?:report|story|article)\b|\bcontributed reporting\b/i;
/** Reuters-style credit lines: "Reporting by …; Editing by …", "(Additional reporting by …)". */
export const REPORTING_BY_LINE = /^\(?(?:additional )?(?:reporting|writing|editing) by\b/i;
/** An agency credit line: "— with AFP", "(With AFP)", "With reporting by Reuters". */
export const AGENCY_CREDIT_LINE =
  /^[-(\s]*with (?:reporting (?:from|by) )?(?:afp|reuters|ap|agencies|wires?|agence france-presse)\b[^]{0,40}$/i;

/** The notes that mark a correction (tried first: a correction note wins over an update note). */
const CORRECTION_NOTES: readonly RegExp[] = [
  CORRECTION_LABEL,
  EDITORS_NOTE,
  CORRECTS_MARKER,
  EDS_CORRECTION,
  STORY_CORRECTED_NOTICE,
  EARLIER_VERSION_ERRED,
];
/** The notes and labels that mark an update (a banner block). */
const UPDATE_NOTES: readonly RegExp[] = [
  STORY_UPDATED_NOTICE,
  UPDATE_LABEL,
  BREAKING_LABEL,
  EDS_NOTE,
  WRITE_THRU_MARKER,
];

/** What a single paragraph is as a marker, or null when it is story text. `separator` is a banner that splits update from earlier. */
export type MarkerKind = 'separator' | 'banner' | 'correction' | 'byline' | 'dateline';

/** The dateline opening `text` (trimmed, e.g. `DAMASCUS, Syria (AP) —`), or undefined. */
export function findDateline(text: string): string | undefined {
  const m = DATELINE.exec(text.slice(0, DATELINE_MAX_CHARS));
  return m ? m[0].trim() : undefined;
}

function isByline(norm: string): boolean {
  if (norm.length > BYLINE_MAX_CHARS || !BYLINE_PREFIX.test(norm)) return false;
  const words = norm
    .replace(BYLINE_PREFIX, '')
    .replace(/([,;|])/g, ' $1 ')
    .split(' ')
    .filter((w) => w !== '');
  return words.length > 0 && words.every((w) => BYLINE_NAME_WORD.test(w));
}

/**
 * Classifies one paragraph as a marker. `norm` is its normalized form, `text` the original (for the dateline).
 * Order matters: a correction note wins over an update note, a banner over a byline.
 */
export function classifyMarker(text: string, norm: string): MarkerKind | null {
  if (norm.length === 0 || norm.length > MARKER_MAX_CHARS) return null;
  if (BREAKING_NEWS_BANNER.test(norm) || EARLIER_STORY_BELOW.test(norm)) return 'separator';
  if (CORRECTION_NOTES.some((re) => re.test(norm))) return 'correction';
  if (UPDATE_NOTES.some((re) => re.test(norm))) return 'banner';
  if (isByline(norm) || CONTRIBUTOR_LINE.test(norm) || REPORTING_BY_LINE.test(norm) || AGENCY_CREDIT_LINE.test(norm)) {
    return 'byline';
  }
  const dateline = findDateline(text);
  if (dateline !== undefined && collapseSpaces(dateline) === collapseSpaces(text.trim())) return 'dateline';
  return null;
}

function collapseSpaces(s: string): string {
  return s.replace(/\s+/g, ' ');
}

/** What `findStructure` needs of a paragraph. */
export interface StructureInput {
  readonly text: string;
  readonly norm: string;
  readonly tag: ParagraphTag;
}

export interface Structure {
  /** The block kind of each paragraph, index for index. */
  readonly kinds: readonly BlockKind[];
  /** Runs of equal kinds, covering every paragraph in order. */
  readonly blocks: readonly Block[];
  /** The first "By NAME" paragraph (trimmed), if any. */
  readonly byline?: string;
  /** The first credit line ("Associated Press writer … contributed to this report."), if any. */
  readonly credit?: string;
  /** The first dateline found, standing alone or opening a paragraph. */
  readonly dateline?: string;
}

/**
 * Finds the story's blocks. With a separator banner (AP's "THIS IS A BREAKING NEWS UPDATE…"): story paragraphs
 * above it are `update`, below it `earlier`. Without one: `body`. Markers are their own blocks wherever they stand:
 * `banner` (the separator and update notices), `correction`, `byline`, `dateline` (a dateline standing alone).
 */
export function findStructure(paragraphs: readonly StructureInput[]): Structure {
  const markers = paragraphs.map((p) => classifyMarker(p.text, p.norm));
  const separator = markers.indexOf('separator');
  const kinds: BlockKind[] = markers.map((m, i) => {
    if (m === 'separator' || m === 'banner') return 'banner';
    if (m !== null) return m;
    if (separator < 0) return 'body';
    return i < separator ? 'update' : 'earlier';
  });
  const blocks: Block[] = [];
  kinds.forEach((kind, i) => {
    const last = blocks[blocks.length - 1];
    if (last !== undefined && last.kind === kind) blocks[blocks.length - 1] = { kind, start: last.start, end: i + 1 };
    else blocks.push({ kind, start: i, end: i + 1 });
  });
  let byline: string | undefined;
  let credit: string | undefined;
  let dateline: string | undefined;
  paragraphs.forEach((p, i) => {
    if (markers[i] === 'byline') {
      if (BYLINE_PREFIX.test(p.norm)) byline ??= p.text.trim();
      else credit ??= p.text.trim();
    }
    if (dateline === undefined && (markers[i] === null || markers[i] === 'dateline')) dateline = findDateline(p.text);
  });
  return {
    kinds,
    blocks,
    ...(byline !== undefined ? { byline } : {}),
    ...(credit !== undefined ? { credit } : {}),
    ...(dateline !== undefined ? { dateline } : {}),
  };
}
