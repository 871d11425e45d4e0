/**
 * A small ChangeSet builder for renderer tests: describe the diff op by op, get the ChangeSet and the two Articles
 * it connects (so `context` can be passed and invariants checked). Typed against src/core/model.
 */
import type { Article, Block, BlockKind, Paragraph } from '../../../src/core/model/article.js';
import {
  CHANGESET_SCHEMA,
  type ChangeKind,
  type ChangeSet,
  type Op,
  type WordPart,
} from '../../../src/core/model/changeset.js';

interface P {
  text: string;
  block: BlockKind;
}

type Pending =
  | { kind: 'op'; op: Op }
  | { kind: 'move-in'; key: string; o: number | null; n: number; text: string; parts: WordPart[] | null }
  | { kind: 'move-out'; key: string; o: number; text: string };

export function oldText(parts: readonly WordPart[]): string {
  return parts
    .filter((p) => p.t !== '+')
    .map((p) => p.v)
    .join('');
}

export function newText(parts: readonly WordPart[]): string {
  return parts
    .filter((p) => p.t !== '-')
    .map((p) => p.v)
    .join('');
}

/** Parts from a compact notation: "kept [-gone-]{+new+} kept". */
export function wp(s: string): WordPart[] {
  const out: WordPart[] = [];
  const re = /\[-([\s\S]*?)-\]|\{\+([\s\S]*?)\+\}/g;
  let last = 0;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    if (m.index > last) out.push({ t: '=', v: s.slice(last, m.index) });
    if (m[1] !== undefined) out.push({ t: '-', v: m[1] });
    else out.push({ t: '+', v: m[2]! });
    last = m.index + m[0].length;
  }
  if (last < s.length) out.push({ t: '=', v: s.slice(last) });
  return out;
}

function article(title: string, paras: readonly P[]): Article {
  const paragraphs: Paragraph[] = paras.map((p) => ({ text: p.text, norm: p.text, block: p.block, tag: 'p' }));
  const blocks: Block[] = [];
  for (let i = 0; i < paras.length; i++) {
    const last = blocks[blocks.length - 1];
    if (last !== undefined && last.kind === paras[i]!.block) blocks[blocks.length - 1] = { ...last, end: i + 1 };
    else blocks.push({ kind: paras[i]!.block, start: i, end: i + 1 });
  }
  return { title, paragraphs, blocks, format: 'text', extractor: 'test@1' };
}

function words(s: string): number {
  return s.split(/\s+/).filter((w) => w !== '').length;
}

export class ChangeSetBuilder {
  private readonly olds: P[] = [];
  private readonly news: P[] = [];
  private readonly pending: Pending[] = [];

  equal(texts: readonly string[], block: BlockKind = 'body'): this {
    if (texts.length === 0) return this;
    this.pending.push({
      kind: 'op',
      op: { op: 'equal', o: this.olds.length, n: this.news.length, count: texts.length },
    });
    for (const text of texts) {
      this.olds.push({ text, block });
      this.news.push({ text, block });
    }
    return this;
  }

  insert(text: string, block: BlockKind = 'body'): this {
    this.pending.push({ kind: 'op', op: { op: 'insert', n: this.news.length, text } });
    this.news.push({ text, block });
    return this;
  }

  delete(text: string, block: BlockKind = 'body'): this {
    this.pending.push({ kind: 'op', op: { op: 'delete', o: this.olds.length, text } });
    this.olds.push({ text, block });
    return this;
  }

  /** An edit in the compact notation of `wp` ("a [-b-]{+c+} d"). */
  edit(notation: string, block: BlockKind = 'body', cosmetic = false): this {
    const parts = wp(notation);
    const old = oldText(parts);
    const text = newText(parts);
    this.pending.push({
      kind: 'op',
      op: { op: 'edit', o: this.olds.length, n: this.news.length, similarity: 0.8, cosmetic, parts, old, text },
    });
    this.olds.push({ text: old, block });
    this.news.push({ text, block });
    return this;
  }

  /** An edit given as word parts. */
  editParts(parts: readonly WordPart[], block: BlockKind = 'body', cosmetic = false): this {
    const old = oldText(parts);
    const text = newText(parts);
    this.pending.push({
      kind: 'op',
      op: { op: 'edit', o: this.olds.length, n: this.news.length, similarity: 0.8, cosmetic, parts, old, text },
    });
    this.olds.push({ text: old, block });
    this.news.push({ text, block });
    return this;
  }

  /** An edit past the word-diff bound: shown as replaced. */
  replace(old: string, text: string, block: BlockKind = 'body'): this {
    this.pending.push({
      kind: 'op',
      op: {
        op: 'edit',
        o: this.olds.length,
        n: this.news.length,
        similarity: 0.3,
        cosmetic: false,
        parts: null,
        old,
        text,
      },
    });
    this.olds.push({ text: old, block });
    this.news.push({ text, block });
    return this;
  }

  /** The old place of a paragraph that moves (`key` pairs it with `moveIn`). */
  moveOut(key: string, text: string, block: BlockKind = 'body'): this {
    this.pending.push({ kind: 'move-out', key, o: this.olds.length, text });
    this.olds.push({ text, block });
    return this;
  }

