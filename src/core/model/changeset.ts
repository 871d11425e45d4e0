/**
 * The ChangeSet: what changed between two versions of an article, at paragraph level with word-level
 * changes inside edited paragraphs, classified (`kind`, `facets`) and described (`facts`, `summary`). A public,
 * versioned format (see docs/changes.md): it is stored once per version, sent over the WebSocket and the API, and
 * rendered into feeds and the viewer.
 *
 * Indexes are 0-based paragraph positions in the old (`o`) and new (`n`) versions.
 * `ops` are in document order: walking them in order and emitting what each produces
 * (see `applyChangeSet`) rebuilds the new version's paragraphs exactly.
 *
 * Schema `wirediff.changeset/2`. Documents of schema `/1` (stored versions, events and exports written before) are
 * still read: `upgradeChangeSet` turns one into a `/2` ChangeSet (its `major` kind becomes `update`, `facets` is the
 * kind alone, `facts` is empty); their ops are the same and `applyChangeSet` reads both.
 */
export const CHANGESET_SCHEMA = 'wirediff.changeset/2' as const;
/** The previous schema, still read (see `upgradeChangeSet`). */
export const CHANGESET_SCHEMA_V1 = 'wirediff.changeset/1' as const;

/** A word-level piece of an edited paragraph: kept (`=`), inserted (`+`) or deleted (`-`). */
export interface WordPart {
  readonly t: '=' | '+' | '-';
  readonly v: string;
}

export type Op =
  /** `count` paragraphs unchanged (exact text equal), from old `o` and new `n` onwards. */
  | { readonly op: 'equal'; readonly o: number; readonly n: number; readonly count: number }
  /** A new paragraph. */
  | { readonly op: 'insert'; readonly n: number; readonly text: string }
  /** A paragraph that is gone. */
  | { readonly op: 'delete'; readonly o: number; readonly text: string }
  /**
   * The same paragraph, changed. `parts` are the word-level changes (old text = `=` and `-` parts, new text = `=`
   * and `+` parts); `parts` is null when the word diff went past its bound and the paragraph is shown as replaced,
   * in which case `old` and `text` carry both texts. `cosmetic` is true when only whitespace, quotes, dashes or
   * invisible characters changed (the normalized forms are equal).
   */
  | {
      readonly op: 'edit';
      readonly o: number;
      readonly n: number;
      readonly similarity: number;
      readonly cosmetic: boolean;
      readonly parts: readonly WordPart[] | null;
      readonly old: string;
      readonly text: string;
      /**
       * (`/2`) True when so little of the paragraph is unchanged (see `REPLACE_MAX_UNCHANGED` in core/diff/words.ts)
       * that it reads best as the old paragraph struck through, then the new one whole. Absent in `/1` documents:
       * renderers then decide from `parts` (see `showAsReplaced`).
       */
      readonly replace?: boolean;
    }
  /**
   * A paragraph that moved: it stands here in the new version and came from old `o` (where a `moved-out` op marks
   * its old place). `parts` is null when the text is unchanged, else the word-level edit made while moving.
   */
  | {
      readonly op: 'move';
      readonly o: number;
      readonly n: number;
      readonly similarity: number;
      readonly parts: readonly WordPart[] | null;
      readonly text: string;
    }
  /** Marks the old place of a paragraph that moved to new `n`. Produces nothing. */
  | { readonly op: 'moved-out'; readonly o: number; readonly n: number; readonly text: string }
  /** One old paragraph became several new ones `n .. n+texts.length-1`. */
  | {
      readonly op: 'split';
      readonly o: number;
      readonly n: number;
      readonly old: string;
      readonly texts: readonly string[];
      readonly similarity: number;
    }
  /** Several old paragraphs `o .. o+olds.length-1` became one new one. */
  | {
      readonly op: 'merge';
      readonly o: number;
      readonly n: number;
      readonly olds: readonly string[];
      readonly text: string;
      readonly similarity: number;
    };

/**
 * What kind of change a new version is. Every kind, with its one label, is in core/model/kinds.ts (the one
 * vocabulary the CLI, feeds, live events, the viewer and the docs use); docs/changes.md gives an example of each.
 */
export type ChangeKind =
  /** The first version of an article (no previous version). */
  | 'initial'
  /** Nothing changed. */
  | 'none'
  /** A new update block was placed above the earlier story, under a breaking-news banner (AP's layered update). */
  | 'breaking-update'
  /** A new top: the lede was replaced or new paragraphs were put at the top of the story. */
  | 'new-top'
  /** Paragraphs were added below the top (in the middle or at the end). */
  | 'update'
  /** Paragraphs were taken out and nothing new put in. */
  | 'trimmed'
  /** The story was rewritten through (most paragraphs changed; or the breaking banner gone and the story rewritten). */
  | 'write-thru'
  /** Paragraphs were moved, not changed. */
  | 'reordered'
  /** Numbers changed (a toll, a count, an amount). */
  | 'figures'
  /** Quotes were added or removed. */
  | 'quotes'
  /** The headline changed. */
  | 'headline'
  /** A correction notice, a CORRECTS/CORRECTED marker, an editor's note or a clarification was added (never a figure update alone). */
  | 'correction'
  /** Typos, punctuation, style: a word or two, no figure. */
  | 'minor'
  /** Only dates, times, "Updated … ago", datelines or "Still current at" changed. */
  | 'timestamp-only';

