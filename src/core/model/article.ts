/**
 * The article model: one version of a news article, parsed into a title and paragraphs,
 * with the story's structure (breaking update, banner, earlier story, correction…) as blocks.
 *
 * Plain JSON data: it crosses every boundary (store, API, WebSocket) as it is.
 */

/** What a run of paragraphs is in the story's structure. */
export type BlockKind =
  /** The newest development, placed above a banner ("THIS IS A BREAKING NEWS UPDATE…"). */
  | 'update'
  /** The breaking-news / "this story has been updated" banner line itself. */
  | 'banner'
  /** The earlier story, below the banner. */
  | 'earlier'
  /** The story when there is no banner. */
  | 'body'
  /** A correction, editor's note or "CORRECTS" notice. */
  | 'correction'
  /** "By NAME" / "Associated Press writer … contributed" lines. */
  | 'byline'
  /** "DAMASCUS, Syria (AP) —" style place-and-agency line when it stands alone. */
  | 'dateline';

/** The HTML element family a paragraph came from (text input: always `p`). */
export type ParagraphTag = 'p' | 'h' | 'li' | 'blockquote' | 'pre';

export interface Paragraph {
  /** The paragraph exactly as it stood in the source (after HTML text extraction): used for display and rebuilding. */
  readonly text: string;
  /** The normalized form used for comparison (see `normalizeText`). */
  readonly norm: string;
  /** The block this paragraph belongs to. */
  readonly block: BlockKind;
  readonly tag: ParagraphTag;
}

/** A run of paragraphs `[start, end)` of one kind. Blocks cover every paragraph, in order, without overlap. */
export interface Block {
  readonly kind: BlockKind;
  readonly start: number;
  readonly end: number;
}

export interface Article {
  /** The headline ('' when none was found). A headline repeated as the first line is the title, not a paragraph. */
  readonly title: string;
  readonly paragraphs: readonly Paragraph[];
  readonly blocks: readonly Block[];
  readonly byline?: string;
  readonly dateline?: string;
  /**
   * HTML only: the page's headlines as found, so a change can say which one changed. `title` prefers the visible
   * `h1` when it and `og:title` disagree (a stale `og:title` must not hide a headline change).
   */
  readonly headlines?: { readonly h1?: string; readonly ogTitle?: string };
  /** The source format the article was parsed from. */
  readonly format: 'text' | 'html';
  /** Identifies the extractor that made this article (`wirediff-extract@N`); bumped when extraction changes so `reparse` knows. */
  readonly extractor: string;
}
