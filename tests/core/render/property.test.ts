/* eslint-disable no-control-regex -- the test looks for control characters on purpose */
/**
 * Property tests over random ChangeSets (random op scripts over random, partly hostile, text): whatever the diff,
 * the HTML views are inert, every paragraph of each version reads back from its id in order, every link resolves,
 * side-by-side rows are aligned, and the text output holds no raw control characters.
 */
import { showAsReplaced } from '../../../src/core/model/changeset.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BlockKind } from '../../../src/core/model/article.js';
import type { WordPart } from '../../../src/core/model/changeset.js';
import { renderDiffHtml, renderFeedItemHtml, renderText, stripXmlIllegal } from '../../../src/core/render/index.js';
import { builder } from './build.js';
import { activeContent, newSideText, oldSideText, parseFragment } from './dom.js';
import { HOSTILE } from './hostile.js';

/** Text as it survives an HTML parser: no CR (normalized to LF) — everything else must round-trip. */
const text = fc
  .oneof(
    fc.constantFrom(...HOSTILE),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
    fc
      .array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 12 })
      .map((cs) => String.fromCharCode(...cs)),
  )
  .map((s) => s.replace(/\r/g, ' '));

const block = fc.constantFrom<BlockKind>('update', 'banner', 'earlier', 'body', 'correction', 'byline');
const parts = fc.array(fc.record({ t: fc.constantFrom<'=' | '+' | '-'>('=', '+', '-'), v: text }), {
  minLength: 1,
  maxLength: 5,
});

type Step =
  | { k: 'equal'; texts: string[]; b: BlockKind }
  | { k: 'insert' | 'delete'; t: string; b: BlockKind }
  | { k: 'edit'; parts: WordPart[]; b: BlockKind; cosmetic: boolean }
  | { k: 'replace'; a: string; t: string; b: BlockKind }
  | { k: 'move'; t: string; b: BlockKind; at: number }
  | { k: 'split'; a: string; texts: string[]; b: BlockKind }
  | { k: 'merge'; olds: string[]; t: string; b: BlockKind };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ k: fc.constant('equal' as const), texts: fc.array(text, { minLength: 1, maxLength: 14 }), b: block }),
  fc.record({ k: fc.constantFrom('insert' as const, 'delete' as const), t: text, b: block }),
  fc.record({ k: fc.constant('edit' as const), parts, b: block, cosmetic: fc.boolean() }),
  fc.record({ k: fc.constant('replace' as const), a: text, t: text, b: block }),
  fc.record({ k: fc.constant('move' as const), t: text, b: block, at: fc.nat() }),
  fc.record({
    k: fc.constant('split' as const),
    a: text,
    texts: fc.array(text, { minLength: 2, maxLength: 3 }),
    b: block,
  }),
  fc.record({
    k: fc.constant('merge' as const),
    olds: fc.array(text, { minLength: 2, maxLength: 3 }),
    t: text,
    b: block,
  }),
);

function build(steps: readonly Step[]) {
  const b = builder();
  // Moves: the old place at the step, the new place `at` steps later (or at the end).
  const arrivals = new Map<number, { key: string; t: string; b: BlockKind }[]>();
  steps.forEach((s, i) => {
    for (const m of arrivals.get(i) ?? []) b.moveIn(m.key, m.t, m.b);
    switch (s.k) {
      case 'equal':
        b.equal(s.texts, s.b);
        break;
      case 'insert':
        b.insert(s.t, s.b);
        break;
      case 'delete':
        b.delete(s.t, s.b);
        break;
      case 'edit':
        b.editParts(s.parts, s.b, s.cosmetic);
        break;
      case 'replace':
        b.replace(s.a, s.t, s.b);
        break;
      case 'move': {
        const key = `m${i}`;
        b.moveOut(key, s.t, s.b);
        const to = Math.min(steps.length, i + 1 + (s.at % 4));
        arrivals.set(to, [...(arrivals.get(to) ?? []), { key, t: s.t, b: s.b }]);
        break;
      }
      case 'split':
        b.split(s.a, s.texts, s.b);
        break;
      case 'merge':
        b.merge(s.olds, s.t, s.b);
        break;
    }
  });
  for (const m of arrivals.get(steps.length) ?? []) b.moveIn(m.key, m.t, m.b);
  return b.build({ kind: 'update', title: 'T', oldTitle: 'O', summary: 'S' });
}