/**
 * Full replacement threshold: an edit keeping this share of its paragraph or less (characters of its `=` parts,
 * whitespace aside, over the longer of the two texts) reads best as the old paragraph struck through, then the new
 * one whole, not as a word diff. 0.3 after NYTdiff's users, who asked for a full replacement when 30 % or less is
 * unchanged.
 */
export const REPLACE_MAX_UNCHANGED = 0.3;

/** Share of the longer text that an edit's `=` parts keep (whitespace aside); 0 when there are no parts. */
export function keptShare(parts: readonly WordPart[] | null, oldText: string, newText: string): number {
  if (parts === null) return 0;
  let kept = 0;
  for (const p of parts) if (p.t === '=') kept += p.v.replace(/\s+/g, '').length;
  const longest = Math.max(oldText.replace(/\s+/g, '').length, newText.replace(/\s+/g, '').length);
  return longest === 0 ? 1 : kept / longest;
}

/**
 * True when an edit is shown as a full replacement: no word parts, or `replace` set (`/2`), or (a `/1` edit)
 * `REPLACE_MAX_UNCHANGED` or less of it unchanged.
 */
export function showAsReplaced(op: {
  readonly parts: readonly WordPart[] | null;
  readonly old: string;
  readonly text: string;
  readonly cosmetic?: boolean;
  readonly replace?: boolean;
}): boolean {
  if (op.parts === null) return true;
  if (op.cosmetic === true) return false;
  if (op.replace !== undefined) return op.replace;
  return keptShare(op.parts, op.old, op.text) <= REPLACE_MAX_UNCHANGED;
}

/** A `/1` kind: `major` ("anything bigger") is read as `update`. */
export type ChangeKindV1 =
  'none' | 'initial' | 'breaking-update' | 'write-thru' | 'correction' | 'headline' | 'minor' | 'major';

/** Where a fact stands: old paragraph `o` and/or new paragraph `n` (absent for the headline). */
export interface FactPosition {
  readonly o?: number;
  readonly n?: number;
}

/** Where new (or removed) material stands in the story. */
export type Placement = 'top' | 'middle' | 'end';

/** Where a headline was read from: the visible `<h1>`, the page's `og:title`, its `<title>`, or the text's first line. */
export type HeadlineSource = 'h1' | 'og:title' | 'title' | 'text';

/** The newsroom conventions a story's own note can follow (see docs/changes.md, "Notes"). */
export type NoteConvention =
  /** Reuters "UPDATE 2-" headline prefix. */
  | 'update-prefix'
  /** Reuters "REFILE-" prefix. */
  | 'refile'
  /** Reuters "CORRECTED-" prefix, AP "CORRECTS" slug. */
  | 'corrected'
  /** AFP "URGENT" / "FLASH" label. */
  | 'urgent'
  /** Reuters "(Adds comment from X in paragraph 5)" / Bloomberg "(Updates with … in third paragraph)". */
  | 'adds'
  /** "This story has been updated…", "UPDATE:", AP "EDS: UPDATES…". */
  | 'story-updated'
  /** AP's breaking-news banner. */
  | 'banner'
  /** "Editor's note:". */
  | 'editors-note'
  /** "Correction:", "This story corrects…", "An earlier version of this story…". */
  | 'correction'
  /** "Clarification:". */
  | 'clarification';

/**
 * A fact of a change, as structured data, with its position. Facts are what summaries, feeds and the viewer say:
 * "Figures: killed 4 → 7".
 */
export type ChangeFact =
  /** A number that changed, with its context word(s): `{label: 'killed', old: '4', new: '7'}`. `inLede`: in the first story paragraph. */
  | {
      readonly type: 'figure';
      readonly label: string;
      readonly old: string;
      readonly new: string;
      readonly inLede: boolean;
      readonly at: FactPosition;
    }
  /** A quote added or removed, with its speaker when the sentence names one ("…," said X). */
  | {
      readonly type: 'quote';
      readonly change: 'added' | 'removed';
      readonly speaker: string | null;
      readonly text: string;
      readonly at: FactPosition;
    }
  /** The lede (first story paragraph) was replaced. */
  | { readonly type: 'lede'; readonly old: string; readonly new: string; readonly at: FactPosition }
  /** The headline before and after, and which headline of the page it is. */
  | {
      readonly type: 'headline';
      readonly old: string;
      readonly new: string;
      readonly source: HeadlineSource;
      readonly at: FactPosition;
    }
  /** The byline changed ('' when there was none / is none). */
  | { readonly type: 'byline'; readonly old: string; readonly new: string; readonly at: FactPosition }
  /** The dateline changed ('' when there was none / is none). */
  | { readonly type: 'dateline'; readonly old: string; readonly new: string; readonly at: FactPosition }
  /** New paragraphs, and where they went. */
  | { readonly type: 'added'; readonly where: Placement; readonly paragraphs: number; readonly at: FactPosition }
  /** Paragraphs taken out, and where they were. */
  | { readonly type: 'removed'; readonly where: Placement; readonly paragraphs: number; readonly at: FactPosition }
  /** The story's own update note, quoted (`text`), and the convention it follows. */
  | { readonly type: 'note'; readonly convention: NoteConvention; readonly text: string; readonly at: FactPosition }
  /** Live-blog entries (timestamped paragraphs) added, edited or removed. */
  | {
      readonly type: 'entries';
      readonly added: number;
      readonly edited: number;
      readonly removed: number;
      readonly at: FactPosition;
    }
  /** A date or time changed ("Updated 10:32 a.m." → "11:05 a.m.", "Still current at: 5 March" → "6 March"). */
  | { readonly type: 'timestamp'; readonly old: string; readonly new: string; readonly at: FactPosition };

