/**
 * Long unchanged runs behind links (`foldLinks`), runs expanded on request (`expand`), and the rows of one run alone
 * (`renderDiffRunHtml`): what the viewer's diff page and its fold route are built on.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Article } from '../../../src/core/model/article.js';
import type { ChangeSet, Op } from '../../../src/core/model/changeset.js';
import type { ParagraphRun } from '../../../src/core/render/layout.js';
import { renderDiffHtml, renderDiffRunHtml, type FoldRef } from '../../../src/core/render/html.js';
import { builder } from './build.js';
import { activeContent, parseFragment } from './dom.js';

const VIEWS = ['inline', 'side-by-side'] as const;

const run = (p: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${p} paragraph ${i + 1}.`);

/** An insert, 60 unchanged, an insert, 10 unchanged, an insert: one long fold (56) and one short (6). */
function twoRuns(): { cs: ChangeSet; old: Article; next: Article } {
  return builder()
    .insert('First new paragraph.')
    .equal(run('Long', 60))
    .insert('Second new paragraph.')
    .equal(run('Short', 10))
    .insert('Last new paragraph.')
    .build({ kind: 'update' });
}

const hrefs = {
  over: 20,
  href: (f: FoldRef) => `/page?n=${f.n}&count=${f.count}&x="y"#top`,
  runHref: (f: FoldRef) => `/run?o=${f.o}&n=${f.n}&count=${f.count}`,
};

describe('renderDiffHtml: foldLinks', () => {
  for (const view of VIEWS) {
    it(`${view}: a fold over the limit is a link with no text inside; a shorter one stays a <details>`, () => {
      const { cs, old, next } = twoRuns();
      const html = renderDiffHtml(cs, { view, context: { old, next }, foldLinks: hrefs });
      const doc = parseFragment(html);
      const links = doc.querySelectorAll('.wd-fold-link');
      expect(links.length).toBe(1);
      const fold = links[0]!;
      // new paragraphs: 1 inserted, then Long 1…60 as ¶2…¶61; two of context on each side stay visible
      expect(fold.getAttribute('data-n')).toBe('4');
      expect(fold.getAttribute('data-o')).toBe('3');
      expect(fold.getAttribute('data-count')).toBe('56');
      const a = fold.querySelector('a.wd-fold-open')!;
      expect(a.textContent).toBe('Show 56 unchanged paragraphs (¶3–¶58 → ¶4–¶59)');
      // the page's callbacks give the addresses (0-based), escaped in the attribute
      expect(a.getAttribute('href')).toBe('/page?n=3&count=56&x="y"#top');
      expect(html).toContain('href="/page?n=3&amp;count=56&amp;x=&quot;y&quot;#top"');
      expect(a.getAttribute('data-run')).toBe('/run?o=2&n=3&count=56');
      // none of the run's text is in the fragment; its neighbours are
      expect(html).not.toContain('Long paragraph 3.');
      expect(html).not.toContain('Long paragraph 58.');
      expect(html).toContain('Long paragraph 2.');
      expect(html).toContain('Long paragraph 59.');
      const details = doc.querySelectorAll('details.wd-fold');
      expect(details.length).toBe(1);
      expect(details[0]!.textContent).toContain('Short paragraph 5.');
      expect(activeContent(doc).filter((x) => !x.startsWith('a[href=/page') && !x.startsWith('a[href=/run'))).toEqual(
        [],
      );
    });
  }

  it('without foldLinks, or without context, nothing changes', () => {
    const { cs, old, next } = twoRuns();
    const plain = renderDiffHtml(cs, { view: 'inline', context: { old, next } });
    expect(plain).not.toContain('wd-fold-link');
    expect(plain).toContain('Long paragraph 30.');
    const counted = renderDiffHtml(cs, { view: 'inline', foldLinks: hrefs });
    expect(counted).not.toContain('wd-fold-link');
    expect(counted).toContain('wd-fold-count');
  });

  it('validates foldLinks.over and expand with messages that name them', () => {
    const { cs, old, next } = twoRuns();
    expect(() =>
      renderDiffHtml(cs, { view: 'inline', context: { old, next }, foldLinks: { ...hrefs, over: -1 } }),
    ).toThrow(/renderDiffHtml: Expected `foldLinks.over` to be an integer from 0 to 100000, got `-1` \(number\)/);
    expect(() => renderDiffHtml(cs, { view: 'inline', expand: [{ start: -1, count: 2 }] })).toThrow(
      /option "expand" must hold runs \{start ≥ 0, count ≥ 1\} \(integers\), received \{"start":-1,"count":2\}/,
    );
  });
});

