/**
 * Terminal and plain-text rendering of a ChangeSet, like a good diff tool: a header (kind, summary, statistics),
 * then the story's blocks in order, each change on its own line(s) with a mark and the paragraph numbers:
 *
 *   `+` added · `-` removed · `~` edited (word changes inside) · `>` moved here ("moved from ¶N") ·
 *   `<` old place of a moved paragraph ("moved to ¶M") · `%` split / merged · ` ` unchanged context.
 *
 * Without colour, word changes use `git diff --word-diff=plain` markers: `{+added+}` and `[-removed-]`.
 * With colour (the caller decides: TTY, NO_COLOR, FORCE_COLOR), they are green and red (struck through), and no
 * markers are added. Article text is made inert for terminals first (control characters and ESC sequences become
 * visible symbols), so a hostile article cannot drive the terminal.
 */
import { WirediffError } from '../errors.js';
import type { Article } from '../model/article.js';
import type { ChangeSet, WordPart } from '../model/changeset.js';
import { showAsReplaced } from '../model/changeset.js';
import { factLines } from './facts.js';
import { escapeTerminal } from './escape.js';
import { blockTitle } from './blocks.js';
import { paraRange, sectionNote, statsLine, summaryParts } from './labels.js';
import { layoutChangeSet, type ChangeOp, type Item } from './layout.js';
import { plural } from '../words.js';

export interface TextRenderOptions {
  /** ANSI colours (true) or plain text with `{+ +}` / `[- -]` word markers (false). */
  readonly color: boolean;
  /** The two versions: lets unchanged paragraphs be shown as context and every paragraph be put in its block. */
  readonly context?: { readonly old: Article; readonly next: Article } | undefined;
  /** Unchanged paragraphs shown on each side of a change when `context` is given (default 2, at most 1,000). */
  readonly contextLines?: number | undefined;
  /** Wrap paragraphs at this many columns (20 to 10,000; the text column keeps at least 20) with a hanging indent; default: one line per paragraph. */
  readonly width?: number | undefined;
}

type Style = 'plain' | 'ins' | 'del' | 'add' | 'rem' | 'dim' | 'note' | 'head' | 'edit' | 'move' | 'split';

interface Piece {
  readonly text: string;
  readonly style: Style;
}

const ANSI: Readonly<Record<Style, string>> = {
  plain: '',
  ins: '\x1b[32m',
  del: '\x1b[31;9m',
  add: '\x1b[32m',
  rem: '\x1b[31m',
  dim: '\x1b[2m',
  note: '\x1b[36m',
  head: '\x1b[1m',
  edit: '\x1b[33m',
  move: '\x1b[36m',
  split: '\x1b[35m',
};
const RESET = '\x1b[0m';

/** A moved paragraph's old place shows this many characters of its text. */
const MOVED_OUT_PREVIEW = 80;

function checkOptions(options: TextRenderOptions): { contextLines: number; width: number | undefined } {
  const contextLines = options.contextLines ?? 2;
  if (!Number.isInteger(contextLines) || contextLines < 0 || contextLines > 1000) {
    throw new WirediffError(
      'E_USAGE',
      `renderText: option "contextLines" must be an integer from 0 to 1000, received ${String(contextLines)}`,
    );
  }
  const width = options.width;
  if (width !== undefined && (!Number.isInteger(width) || width < 20 || width > 10_000)) {
    throw new WirediffError(
      'E_USAGE',
      `renderText: option "width" must be an integer from 20 to 10000, received ${String(width)}`,
    );
  }
  return { contextLines, width };
}

function cpLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Word parts as pieces; without colour the changed words get `{+ +}` / `[- -]`, with surrounding spaces left outside. */
function partPieces(parts: readonly WordPart[], color: boolean): Piece[] {
  const out: Piece[] = [];
  for (const part of parts) {
    const v = escapeTerminal(part.v);
    if (part.t === '=') {
      out.push({ text: v, style: 'plain' });
      continue;
    }
    const style: Style = part.t === '+' ? 'ins' : 'del';
    if (color) {
      out.push({ text: v, style });
      continue;
    }
    const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(v);
    const lead = m?.[1] ?? '';
    const core = m?.[2] ?? v;
    const trail = m?.[3] ?? '';
    const [open, close] = part.t === '+' ? ['{+', '+}'] : ['[-', '-]'];
    if (core === '') {
      out.push({ text: `${open}${v}${close}`, style });
      continue;
    }
    if (lead !== '') out.push({ text: lead, style: 'plain' });
    out.push({ text: `${open}${core}${close}`, style });
    if (trail !== '') out.push({ text: trail, style: 'plain' });
  }
  return out;
}

