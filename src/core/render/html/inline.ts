/**
 * The inline view: one column, each paragraph a `wd-p` row with the change marked in place (word changes as
 * `<ins>`/`<del>`); a row carries the new paragraph's id, or the old one's for what only the old version has.
 */
import type { BlockKind } from '../../model/article.js';
import { paraRange } from '../labels.js';
import type { ChangeOp } from '../layout.js';
import { DiffRows } from './rows.js';
import * as piece from './pieces.js';

export class InlineRows extends DiffRows {
  private row(cls: string, id: string, inner: string): void {
    this.out.push(`<div class="wd-p ${cls}" id="${id}">`, inner, '</div>');
  }

  change(op: ChangeOp, block: BlockKind): void {
    switch (op.op) {
      case 'insert':
        this.row(
          piece.rowClass('wd-added', block),
          this.id('n', op.n),
          piece.MARKS.added + piece.num(`¶${op.n + 1}`) + piece.insP(op.text),
        );
        return;
      case 'delete':
        this.row(
          piece.rowClass('wd-removed', block),
          this.id('o', op.o),
          piece.MARKS.removed + piece.num(`was ¶${op.o + 1}`) + piece.delP(op.text),
        );
        return;
      case 'edit': {
        const look = piece.editLook(op);
        const inner = look.mark + piece.num(`¶${op.n + 1}`) + piece.editedText(op, look.replaced, 'both');
        this.row(piece.rowClass('wd-edited', block, look.extra), this.id('n', op.n), inner);
        return;
      }
      case 'move': {
        const link = piece.moveLink(this.linkTo('o', op.o), `moved from ¶${op.o + 1}`);
        const inner =
          piece.num(`¶${op.n + 1}`) +
          piece.note(link + (op.parts === null ? '' : ', edited')) +
          piece.textP(piece.movedText(op));
        this.row(piece.rowClass('wd-moved', block), this.id('n', op.n), piece.MARKS.moved + inner);
        return;
      }
      case 'moved-out': {
        const link = piece.moveLink(this.linkTo('n', op.n), `moved to ¶${op.n + 1}`);
        const inner =
          piece.num(`was ¶${op.o + 1}`) +
          piece.note(link) +
          `<p class="wd-text wd-preview">${piece.esc(piece.preview(op.text))}</p>`;
        this.row(
          piece.rowClass('wd-moved', block, ' wd-moved-out'),
          this.id('o', op.o),
          piece.MARKS['moved-out'] + inner,
        );
        return;
      }
      case 'split': {
        const what = piece.note(`split into ${piece.label(paraRange(op.n, op.texts.length))}`);
        const inner = piece.num(`was ¶${op.o + 1}`) + what + piece.delP(op.old) + this.newParagraphs(op.texts, op.n);
        this.row(piece.rowClass('wd-split', block), this.id('o', op.o), piece.MARKS.split + inner);
        return;
      }
      case 'merge': {
        const what = piece.note(`merged from ${piece.label(paraRange(op.o, op.olds.length))}`);
        const inner = piece.num(`¶${op.n + 1}`) + what + this.oldParagraphs(op.olds, op.o) + piece.insP(op.text);
        this.row(piece.rowClass('wd-merged', block), this.id('n', op.n), piece.MARKS.merged + inner);
        return;
      }
    }
  }

  same(_o: number, n: number, text: string, block: BlockKind): void {
    this.row(
      piece.rowClass('wd-unchanged', block),
      this.id('n', n),
      piece.MARKS.unchanged + piece.num(`¶${n + 1}`) + piece.textP(piece.esc(text)),
    );
  }

  foldCount(text: string): void {
    this.out.push(`<p class="wd-fold-count wd-unchanged">${piece.label(text)}</p>`);
  }
}