describe('renderDiffHtml: expand', () => {
  for (const view of VIEWS) {
    it(`${view}: an expanded run is shown in full, the rest of the long run folds around it`, () => {
      const { cs, old, next } = twoRuns();
      // expand new ¶21–¶30 (0-based 20…29), in the middle of the long fold (¶4–¶59)
      const html = renderDiffHtml(cs, {
        view,
        context: { old, next },
        foldLinks: hrefs,
        expand: [{ start: 20, count: 10 }],
      });
      const doc = parseFragment(html);
      for (let n = 21; n <= 30; n++) expect(doc.getElementById(`n-${n}`), `n-${n}`).not.toBeNull();
      for (let n = 21; n <= 30; n++) expect(doc.getElementById(`n-${n}`)!.closest('details'), `n-${n}`).toBeNull();
      expect(doc.getElementById('n-20')!.closest('details')).not.toBeNull();
      expect(doc.getElementById('n-31')).toBeNull();
      // ¶4–¶20 (17 paragraphs) is now a short fold, ¶31–¶59 (29) still a link
      const folds = Array.from(doc.querySelectorAll('.wd-fold-link, details.wd-fold')).map((f) =>
        f.tagName === 'DETAILS'
          ? `details ${f.querySelectorAll(view === 'inline' ? '.wd-p' : '.wd-row').length}`
          : `link ${f.getAttribute('data-n')}+${f.getAttribute('data-count')}`,
      );
      expect(folds).toEqual(['details 17', 'link 31+29', 'details 6']);
    });

    it(`${view}: the rows of one run alone are exactly the rows the expanded fragment shows`, () => {
      const { cs, old, next } = twoRuns();
      const runHtml = renderDiffRunHtml(cs, { view, context: { old, next }, run: { start: 3, count: 56 } })!;
      const expanded = renderDiffHtml(cs, {
        view,
        context: { old, next },
        foldLinks: hrefs,
        expand: [{ start: 3, count: 56 }],
      });
      expect(expanded).not.toContain('wd-fold-link');
      expect(expanded).toContain(runHtml);
      const doc = parseFragment(runHtml);
      expect(doc.querySelectorAll(view === 'inline' ? '.wd-p.wd-unchanged' : '.wd-row.wd-unchanged').length).toBe(56);
      expect(doc.getElementById('n-4')!.textContent).toContain('Long paragraph 3.');
      if (view === 'side-by-side') expect(doc.getElementById('o-3')!.textContent).toContain('Long paragraph 3.');
    });
  }

  it('renderDiffRunHtml: undefined for a run holding a changed paragraph or past the end', () => {
    const { cs, old, next } = twoRuns();
    const ctx = { old, next };
    expect(renderDiffRunHtml(cs, { view: 'inline', context: ctx, run: { start: 0, count: 3 } })).toBeUndefined();
    expect(renderDiffRunHtml(cs, { view: 'inline', context: ctx, run: { start: 55, count: 10 } })).toBeUndefined();
    expect(renderDiffRunHtml(cs, { view: 'inline', context: ctx, run: { start: 70, count: 10 } })).toBeUndefined();
    expect(renderDiffRunHtml(cs, { view: 'inline', context: ctx, run: { start: 1, count: 60 } })).toContain(
      'Long paragraph 60.',
    );
    expect(() => renderDiffRunHtml(cs, { view: 'inline', context: ctx, run: { start: 1, count: 0 } })).toThrow(
      /option "run" must hold runs/,
    );
  });
});