class TextWriter {
  private readonly lines: string[] = [];
  private readonly gutterWidth: number;

  constructor(
    private readonly color: boolean,
    private readonly width: number | undefined,
    private readonly numWidth: number,
  ) {
    // mark, space, old number, space, new number, " │ "
    this.gutterWidth = 2 + numWidth + 1 + numWidth + 3;
  }

  private paint(piece: Piece): string {
    const code = ANSI[piece.style];
    return this.color && code !== '' && piece.text !== '' ? `${code}${piece.text}${RESET}` : piece.text;
  }

  raw(pieces: readonly Piece[]): void {
    this.lines.push(pieces.map((p) => this.paint(p)).join(''));
  }

  blank(): void {
    this.lines.push('');
  }

  private num(n: number | null): string {
    return (n === null ? '' : String(n + 1)).padStart(this.numWidth, ' ');
  }

  /** One paragraph: a gutter (mark, old and new numbers) and its text pieces, wrapped when a width is set. */
  para(mark: string, markStyle: Style, o: number | null, n: number | null, pieces: readonly Piece[]): void {
    const gutter: Piece[] = [
      { text: mark, style: markStyle },
      { text: ` ${this.num(o)} ${this.num(n)} │ `, style: 'dim' },
    ];
    const cont: Piece[] = [{ text: `${' '.repeat(this.gutterWidth - 2)}│ `, style: 'dim' }];
    const avail = this.width === undefined ? Infinity : Math.max(20, this.width - this.gutterWidth);
    let line: Piece[] = [...gutter];
    let used = 0;
    const flush = (): void => {
      this.raw(line);
      line = [...cont];
      used = 0;
    };
    for (const piece of pieces) {
      // Newlines inside a paragraph start a new continuation line; long text wraps at spaces.
      const chunks = piece.text.split('\n');
      for (let c = 0; c < chunks.length; c++) {
        if (c > 0) flush();
        const chunk = chunks[c]!;
        if (avail === Infinity) {
          if (chunk !== '') line.push({ text: chunk, style: piece.style });
          used += chunk.length;
          continue;
        }
        for (const word of chunk.split(/(?<=\s)(?=\S)/)) {
          const len = cpLength(word);
          const visible = cpLength(word.trimEnd());
          if (used > 0 && used + visible > avail) {
            // Drop the trailing space of the previous word at the break.
            const last = line[line.length - 1];
            if (last !== undefined && line.length > cont.length)
              line[line.length - 1] = { ...last, text: last.text.trimEnd() };
            flush();
          }
          line.push({ text: word, style: piece.style });
          used += len;
        }
      }
    }
    this.raw(line);
  }

  /** A line in the text column with an empty gutter (folds). */
  note(text: string, style: Style): void {
    this.raw([
      { text: `${' '.repeat(this.gutterWidth - 2)}│ `, style: 'dim' },
      { text, style },
    ]);
  }

  toString(): string {
    return this.lines.join('\n') + '\n';
  }
}

function preview(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  const cps = [...t];
  return cps.length <= MOVED_OUT_PREVIEW ? t : `${cps.slice(0, MOVED_OUT_PREVIEW - 1).join('')}…`;
}

