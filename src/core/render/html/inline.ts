/**
 * The inline view: one column, each paragraph a `wd-p` row with the change marked in place (word changes as
 * `<ins>`/`<del>`); a row carries the new paragraph's id, or the old one's for what only the old version has.
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
  preview,
  rowClass,
  textP,
} from './pieces.js';

export class InlineRows extends DiffRows {
  private row(cls: string, id: string, inner: string): void {
    this.out.push(`<div class="wd-p ${cls}" id="${id}">`, inner, '</div>');
  }

  change(op: ChangeOp, block: BlockKind): void {
    switch (op.op) {
      case 'insert':
        this.row(rowClass('wd-added', block), this.id('n', op.n), MARKS.added + num(`¶${op.n + 1}`) + insP(op.text));
        return;
      case 'delete':
        this.row(
          rowClass('wd-removed', block),
          this.id('o', op.o),
          MARKS.removed + num(`was ¶${op.o + 1}`) + delP(op.text),
        );
        return;
      case 'edit': {
        const look = editLook(op);
        const inner = look.mark + num(`¶${op.n + 1}`) + editedText(op, look.replaced, 'both');
        this.row(rowClass('wd-edited', block, look.extra), this.id('n', op.n), inner);
        return;
      }
      case 'move': {
        const link = moveLink(this.linkTo('o', op.o), `moved from ¶${op.o + 1}`);
        const inner = num(`¶${op.n + 1}`) + note(link + (op.parts === null ? '' : ', edited')) + textP(movedText(op));
        this.row(rowClass('wd-moved', block), this.id('n', op.n), MARKS.moved + inner);
        return;
      }
      case 'moved-out': {
        const link = moveLink(this.linkTo('n', op.n), `moved to ¶${op.n + 1}`);
        const inner =
          num(`was ¶${op.o + 1}`) + note(link) + `<p class="wd-text wd-preview">${esc(preview(op.text))}</p>`;
        this.row(rowClass('wd-moved', block, ' wd-moved-out'), this.id('o', op.o), MARKS['moved-out'] + inner);
        return;
      }
      case 'split': {
        const what = note(`split into ${label(paraRange(op.n, op.texts.length))}`);
        const inner = num(`was ¶${op.o + 1}`) + what + delP(op.old) + this.newParagraphs(op.texts, op.n);
        this.row(rowClass('wd-split', block), this.id('o', op.o), MARKS.split + inner);
        return;
      }
      case 'merge': {
        const what = note(`merged from ${label(paraRange(op.o, op.olds.length))}`);
        const inner = num(`¶${op.n + 1}`) + what + this.oldParagraphs(op.olds, op.o) + insP(op.text);
        this.row(rowClass('wd-merged', block), this.id('n', op.n), MARKS.merged + inner);
        return;
      }
    }
  }

  same(_o: number, n: number, text: string, block: BlockKind): void {
    this.row(rowClass('wd-unchanged', block), this.id('n', n), MARKS.unchanged + num(`¶${n + 1}`) + textP(esc(text)));
  }

  foldCount(text: string): void {
    this.out.push(`<p class="wd-fold-count wd-unchanged">${label(text)}</p>`);
  }
}