describe('renderDiffHtml: links into a run left out', () => {
  it('a moved paragraph whose other end sits in a linked fold links to the fold address with its anchor', () => {
    // The engine never folds either end of a move (both are change ops); a ChangeSet whose `move` names an old
    // paragraph inside an unchanged run (hand-edited, or from another tool) must still give a link that reaches it.
    const built = builder()
      .equal(run('Long', 60))
      .moveIn('m', 'A paragraph from far away.')
      .moveOut('m', 'A paragraph from far away.')
      .build({ kind: 'update' });
    const ops: Op[] = built.cs.ops.map((op) => (op.op === 'move' ? { ...op, o: 30 } : op));
    const cs: ChangeSet = { ...built.cs, ops };
    for (const view of VIEWS) {
      const doc = parseFragment(
        renderDiffHtml(cs, { view, context: { old: built.old, next: built.next }, foldLinks: hrefs }),
      );
      const link = doc.querySelector('.wd-moved:not(.wd-moved-out) a.wd-move-link')!;
      // old ¶31 is in the fold of old ¶1–¶58: the fold's address (anchor replaced) with the paragraph's anchor
      // (inline, where unchanged paragraphs carry their new ids only, the new id of the same paragraph)
      const id = view === 'inline' ? 'n-31' : 'o-31';
      expect(link.getAttribute('href'), view).toBe(`/page?n=0&count=58&x="y"#${id}`);
      const expanded = parseFragment(
        renderDiffHtml(cs, {
          view,
          context: { old: built.old, next: built.next },
          foldLinks: hrefs,
          expand: [{ start: 0, count: 58 }],
        }),
      );
      expect(expanded.getElementById(id)!.textContent, view).toContain('Long paragraph 31.');
      // a link to a paragraph on the page is a plain anchor
      expect(doc.querySelector('.wd-moved-out a.wd-move-link')!.getAttribute('href'), view).toBe('#n-61');
    }
  });
});

describe('fold links on random diffs', () => {
  type Step = { k: 'equal'; count: number } | { k: 'insert' | 'delete' | 'edit' };
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ k: fc.constant('equal' as const), count: fc.integer({ min: 1, max: 80 }) }),
    fc.record({ k: fc.constantFrom('insert' as const, 'delete' as const, 'edit' as const) }),
  );
  function build(steps: readonly Step[]): { cs: ChangeSet; old: Article; next: Article } {
    const b = builder();
    steps.forEach((st, i) => {
      if (st.k === 'equal') b.equal(Array.from({ length: st.count }, (_, j) => `Same ${i}.${j} <b>&</b>`));
      else if (st.k === 'insert') b.insert(`Added ${i}`);
      else if (st.k === 'delete') b.delete(`Removed ${i}`);
      else b.edit(`Kept [-old-]{+new+} ${i}`);
    });
    return b.build({ kind: 'update' });
  }

  it('every new paragraph is on the page or behind exactly one fold link; opening them all shows each once', () => {
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 3 }),
        (steps, over, collapseAfter, contextParagraphs) => {
          const { cs, old, next } = build(steps);
          const total = next.paragraphs.length;
          for (const view of VIEWS) {
            const base = { view, context: { old, next }, collapseAfter, contextParagraphs, idPrefix: 'p' };
            const links = { ...hrefs, over };
            const doc = parseFragment(renderDiffHtml(cs, { ...base, foldLinks: links }));
            const seen: number[] = [];
            const runs: ParagraphRun[] = [];
            for (const el of Array.from(doc.querySelectorAll('[id^="pn-"], .wd-fold-link'))) {
              if (el.classList.contains('wd-fold-link')) {
                const n = Number(el.getAttribute('data-n'));
                const count = Number(el.getAttribute('data-count'));
                expect(count).toBeGreaterThan(over);
                for (let k = 0; k < count; k++) seen.push(n + k);
                runs.push({ start: n - 1, count });
              } else seen.push(Number(el.id.slice(3)));
            }
            expect(seen).toEqual(Array.from({ length: total }, (_, i) => i + 1));
            for (const a of Array.from(doc.querySelectorAll('a[href^="#"]'))) {
              expect(doc.getElementById(a.getAttribute('href')!.slice(1))).not.toBeNull();
            }
            const openedHtml = renderDiffHtml(cs, { ...base, foldLinks: links, expand: runs });
            const opened = parseFragment(openedHtml);
            expect(opened.querySelectorAll('.wd-fold-link').length).toBe(0);
            const ids = Array.from(opened.querySelectorAll('[id^="pn-"]')).map((e) => Number(e.id.slice(3)));
            expect(ids).toEqual(Array.from({ length: total }, (_, i) => i + 1));
            for (const r of runs) {
              const rows = renderDiffRunHtml(cs, { view, context: { old, next }, idPrefix: 'p', run: r });
              expect(rows).toBeDefined();
              expect(openedHtml).toContain(rows);
            }
          }
        },
      ),
      { numRuns: 120, seed: 20261202 },
    );
  });
});
