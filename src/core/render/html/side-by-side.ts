/**
 * The side-by-side view: each `wd-row` holds exactly two cells, `wd-cell wd-old` then `wd-cell wd-new` (`wd-empty`
 * when a side has nothing), so old is on the left, new on the right, and every row is aligned. A cell carries its
 * paragraph's id.
 */
import type { BlockKind } from '../../model/article.js';
import { paraRange } from '../labels.js';
import type { ChangeOp } from '../layout.js';
import { DiffRows } from './rows.js';
import * as piece from './pieces.js';

function cell(side: 'old' | 'new', id: string | null, inner: string): string {
  return id === null
    ? `<div class="wd-cell wd-${side}">${inner}</div>`
    : `<div class="wd-cell wd-${side}" id="${id}">${inner}</div>`;
}

function emptyCell(side: 'old' | 'new', inner = ''): string {
  return `<div class="wd-cell wd-${side} wd-empty">${inner}</div>`;
}

export class SideBySideRows extends DiffRows {
  private row(cls: string, oldCell: string, newCell: string): void {
    this.out.push(`<div class="wd-row ${cls}">`, oldCell, newCell, '</div>');
  }

  /** The cell of old paragraph `o`. */
  private oldCell(o: number, inner: string): string {
    return cell('old', this.id('o', o), inner);
  }

  /** The cell of new paragraph `n`. */
  private newCell(n: number, inner: string): string {
    return cell('new', this.id('n', n), inner);
  }

  change(op: ChangeOp, block: BlockKind): void {
    switch (op.op) {
      case 'insert':
        this.row(
          piece.rowClass('wd-added', block),
          emptyCell('old'),
          this.newCell(op.n, piece.MARKS.added + piece.num(`¶${op.n + 1}`) + piece.insP(op.text)),
        );
        return;
      case 'delete':
        this.row(
          piece.rowClass('wd-removed', block),
          this.oldCell(op.o, piece.MARKS.removed + piece.num(`¶${op.o + 1}`) + piece.delP(op.text)),
          emptyCell('new'),
        );
        return;
      case 'edit': {
        const look = piece.editLook(op);
        const oldCell = this.oldCell(
          op.o,
          look.mark + piece.num(`¶${op.o + 1}`) + piece.editedText(op, look.replaced, 'old'),
        );
        const newCell = this.newCell(
          op.n,
          look.mark + piece.num(`¶${op.n + 1}`) + piece.editedText(op, look.replaced, 'new'),
        );
        this.row(piece.rowClass('wd-edited', block, look.extra), oldCell, newCell);
        return;
      }
      case 'move': {
        const link = piece.note(piece.moveLink(this.linkTo('o', op.o), `moved from ¶${op.o + 1}`));
        const newCell = this.newCell(
          op.n,
          piece.MARKS.moved + piece.num(`¶${op.n + 1}`) + piece.textP(piece.movedText(op)),
        );
        this.row(piece.rowClass('wd-moved', block), emptyCell('old', link), newCell);
        return;
      }
      case 'moved-out': {
        const link = piece.note(piece.moveLink(this.linkTo('n', op.n), `moved to ¶${op.n + 1}`));
        const oldCell = this.oldCell(
          op.o,
          piece.MARKS['moved-out'] + piece.num(`¶${op.o + 1}`) + piece.textP(piece.esc(op.text)),
        );
        this.row(piece.rowClass('wd-moved', block, ' wd-moved-out'), oldCell, emptyCell('new', link));
        return;
      }
      case 'split': {
        const range = piece.label(paraRange(op.n, op.texts.length));
        const what = piece.note(`split into ${range}`);
        const oldCell = this.oldCell(op.o, piece.MARKS.split + piece.num(`¶${op.o + 1}`) + what + piece.delP(op.old));
        const newCell = cell('new', null, piece.MARKS.split + piece.num(range) + this.newParagraphs(op.texts, op.n));
        this.row(piece.rowClass('wd-split', block), oldCell, newCell);
        return;
      }
      case 'merge': {
        const range = piece.label(paraRange(op.o, op.olds.length));
        const what = piece.note(`merged from ${range}`);
        const oldCell = cell('old', null, piece.MARKS.merged + piece.num(range) + this.oldParagraphs(op.olds, op.o));
        const newCell = this.newCell(op.n, piece.MARKS.merged + piece.num(`¶${op.n + 1}`) + what + piece.insP(op.text));
        this.row(piece.rowClass('wd-merged', block), oldCell, newCell);
        return;
      }
    }
  }

  same(o: number, n: number, text: string, block: BlockKind): void {
    const t = piece.textP(piece.esc(text));
    this.row(
      piece.rowClass('wd-unchanged', block),
      this.oldCell(o, piece.MARKS.unchanged + piece.num(`¶${o + 1}`) + t),
      this.newCell(n, piece.MARKS.unchanged + piece.num(`¶${n + 1}`) + t),
    );
  }

  foldCount(text: string): void {
    const l = piece.label(text);
    this.out.push(
      `<div class="wd-row wd-fold-count wd-unchanged"><div class="wd-cell wd-old">${l}</div><div class="wd-cell wd-new">${l}</div></div>`,
    );
  }

  override columnHeads(labels: { readonly old: string; readonly new: string }): void {
    this.out.push(
      `<div class="wd-row wd-colhead"><div class="wd-cell wd-old">${piece.esc(labels.old)}</div><div class="wd-cell wd-new">${piece.esc(labels.new)}</div></div>`,
    );
  }
}
