/** Test helpers: Articles built straight from paragraph texts, and checks of a ChangeSet's invariants. */
import { normalizeText } from '../../../src/core/extract/index.js';
import type { Article, Block, BlockKind, Paragraph } from '../../../src/core/model/article.js';
import type { ChangeSet, WordPart } from '../../../src/core/model/changeset.js';

/** An Article from paragraph texts; `kinds` gives each paragraph's block (default `body`). */
export function makeArticle(texts: readonly string[], title = 'Title', kinds?: readonly BlockKind[]): Article {
  const paragraphs: Paragraph[] = texts.map((text, k) => ({
    text,
    norm: normalizeText(text),
    block: kinds?.[k] ?? 'body',
    tag: 'p',
  }));
  const blocks: Block[] = [];
  for (let k = 0; k < paragraphs.length; k++) {
    const kind = paragraphs[k]!.block;
    const last = blocks[blocks.length - 1];
    if (last !== undefined && last.kind === kind && last.end === k)
      blocks[blocks.length - 1] = { kind, start: last.start, end: k + 1 };
    else blocks.push({ kind, start: k, end: k + 1 });
  }
  return { title, paragraphs, blocks, format: 'text', extractor: 'test' };
}

export function textsOf(a: Article): string[] {
  return a.paragraphs.map((p) => p.text);
}

function join(parts: readonly WordPart[], keep: '+' | '-'): string {
  return parts
    .filter((p) => p.t === '=' || p.t === keep)
    .map((p) => p.v)
    .join('');
}

/**
 * Checks the structural invariants of a ChangeSet; returns a list of problems (empty when all hold):
 * every old and new paragraph covered exactly once, document order, moves matched to moved-out marks, word parts
 * rebuilding both texts, texts matching the articles.
 */
export function invariantProblems(cs: ChangeSet, oldTexts: readonly string[], newTexts: readonly string[]): string[] {
  const problems: string[] = [];
  const oldSeen = new Array<number>(oldTexts.length).fill(0);
  const newSeen = new Array<number>(newTexts.length).fill(0);
  let lastOld = -1;
  let lastNew = -1;
  const seeOld = (o: number, what: string): void => {
    if (o < 0 || o >= oldTexts.length) problems.push(`${what}: old ${o} out of range`);
    else oldSeen[o]!++;
  };
  const seeNew = (n: number, what: string): void => {
    if (n < 0 || n >= newTexts.length) problems.push(`${what}: new ${n} out of range`);
    else newSeen[n]!++;
  };
  const orderOld = (o: number, what: string): void => {
    if (o <= lastOld) problems.push(`${what}: old ${o} out of document order (after ${lastOld})`);
    lastOld = o;
  };
  const orderNew = (n: number, what: string): void => {
    if (n <= lastNew) problems.push(`${what}: new ${n} out of document order (after ${lastNew})`);
    lastNew = n;
  };
  const movedOut = new Map<number, number>();
  for (const op of cs.ops) if (op.op === 'moved-out') movedOut.set(op.o, op.n);
  for (const op of cs.ops) {
    switch (op.op) {
      case 'equal':
        if (op.count < 1) problems.push(`equal with count ${op.count}`);
        for (let k = 0; k < op.count; k++) {
          seeOld(op.o + k, 'equal');
          seeNew(op.n + k, 'equal');
          orderOld(op.o + k, 'equal');
          orderNew(op.n + k, 'equal');
          if (oldTexts[op.o + k] !== newTexts[op.n + k])
            problems.push(`equal at old ${op.o + k} is not exact-text equal`);
        }
        break;
      case 'insert':
        seeNew(op.n, 'insert');
        orderNew(op.n, 'insert');
        if (op.text !== newTexts[op.n]) problems.push(`insert text at new ${op.n}`);
        break;
      case 'delete':
        seeOld(op.o, 'delete');
        orderOld(op.o, 'delete');
        if (op.text !== oldTexts[op.o]) problems.push(`delete text at old ${op.o}`);
        break;
      case 'edit':
        seeOld(op.o, 'edit');
        seeNew(op.n, 'edit');
        orderOld(op.o, 'edit');
        orderNew(op.n, 'edit');
        if (op.old !== oldTexts[op.o] || op.text !== newTexts[op.n]) problems.push(`edit texts at ${op.o}/${op.n}`);
        if (op.parts !== null && (join(op.parts, '-') !== op.old || join(op.parts, '+') !== op.text)) {
          problems.push(`edit parts at ${op.o}/${op.n} do not rebuild the texts`);
        }
        if (op.old === op.text) problems.push(`edit at ${op.o}/${op.n} of identical texts`);
        break;
      case 'move':
        seeNew(op.n, 'move');
        orderNew(op.n, 'move');
        if (movedOut.get(op.o) !== op.n) problems.push(`move to new ${op.n} has no moved-out mark at old ${op.o}`);
        if (op.text !== newTexts[op.n]) problems.push(`move text at new ${op.n}`);
        if (op.parts === null && oldTexts[op.o] !== op.text)
          problems.push(`move at new ${op.n} changed text without parts`);
        if (op.parts !== null && (join(op.parts, '-') !== oldTexts[op.o] || join(op.parts, '+') !== op.text)) {
          problems.push(`move parts at new ${op.n} do not rebuild the texts`);
        }
        break;
      case 'moved-out':
        seeOld(op.o, 'moved-out');
        orderOld(op.o, 'moved-out');
        break;
      case 'split':
        seeOld(op.o, 'split');
        orderOld(op.o, 'split');
        if (op.texts.length < 2) problems.push(`split into ${op.texts.length}`);
        op.texts.forEach((t, k) => {
          seeNew(op.n + k, 'split');
          orderNew(op.n + k, 'split');
          if (t !== newTexts[op.n + k]) problems.push(`split text at new ${op.n + k}`);
        });
        break;
      case 'merge':
        seeNew(op.n, 'merge');
        orderNew(op.n, 'merge');
        if (op.olds.length < 2) problems.push(`merge of ${op.olds.length}`);
        op.olds.forEach((t, k) => {
          seeOld(op.o + k, 'merge');
          orderOld(op.o + k, 'merge');
          if (t !== oldTexts[op.o + k]) problems.push(`merge text at old ${op.o + k}`);
        });
        break;
    }
  }
  oldSeen.forEach((c, k) => c !== 1 && problems.push(`old ${k} covered ${c} times`));
  newSeen.forEach((c, k) => c !== 1 && problems.push(`new ${k} covered ${c} times`));
  const p = cs.stats.paragraphs;
  const covered = p.unchanged + p.removed + p.edited + p.moved + p.split;
  if (p.added + p.unchanged + p.edited + p.moved + p.merged > newTexts.length)
    problems.push('stats exceed new paragraphs');
  if (covered > oldTexts.length) problems.push('stats exceed old paragraphs');
  if (cs.significance < 0 || cs.significance > 1) problems.push(`significance ${cs.significance}`);
  return problems;
}