  /** The new place of a moved paragraph; `notation` (as `edit`) when it was also edited, else its text unchanged. */
  moveIn(key: string, notation: string, block: BlockKind = 'body', edited = false): this {
    const parts = edited ? wp(notation) : null;
    const text = parts === null ? notation : newText(parts);
    this.pending.push({ kind: 'move-in', key, o: null, n: this.news.length, text, parts });
    this.news.push({ text, block });
    return this;
  }

  split(old: string, texts: readonly string[], block: BlockKind = 'body'): this {
    this.pending.push({
      kind: 'op',
      op: { op: 'split', o: this.olds.length, n: this.news.length, old, texts, similarity: 0.9 },
    });
    this.olds.push({ text: old, block });
    for (const text of texts) this.news.push({ text, block });
    return this;
  }

  merge(olds: readonly string[], text: string, block: BlockKind = 'body'): this {
    this.pending.push({
      kind: 'op',
      op: { op: 'merge', o: this.olds.length, n: this.news.length, olds, text, similarity: 0.9 },
    });
    for (const t of olds) this.olds.push({ text: t, block });
    this.news.push({ text, block });
    return this;
  }

  build(meta: {
    kind: ChangeKind;
    title?: string;
    oldTitle?: string;
    summary?: string;
    significance?: number;
    structure?: ChangeSet['structure'];
  }): { cs: ChangeSet; old: Article; next: Article } {
    const outs = new Map<string, { o: number; text: string }>();
    const ins = new Map<string, { n: number }>();
    for (const p of this.pending) {
      if (p.kind === 'move-out') outs.set(p.key, { o: p.o, text: p.text });
      if (p.kind === 'move-in') ins.set(p.key, { n: p.n });
    }
    const ops: Op[] = this.pending.map((p): Op => {
      if (p.kind === 'op') return p.op;
      if (p.kind === 'move-out') {
        const to = ins.get(p.key);
        if (to === undefined) throw new Error(`moveOut ${p.key} without moveIn`);
        return { op: 'moved-out', o: p.o, n: to.n, text: p.text };
      }
      const from = outs.get(p.key);
      if (from === undefined) throw new Error(`moveIn ${p.key} without moveOut`);
      return { op: 'move', o: from.o, n: p.n, similarity: p.parts === null ? 1 : 0.8, parts: p.parts, text: p.text };
    });
    const count = (name: Op['op']): number => ops.filter((op) => op.op === name).length;
    let wordsAdded = 0;
    let wordsRemoved = 0;
    for (const op of ops) {
      if (op.op === 'insert') wordsAdded += words(op.text);
      if (op.op === 'delete') wordsRemoved += words(op.text);
      if ((op.op === 'edit' || op.op === 'move') && op.parts !== null) {
        for (const part of op.parts) {
          if (part.t === '+') wordsAdded += words(part.v);
          if (part.t === '-') wordsRemoved += words(part.v);
        }
      }
    }
    const title = meta.title ?? 'A Title';
    const oldTitle = meta.oldTitle ?? title;
    const cs: ChangeSet = {
      schema: CHANGESET_SCHEMA,
      kind: meta.kind,
      facets: meta.kind === 'none' || meta.kind === 'initial' ? [] : [meta.kind],
      facts: [],
      significance: meta.significance ?? 0.5,
      summary: meta.summary ?? '',
      title: { old: oldTitle, new: title, changed: oldTitle !== title },
      stats: {
        paragraphs: {
          added: count('insert'),
          removed: count('delete'),
          edited: count('edit'),
          moved: count('move'),
          split: count('split'),
          merged: count('merge'),
          unchanged: ops.reduce((s, op) => s + (op.op === 'equal' ? op.count : 0), 0),
        },
        words: { added: wordsAdded, removed: wordsRemoved },
        oldParagraphs: this.olds.length,
        newParagraphs: this.news.length,
      },
      ops,
      ...(meta.structure === undefined ? {} : { structure: meta.structure }),
    };
    return { cs, old: article(oldTitle, this.olds), next: article(title, this.news) };
  }
}

export function builder(): ChangeSetBuilder {
  return new ChangeSetBuilder();
}

/** The AP story's v1 → v2 shape: 6 update paragraphs and a banner above 27 unchanged earlier paragraphs. */
export function breakingUpdate(earlier = 27): { cs: ChangeSet; old: Article; next: Article } {
  const b = builder();
  for (let i = 1; i <= 6; i++) b.insert(`Update paragraph ${i}.`, 'update');
  b.insert(
    'THIS IS A BREAKING NEWS UPDATE. Check back soon for further information. AP’s earlier story is below.',
    'banner',
  );
  b.equal(
    Array.from({ length: earlier }, (_, i) => `Earlier paragraph ${i + 1}.`),
    'earlier',
  );
  return b.build({
    kind: 'breaking-update',
    title: 'High-Ranking Syrian General Defects from Army',
    summary: 'Breaking update: 6 paragraphs placed above the earlier story',
    significance: 0.3,
    structure: {
      updateParagraphs: 6,
      bannerAdded: true,
      bannerRemoved: false,
      earlierUnchanged: true,
      correctionAdded: false,
    },
  });
}