function renderChange(w: TextWriter, op: ChangeOp, color: boolean): void {
  const txt = (s: string, style: Style): Piece => ({ text: escapeTerminal(s), style });
  switch (op.op) {
    case 'insert':
      w.para('+', 'add', null, op.n, [txt(op.text, 'add')]);
      return;
    case 'delete':
      w.para('-', 'rem', op.o, null, [txt(op.text, 'rem')]);
      return;
    case 'edit':
      if (showAsReplaced(op) || op.parts === null) {
        w.para('~', 'edit', op.o, op.n, [{ text: '(replaced)', style: 'note' }]);
        w.para('-', 'rem', op.o, null, [txt(op.old, 'rem')]);
        w.para('+', 'add', null, op.n, [txt(op.text, 'add')]);
        return;
      }
      w.para('~', 'edit', op.o, op.n, [
        ...(op.cosmetic ? [{ text: '(formatting only) ', style: 'note' as const }] : []),
        ...partPieces(op.parts, color),
      ]);
      return;
    case 'move':
      w.para('>', 'move', op.o, op.n, [
        { text: `(moved from ¶${op.o + 1}${op.parts === null ? '' : ', edited'}) `, style: 'note' },
        ...(op.parts === null ? [txt(op.text, 'plain')] : partPieces(op.parts, color)),
      ]);
      return;
    case 'moved-out':
      w.para('<', 'move', op.o, null, [
        { text: `(moved to ¶${op.n + 1}) `, style: 'note' },
        txt(preview(op.text), 'dim'),
      ]);
      return;
    case 'split':
      w.para('%', 'split', op.o, null, [
        { text: `(split into ${paraRange(op.n, op.texts.length)}) `, style: 'note' },
        txt(op.old, 'rem'),
      ]);
      op.texts.forEach((t, i) => w.para('%', 'split', null, op.n + i, [txt(t, 'add')]));
      return;
    case 'merge':
      op.olds.forEach((t, i) =>
        w.para('%', 'split', op.o + i, null, [{ text: `(merged into ¶${op.n + 1}) `, style: 'note' }, txt(t, 'rem')]),
      );
      w.para('%', 'split', null, op.n, [
        { text: `(merged from ${paraRange(op.o, op.olds.length)}) `, style: 'note' },
        txt(op.text, 'add'),
      ]);
      return;
  }
}

function foldLine(item: Extract<Item, { t: 'fold' }>): string {
  const range =
    item.o === item.n
      ? paraRange(item.n, item.count)
      : `${paraRange(item.o, item.count)} → ${paraRange(item.n, item.count)}`;
  return `… ${plural(item.count, 'unchanged paragraph')} (${range}) …`;
}

/** "Breaking update: 6 paragraphs placed above…": the kind (or the summary's own label) once, then the summary. */
function headline(cs: ChangeSet): string {
  const { label, rest } = summaryParts(cs);
  return rest === '' ? label : `${label}: ${rest}`;
}

/** Renders a ChangeSet for a terminal (`color: true`) or as plain text (`color: false`). Pure: returns the string. */
export function renderText(cs: ChangeSet, options: TextRenderOptions): string {
  const { contextLines, width } = checkOptions(options);
  const color = options.color;
  const numWidth = String(Math.max(cs.stats.oldParagraphs, cs.stats.newParagraphs, 1)).length;
  const w = new TextWriter(color, width, numWidth);

  // Header: what happened in one line (the kind once, then the summary), the figures, the headline change.
  w.raw([{ text: escapeTerminal(headline(cs)), style: 'head' }]);
  w.raw([
    {
      text: `Paragraphs: ${statsLine(cs.stats)}; significance ${(Number.isFinite(cs.significance) ? cs.significance : 0).toFixed(2)}`,
      style: 'dim',
    },
  ]);
  // A changed headline has its own line below.
  for (const f of factLines(cs.facts).filter((x) => !(cs.title.changed && x.label === 'Headline'))) {
    w.raw([{ text: escapeTerminal(`${f.label}: ${f.text}`), style: 'plain' }]);
  }
  if (cs.title.changed) {
    w.raw([
      { text: 'Headline: ', style: 'plain' },
      ...partPieces(
        [
          { t: '-', v: cs.title.old },
          { t: '+', v: cs.title.new },
        ],
        color,
      ).flatMap((p, i) => (i === 0 ? [p] : [{ text: ' → ', style: 'plain' as const }, p])),
    ]);
  }

  const layout = layoutChangeSet(cs, {
    old: options.context?.old,
    next: options.context?.next,
    context: contextLines,
    collapseAfter: 2 * contextLines + 1,
  });
  for (const section of layout.sections) {
    w.blank();
    if (section.heading) {
      w.raw([{ text: `[${section.block}] ${blockTitle(section.block)} (${sectionNote(section)})`, style: 'head' }]);
    }
    for (const item of section.items) {
      if (item.t === 'change') renderChange(w, item.op, color);
      else if (item.t === 'same')
        w.para(' ', 'plain', item.o, item.n, [{ text: escapeTerminal(item.text), style: 'plain' }]);
      else w.note(foldLine(item), 'dim');
    }
  }
  if (layout.sections.length === 0) {
    w.blank();
    w.note('(no paragraphs)', 'dim');
  }
  return w.toString();
}
