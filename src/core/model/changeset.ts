/**
 * The ChangeSet: what changed between two versions of an article, at paragraph level with word-level
 * changes inside edited paragraphs. A public, versioned format (see the README, section "ChangeSet format"): it is stored
 * once per version, sent over the WebSocket and the API, and rendered into feeds and the viewer.
 *
 * Indexes are 0-based paragraph positions in the old (`o`) and new (`n`) versions.
 * `ops` are in document order: walking them in order and emitting what each produces
 * (see `applyChangeSet`) rebuilds the new version's paragraphs exactly.
 */
export const CHANGESET_SCHEMA = 'wirediff.changeset/1' as const;

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

export type OpName = Op['op'];

/** What kind of change a new version is, as a whole. */
export type ChangeKind =
  /** Nothing changed. */
  | 'none'
  /** The first version of an article (no previous version). */
  | 'initial'
  /** A new update block was placed above the earlier story (with a breaking-news banner). */
  | 'breaking-update'
  /** The banner is gone and the story was rewritten around the news. */
  | 'write-thru'
  /** A correction notice was added, or a figure/name was fixed in place. */
  | 'correction'
  /** Only the headline changed. */
  | 'headline'
  /** Whitespace, punctuation or a typo only. */
  | 'minor'
  /** Anything bigger. */
  | 'major';

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
  readonly kind: ChangeKind;
  /** 0 (nothing) … 1 (everything changed); see the README, section "ChangeSet format", for how it is computed. */
  readonly significance: number;
  /** One line a person reads: "Breaking update: 6 paragraphs placed above the earlier story". */
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
