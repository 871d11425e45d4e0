/**
 * The side-by-side view: each `wd-row` holds exactly two cells, `wd-cell wd-old` then `wd-cell wd-new` (`wd-empty`
 * when a side has nothing), so old is on the left, new on the right, and every row is aligned. A cell carries its
 * paragraph's id.
 */
import type { BlockKind } from '../../model/article.js';
import { paraRange } from '../labels.js';
import type { ChangeOp } from '../layout.js';
import { DiffRows } from './rows.js';
import {
  delP,
  editedText,
  editLook,
  esc,
  insP,
  label,
  MARKS,
  movedText,
  moveLink,
  note,
  num,
  rowClass,
  textP,
} from './pieces.js';

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
          rowClass('wd-added', block),
          emptyCell('old'),
          this.newCell(op.n, MARKS.added + num(`¶${op.n + 1}`) + insP(op.text)),
        );
        return;
      case 'delete':
        this.row(
          rowClass('wd-removed', block),
          this.oldCell(op.o, MARKS.removed + num(`¶${op.o + 1}`) + delP(op.text)),
          emptyCell('new'),
        );
        return;
      case 'edit': {
        const look = editLook(op);
        const oldCell = this.oldCell(op.o, look.mark + num(`¶${op.o + 1}`) + editedText(op, look.replaced, 'old'));
        const newCell = this.newCell(op.n, look.mark + num(`¶${op.n + 1}`) + editedText(op, look.replaced, 'new'));
        this.row(rowClass('wd-edited', block, look.extra), oldCell, newCell);
        return;
      }
      case 'move': {
        const link = note(moveLink(this.linkTo('o', op.o), `moved from ¶${op.o + 1}`));
        const newCell = this.newCell(op.n, MARKS.moved + num(`¶${op.n + 1}`) + textP(movedText(op)));
        this.row(rowClass('wd-moved', block), emptyCell('old', link), newCell);
        return;
      }
      case 'moved-out': {
        const link = note(moveLink(this.linkTo('n', op.n), `moved to ¶${op.n + 1}`));
        const oldCell = this.oldCell(op.o, MARKS['moved-out'] + num(`¶${op.o + 1}`) + textP(esc(op.text)));
        this.row(rowClass('wd-moved', block, ' wd-moved-out'), oldCell, emptyCell('new', link));
        return;
      }
      case 'split': {
        const range = label(paraRange(op.n, op.texts.length));
        const what = note(`split into ${range}`);
        const oldCell = this.oldCell(op.o, MARKS.split + num(`¶${op.o + 1}`) + what + delP(op.old));
        const newCell = cell('new', null, MARKS.split + num(range) + this.newParagraphs(op.texts, op.n));
        this.row(rowClass('wd-split', block), oldCell, newCell);
        return;
      }
      case 'merge': {
        const range = label(paraRange(op.o, op.olds.length));
        const what = note(`merged from ${range}`);
        const oldCell = cell('old', null, MARKS.merged + num(range) + this.oldParagraphs(op.olds, op.o));
        const newCell = this.newCell(op.n, MARKS.merged + num(`¶${op.n + 1}`) + what + insP(op.text));
        this.row(rowClass('wd-merged', block), oldCell, newCell);
        return;
      }
    }
  }

  same(o: number, n: number, text: string, block: BlockKind): void {
    const t = textP(esc(text));
    this.row(
      rowClass('wd-unchanged', block),
      this.oldCell(o, MARKS.unchanged + num(`¶${o + 1}`) + t),
      this.newCell(n, MARKS.unchanged + num(`¶${n + 1}`) + t),
    );
  }

  foldCount(text: string): void {
    const l = label(text);
    this.out.push(
      `<div class="wd-row wd-fold-count wd-unchanged"><div class="wd-cell wd-old">${l}</div><div class="wd-cell wd-new">${l}</div></div>`,
    );
  }

  override columnHeads(labels: { readonly old: string; readonly new: string }): void {
    this.out.push(
      `<div class="wd-row wd-colhead"><div class="wd-cell wd-old">${esc(labels.old)}</div><div class="wd-cell wd-new">${esc(labels.new)}</div></div>`,
    );
  }
}
