/**
 * Which block of the story (breaking update, banner, earlier story, body, correction, byline, dateline) a paragraph
 * of a diff is shown in, and the blocks' headings. A parsed article says it; without one, the ChangeSet's structure
 * and the paragraph's text do.
 */
import type { Article, BlockKind } from '../model/article.js';
import type { ChangeSet } from '../model/changeset.js';

/** Banner lines, recognised by text when no parsed article says which block a paragraph is in. */
export const BANNER_TEXT =
  /\bBREAKING NEWS UPDATE\b|\bearlier (?:story|version) (?:is )?below\b|^\W*(?:this story has been updated|update(?:d)?:)/i;

/** Correction notices, recognised by text when no parsed article says which block a paragraph is in. */
const CORRECTION_TEXT =
  /^\W*(?:corrections?\b|this (?:story|article|report) (?:has been|was) corrected\b|corrects\b|editor['’]s note\b)/i;

/** Block kinds worth their own section even for a paragraph that only the old version has. */
export const DISTINCT_OLD_BLOCKS: ReadonlySet<BlockKind> = new Set<BlockKind>(['update', 'banner', 'correction']);

const BLOCK_KINDS: ReadonlySet<string> = new Set([
  'update',
  'banner',
  'earlier',
  'body',
  'correction',
  'byline',
  'dateline',
]);

/** A block kind as it may be used in a class name: a known kind, else 'body'. */
export function knownBlock(kind: unknown): BlockKind {
  return typeof kind === 'string' && BLOCK_KINDS.has(kind) ? (kind as BlockKind) : 'body';
}

/**
 * The block of new paragraph `n` (its text, when known, helps). Without the new article, the story's structure comes
 * from the ChangeSet: a breaking update's first `updateParagraphs` new paragraphs are the update, a banner-like line is
 * the banner, the rest the earlier story.
 */
export function newBlockFinder(
  cs: ChangeSet,
  next: Article | undefined,
): (n: number, text: string | null) => BlockKind {
  const updateParagraphs =
    cs.structure !== undefined && (cs.kind === 'breaking-update' || cs.structure.updateParagraphs > 0)
      ? cs.structure.updateParagraphs
      : -1;
  return (n, text) => {
    const p = next?.paragraphs[n];
    if (p !== undefined) return knownBlock(p.block);
    if (text !== null && CORRECTION_TEXT.test(text)) return 'correction';
    if (updateParagraphs < 0) return text !== null && BANNER_TEXT.test(text) ? 'banner' : 'body';
    if (n < updateParagraphs) return 'update';
    if (text !== null && BANNER_TEXT.test(text)) return 'banner';
    return 'earlier';
  };
}

const BLOCK_TITLES: Readonly<Record<BlockKind, string>> = {
  update: 'Breaking update',
  banner: 'Banner',
  earlier: 'Earlier story',
  body: 'Story',
  correction: 'Correction',
  byline: 'Byline',
  dateline: 'Dateline',
};

export function blockTitle(block: BlockKind): string {
  return BLOCK_TITLES[block];
}