export interface ChangeStats {
  readonly paragraphs: {
    readonly added: number;
    readonly removed: number;
    readonly edited: number;
    readonly moved: number;
    readonly split: number;
    readonly merged: number;
    readonly unchanged: number;
  };
  readonly words: { readonly added: number; readonly removed: number };
  readonly oldParagraphs: number;
  readonly newParagraphs: number;
}

export interface ChangeSet {
  readonly schema: typeof CHANGESET_SCHEMA;
  /** The primary kind: drives the badge and the feed category. One of `facets` (or `none`/`initial`). */
  readonly kind: ChangeKind;
  /** Every kind of change the version carries, most important first (`[]` for `none`). */
  readonly facets: readonly ChangeKind[];
  /** What changed, as structured data (see `ChangeFact`), in document order within each type. */
  readonly facts: readonly ChangeFact[];
  /** 0 (nothing) … 1 (everything changed); see docs/changes.md, "Significance", for how it is computed. */
  readonly significance: number;
  /** One line a person reads: "Death toll 4 → 7; new lede; 3 paragraphs added at the end". */
  readonly summary: string;
  readonly title: { readonly old: string; readonly new: string; readonly changed: boolean };
  readonly stats: ChangeStats;
  readonly ops: readonly Op[];
  /** For `breaking-update`: how many paragraphs the new update block has, and whether the earlier story is unchanged below it. */
  readonly structure?: {
    readonly updateParagraphs: number;
    readonly bannerAdded: boolean;
    readonly bannerRemoved: boolean;
    readonly earlierUnchanged: boolean;
    readonly correctionAdded: boolean;
  };
}

/** The kinds of paragraph change, in the order people read them in summaries. */
export const PARAGRAPH_CHANGES = ['added', 'removed', 'edited', 'moved', 'split', 'merged'] as const;

/** The non-zero paragraph change counts as phrases, in reading order: `["7 added", "2 edited"]`. */
export function paragraphChangePhrases(counts: Readonly<Record<(typeof PARAGRAPH_CHANGES)[number], number>>): string[] {
  return PARAGRAPH_CHANGES.filter((k) => counts[k] > 0).map((k) => `${counts[k]} ${k}`);
}

/** A ChangeSet as schema `/1` wrote it: no `facets`, no `facts`, the `/1` kinds. */
export type ChangeSetV1 = Omit<ChangeSet, 'schema' | 'kind' | 'facets' | 'facts'> & {
  readonly schema: typeof CHANGESET_SCHEMA_V1;
  readonly kind: ChangeKindV1;
};

/** A kind as read from any schema: `/1`'s `major` is `update`; anything unknown is `update` too. */
export function upgradeKind(kind: string): ChangeKind {
  return isChangeKind(kind) ? kind : 'update';
}

const KINDS: ReadonlySet<string> = new Set<ChangeKind>([
  'initial',
  'none',
  'breaking-update',
  'new-top',
  'update',
  'trimmed',
  'write-thru',
  'reordered',
  'figures',
  'quotes',
  'headline',
  'correction',
  'minor',
  'timestamp-only',
]);

export function isChangeKind(kind: unknown): kind is ChangeKind {
  return typeof kind === 'string' && KINDS.has(kind);
}

/**
 * A ChangeSet of either schema as a `/2` ChangeSet. A `/2` one is returned as it is; a `/1` one gets the `/2` kind,
 * `facets: [kind]` (none for `none`) and `facts: []`; its ops are kept (they are the same in both schemas).
 */
export function upgradeChangeSet(cs: ChangeSet | ChangeSetV1): ChangeSet {
  if (cs.schema === CHANGESET_SCHEMA) return cs;
  const kind = upgradeKind(cs.kind);
  return {
    ...cs,
    schema: CHANGESET_SCHEMA,
    kind,
    facets: kind === 'none' || kind === 'initial' ? [] : [kind],
    facts: [],
  };
}
