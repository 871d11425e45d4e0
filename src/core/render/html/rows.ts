/**
 * What both diff views share: the rows of one fragment are written into `out` by a `DiffRows` (inline or side by
 * side), which knows the ids (`<prefix>o-N`, `<prefix>n-N`, 1-based) and where a move link points (`LinkTo`).
 */
import type { BlockKind } from '../../model/article.js';
import type { ChangeOp } from '../layout.js';
import { delP, insP } from './pieces.js';

/** The `href` of a link to old (`o`) or new (`n`) paragraph `index` (0-based), escaped for an attribute. */
export type LinkTo = (side: 'o' | 'n', index: number) => string;

export function anchorLinks(pfx: string): LinkTo {
  return (side, index) => `#${pfx}${side}-${index + 1}`;
}

export abstract class DiffRows {
  constructor(
    protected readonly out: string[],
    private readonly pfx: string,
    protected readonly linkTo: LinkTo = anchorLinks(pfx),
  ) {}

  protected id(side: 'o' | 'n', index: number): string {
    return `${this.pfx}${side}-${index + 1}`;
  }

  /** A split's new paragraphs, from new paragraph `n`, each with its id. */
  protected newParagraphs(texts: readonly string[], n: number): string {
    return texts.map((t, i) => insP(t, this.id('n', n + i))).join('');
  }

  /** A merge's old paragraphs, from old paragraph `o`, each with its id. */
  protected oldParagraphs(texts: readonly string[], o: number): string {
    return texts.map((t, i) => delP(t, this.id('o', o + i))).join('');
  }

  /** The row of a changed paragraph (or of a moved paragraph's old place). */
  abstract change(op: ChangeOp, block: BlockKind): void;

  /** The row of an unchanged paragraph: old paragraph `o`, new paragraph `n`. */
  abstract same(o: number, n: number, text: string, block: BlockKind): void;

  /** The row standing for unchanged paragraphs whose texts are unknown: `text` says how many. */
  abstract foldCount(text: string): void;

  /** The column headings, for a view that has columns. */
  columnHeads(_labels: { readonly old: string; readonly new: string }): void {}
}