describe('renderers on random ChangeSets', () => {
  it('HTML: inert, both versions read back in order from their ids, links resolve, rows aligned', () => {
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 3 }),
        fc.boolean(),
        (steps, collapseAfter, contextParagraphs, withContext) => {
          const { cs, old, next } = build(steps);
          for (const view of ['inline', 'side-by-side'] as const) {
            const html = renderDiffHtml(cs, {
              view,
              collapseAfter,
              contextParagraphs,
              idPrefix: 'p',
              ...(withContext ? { context: { old, next } } : {}),
            });
            expect(stripXmlIllegal(html)).toBe(html);
            const doc = parseFragment(html);
            expect(activeContent(doc)).toEqual([]);
            for (const a of Array.from(doc.querySelectorAll('a'))) {
              expect(doc.getElementById(a.getAttribute('href')!.slice(1))).not.toBeNull();
            }
            const news = Array.from(doc.querySelectorAll('[id^="pn-"]'));
            const newIds = news.map((e) => Number(e.id.slice(3)));
            expect(newIds).toEqual([...newIds].sort((x, y) => x - y));
            if (withContext) expect(newIds).toEqual(next.paragraphs.map((_, i) => i + 1));
            for (const el of news) {
              expect(newSideText(el)).toBe(stripXmlIllegal(next.paragraphs[Number(el.id.slice(3)) - 1]!.text));
            }
            if (view === 'side-by-side') {
              for (const row of Array.from(doc.querySelectorAll('.wd-row'))) {
                expect(Array.from(row.children).map((c) => c.className.split(' ')[1])).toEqual(['wd-old', 'wd-new']);
              }
              const olds = Array.from(doc.querySelectorAll('[id^="po-"]'));
              const oldIds = olds.map((e) => Number(e.id.slice(3)));
              if (withContext) expect(oldIds).toEqual(old.paragraphs.map((_, i) => i + 1));
              else expect(oldIds).toEqual([...oldIds].sort((x, y) => x - y));
              for (const el of olds) {
                expect(oldSideText(el)).toBe(stripXmlIllegal(old.paragraphs[Number(el.id.slice(3)) - 1]!.text));
              }
            }
          }
          const feed = renderFeedItemHtml(cs, next, { maxChanges: 1000, maxChars: 10_000_000 });
          expect(activeContent(parseFragment(feed))).toEqual([]);
        },
      ),
      { numRuns: 150, seed: 20261125 },
    );
  });

  it('text: no raw control characters, one marked line per changed paragraph', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 12 }), fc.boolean(), (steps, withContext) => {
        const { cs, old, next } = build(steps);
        const out = renderText(cs, { color: false, ...(withContext ? { context: { old, next } } : {}) });
        expect(out).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/);
        // Paragraph text never starts a line, so the marks count the changes (newlines in text are continuation lines).
        const count = (mark: string): number => out.split('\n').filter((l) => l.startsWith(`${mark} `)).length;
        const p = cs.stats.paragraphs;
        const replaced = cs.ops.filter((op) => op.op === 'edit' && showAsReplaced(op)).length;
        expect(count('+')).toBe(p.added + replaced);
        expect(count('-')).toBe(p.removed + replaced);
        expect(count('~')).toBe(p.edited);
        expect(count('>')).toBe(p.moved);
        expect(count('<')).toBe(p.moved);
        const colored = renderText(cs, { color: true, ...(withContext ? { context: { old, next } } : {}) });
        expect(colored.replace(/\x1b\[[0-9;]*m/g, '')).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/);
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});
