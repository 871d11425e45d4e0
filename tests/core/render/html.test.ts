/* eslint-disable no-control-regex -- these tests look for control characters on purpose */
import { describe, expect, it } from 'vitest';
import type { Article } from '../../../src/core/model/article.js';
import type { ChangeSet } from '../../../src/core/model/changeset.js';
import {
  renderArticleHtml,
  renderDiffHtml,
  renderFeedItemHtml,
  renderText,
  stripXmlIllegal,
} from '../../../src/core/render/index.js';
import { breakingUpdate, builder } from './build.js';
import { activeContent, newSideText, oldSideText, parseFragment } from './dom.js';
import { hostileChangeSet } from './hostile.js';

const VIEWS = ['inline', 'side-by-side'] as const;

/** A write-thru touching every op, with long unchanged runs. */
function everyOp(): { cs: ChangeSet; old: Article; next: Article } {
  const run = (p: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${p} ${i + 1}.`);
  return builder()
    .delete('THIS IS A BREAKING NEWS UPDATE. Check back soon.', 'banner')
    .equal(run('Lead', 3))
    .edit('The fighting has killed [-some-]{+more than+} 70,000 people.')
    .moveOut('m', 'Cluster bombs open in flight.')
    .equal(run('Middle', 12))
    .delete('A paragraph that is gone.')
    .moveIn('m', 'Cluster bombs open {+mid-+}in flight.', 'body', true)
    .insert('A new paragraph.')
    .split('One. Two.', ['One.', 'Two.'])
    .merge(['X.', 'Y.'], 'X. Y.')
    .replace('an old text', 'a wholly new text')
    .edit('quotes [-"-]{+“+}here', 'body', true)
    .equal(run('Tail', 20))
    .build({ kind: 'write-thru', title: 'New title', oldTitle: 'Old title', summary: 'Rewritten around the news' });
}

/** New paragraph indexes that a ChangeSet's ops (not `equal`) show. */
function changedNew(cs: ChangeSet): number[] {
  const out: number[] = [];
  for (const op of cs.ops) {
    if (op.op === 'insert' || op.op === 'edit' || op.op === 'move' || op.op === 'merge') out.push(op.n);
    if (op.op === 'split') op.texts.forEach((_, i) => out.push(op.n + i));
  }
  return out;
}

/** Every element by id, failing on duplicates. */
function ids(doc: Document): Map<string, Element> {
  const map = new Map<string, Element>();
  for (const el of Array.from(doc.querySelectorAll('[id]'))) {
    expect(map.has(el.id), `duplicate id ${el.id}`).toBe(false);
    map.set(el.id, el);
  }
  return map;
}

describe('renderDiffHtml: hostile text', () => {
  for (const view of VIEWS) {
    for (const withContext of [true, false]) {
      it(`${view}${withContext ? ' with context' : ''}: no active content, text round-trips`, () => {
        const { cs, old, next } = hostileChangeSet();
        const html = renderDiffHtml(cs, {
          view,
          collapseAfter: 4,
          ...(withContext ? { context: { old, next } } : {}),
        });
        expect(html).not.toMatch(/<script/i);
        expect(html).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
        expect(html).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
        const doc = parseFragment(html);
        expect(activeContent(doc)).toEqual([]);
        const byId = ids(doc);
        // Every new paragraph that is shown has its id and reads back exactly (minus XML-illegal characters).
        const shown = withContext ? next.paragraphs.map((_, i) => i) : changedNew(cs);
        expect(shown.length).toBeGreaterThan(8);
        for (const i of shown) {
          const el = byId.get(`n-${i + 1}`);
          expect(el, `n-${i + 1}`).toBeDefined();
          expect(newSideText(el!)).toBe(stripXmlIllegal(next.paragraphs[i]!.text));
        }
        expect(doc.querySelector('.wd-title-change del')!.textContent).toBe(stripXmlIllegal(cs.title.old));
        expect(doc.querySelector('.wd-title-change ins')!.textContent).toBe(stripXmlIllegal(cs.title.new));
        expect(doc.querySelector('.wd-summary-text')!.textContent).toBe(stripXmlIllegal(cs.summary));
      });
    }
  }
});

describe('renderDiffHtml: structure', () => {
  it('marks every kind of change with a class and a visible, labelled symbol', () => {
    const { cs, old, next } = everyOp();
    const doc = parseFragment(renderDiffHtml(cs, { view: 'inline', context: { old, next } }));
    const expected: Record<string, [string, string]> = {
      'wd-added': ['+', 'added'],
      'wd-removed': ['−', 'removed'],
      'wd-moved': ['↕', 'moved here'],
      'wd-split': ['⇉', 'split'],
      'wd-merged': ['⇇', 'merged'],
    };
    for (const [cls, [symbol, label]] of Object.entries(expected)) {
      const row = doc.querySelector(`.wd-p.${cls}:not(.wd-moved-out)`);
      expect(row, cls).not.toBeNull();
      const mark = row!.querySelector('.wd-mark')!;
      expect(mark.textContent).toBe(symbol);
      expect(mark.getAttribute('aria-label')).toBe(label);
      expect(mark.getAttribute('role')).toBe('img');
    }
    const edited = Array.from(doc.querySelectorAll('.wd-p.wd-edited'));
    expect(edited.length).toBe(3);
    expect(edited[0]!.querySelector('del')!.textContent).toBe('some');
    expect(edited[0]!.querySelector('ins')!.textContent).toBe('more than');
    expect(edited[0]!.querySelector('.wd-mark')!.textContent).toBe('~');
    expect(edited[1]!.classList.contains('wd-replaced')).toBe(true);
    expect(edited[2]!.classList.contains('wd-cosmetic')).toBe(true);
    expect(edited[2]!.querySelector('.wd-mark')!.getAttribute('aria-label')).toBe('edited (formatting only)');
    expect(doc.querySelectorAll('.wd-p.wd-unchanged').length).toBe(cs.stats.paragraphs.unchanged);
    // The removed banner is a section of its own, labelled.
    expect(doc.querySelector('.wd-block-banner .wd-block-title')!.textContent).toBe('Banner (removed)');
    expect(doc.querySelectorAll('[style]').length).toBe(0);
  });

  for (const view of VIEWS) {
    it(`${view}: a moved paragraph is marked at both ends and linked between them`, () => {
      const { cs, old, next } = everyOp();
      const doc = parseFragment(renderDiffHtml(cs, { view, context: { old, next }, idPrefix: 'd1-' }));
      const byId = ids(doc);
      const links = Array.from(doc.querySelectorAll('a.wd-move-link'));
      expect(links.length).toBe(2);
      for (const a of links) {
        const target = a.getAttribute('href')!;
        expect(target).toMatch(/^#d1-[on]-\d+$/);
        expect(byId.has(target.slice(1)), target).toBe(true);
      }
      expect(links.map((a) => a.textContent)).toEqual(['moved to ¶17', 'moved from ¶6']);
      // Old ¶6 links to new ¶17 and back.
      const from = byId.get('d1-o-6')!;
      const to = byId.get('d1-n-17')!;
      expect(from.classList.contains('wd-moved-out') || from.closest('.wd-moved-out') !== null).toBe(true);
      expect(to.classList.contains('wd-moved') || to.closest('.wd-moved') !== null).toBe(true);
      expect(links[0]!.getAttribute('href')).toBe('#d1-n-17');
      expect(links[1]!.getAttribute('href')).toBe('#d1-o-6');
      // No id without the prefix.
      for (const id of byId.keys()) expect(id.startsWith('d1-'), id).toBe(true);
    });
  }

  it('side-by-side: every row has the old cell then the new cell, and each side reads its version in order', () => {
    const { cs, old, next } = everyOp();
    const doc = parseFragment(renderDiffHtml(cs, { view: 'side-by-side', context: { old, next }, collapseAfter: 5 }));
    const rows = Array.from(doc.querySelectorAll('.wd-row'));
    expect(rows.length).toBeGreaterThan(20);
    for (const row of rows) {
      const cells = Array.from(row.children);
      expect(cells.length).toBe(2);
      expect(cells[0]!.classList.contains('wd-old')).toBe(true);
      expect(cells[1]!.classList.contains('wd-new')).toBe(true);
    }
    // Reading the old ids in document order gives 1..oldParagraphs, the new ids 1..newParagraphs.
    const oldIds = Array.from(doc.querySelectorAll('[id^="o-"]')).map((e) => Number(e.id.slice(2)));
    const newIds = Array.from(doc.querySelectorAll('[id^="n-"]')).map((e) => Number(e.id.slice(2)));
    expect(oldIds).toEqual(old.paragraphs.map((_, i) => i + 1));
    expect(newIds).toEqual(next.paragraphs.map((_, i) => i + 1));
    for (const el of Array.from(doc.querySelectorAll('[id^="o-"]'))) {
      expect(oldSideText(el)).toBe(old.paragraphs[Number(el.id.slice(2)) - 1]!.text);
    }
    for (const el of Array.from(doc.querySelectorAll('[id^="n-"]'))) {
      expect(newSideText(el)).toBe(next.paragraphs[Number(el.id.slice(2)) - 1]!.text);
    }
    // An edited paragraph sits on one row: old words on the left, new on the right.
    const edited = doc.querySelector('.wd-row.wd-edited')!;
    expect(edited.querySelector('.wd-old del')!.textContent).toBe('some');
    expect(edited.querySelector('.wd-old ins')).toBeNull();
    expect(edited.querySelector('.wd-new ins')!.textContent).toBe('more than');
    expect(edited.querySelector('.wd-new del')).toBeNull();
    // Column headings.
    expect(doc.querySelector('.wd-colhead')!.textContent).toBe('BeforeAfter');
  });

  it('inline: the new version reads back in order from the new ids', () => {
    const { cs, old, next } = everyOp();
    const doc = parseFragment(renderDiffHtml(cs, { view: 'inline', context: { old, next } }));
    const newIds = Array.from(doc.querySelectorAll('[id^="n-"]')).map((e) => Number(e.id.slice(2)));
    expect(newIds).toEqual(next.paragraphs.map((_, i) => i + 1));
    for (const el of Array.from(doc.querySelectorAll('[id^="n-"]'))) {
      expect(newSideText(el)).toBe(next.paragraphs[Number(el.id.slice(2)) - 1]!.text);
    }
  });
});

describe('renderDiffHtml: breaking update and collapsing', () => {
  it('labels the breaking update and the banner, and folds the unchanged earlier story in <details>', () => {
    const { cs, old, next } = breakingUpdate(27);
    const doc = parseFragment(renderDiffHtml(cs, { view: 'inline', context: { old, next } }));
    const sections = Array.from(doc.querySelectorAll('section.wd-block'));
    expect(sections.map((s) => s.className)).toEqual([
      'wd-block wd-block-update',
      'wd-block wd-block-banner',
      'wd-block wd-block-earlier',
    ]);
    expect(sections.map((s) => s.querySelector('.wd-block-title')!.textContent)).toEqual([
      'Breaking update (new, 6 paragraphs)',
      'Banner (added)',
      'Earlier story (unchanged, 27 paragraphs)',
    ]);
    expect(sections[0]!.querySelectorAll('.wd-p.wd-added.wd-b-update').length).toBe(6);
    // The kind is said once in the header.
    expect(doc.querySelector('.wd-kind strong')!.textContent).toBe('Breaking update');
    expect(doc.querySelector('.wd-summary-text')!.textContent).toBe('6 paragraphs placed above the earlier story');
    expect(sections[1]!.querySelectorAll('.wd-p.wd-added.wd-b-banner').length).toBe(1);
    // Two paragraphs of context after the banner, then 25 folded (expandable: the texts are inside).
    const earlier = sections[2]!;
    const details = earlier.querySelectorAll('details.wd-fold');
    expect(details.length).toBe(1);
    expect(details[0]!.querySelector('summary')!.textContent).toBe('25 unchanged paragraphs (¶3–¶27 → ¶10–¶34)');
    expect(details[0]!.querySelectorAll('.wd-p.wd-unchanged').length).toBe(25);
    expect(details[0]!.hasAttribute('open')).toBe(false);
    expect(earlier.querySelectorAll(':scope > .wd-p.wd-unchanged').length).toBe(2);
    expect(doc.getElementById('n-34')!.textContent).toContain('Earlier paragraph 27.');
  });

  it('without context, shows unchanged runs as a count, and infers the update and banner from the ChangeSet', () => {
    const { cs } = breakingUpdate(27);
    for (const view of VIEWS) {
      const doc = parseFragment(renderDiffHtml(cs, { view }));
      expect(doc.querySelectorAll('details').length).toBe(0);
      const fold = doc.querySelector('.wd-fold-count')!;
      expect(fold.textContent).toContain('… 27 unchanged paragraphs (¶1–¶27 → ¶8–¶34) …');
      expect(doc.querySelector('.wd-block-update .wd-block-title')!.textContent).toBe(
        'Breaking update (new, 6 paragraphs)',
      );
      expect(doc.querySelector('.wd-block-banner .wd-block-title')!.textContent).toBe('Banner (added)');
    }
  });

  it('collapseAfter: short runs stay open, contextParagraphs sets the visible context', () => {
    const { cs, old, next } = breakingUpdate(27);
    const open = parseFragment(renderDiffHtml(cs, { view: 'inline', context: { old, next }, collapseAfter: 27 }));
    expect(open.querySelectorAll('details').length).toBe(0);
    expect(open.querySelectorAll('.wd-p.wd-unchanged').length).toBe(27);
    const tight = parseFragment(
      renderDiffHtml(cs, { view: 'side-by-side', context: { old, next }, collapseAfter: 26, contextParagraphs: 0 }),
    );
    const details = tight.querySelectorAll('details.wd-fold');
    expect(details.length).toBe(1);
    expect(details[0]!.querySelectorAll('.wd-row').length).toBe(27);
  });

  it('folds a long run between two changes on both sides, keeping context next to each change', () => {
    const b = builder()
      .insert('first')
      .equal(Array.from({ length: 30 }, (_, i) => `same ${i}`))
      .insert('last');
    const { cs, old, next } = b.build({ kind: 'update' });
    const doc = parseFragment(renderDiffHtml(cs, { view: 'inline', context: { old, next }, contextParagraphs: 3 }));
    const section = doc.querySelector('section')!;
    const kinds = Array.from(section.children).map((c) =>
      c.tagName === 'DETAILS' ? 'fold' : c.className.split(' ')[1],
    );
    expect(kinds).toEqual([
      'wd-added',
      'wd-unchanged',
      'wd-unchanged',
      'wd-unchanged',
      'fold',
      'wd-unchanged',
      'wd-unchanged',
      'wd-unchanged',
      'wd-added',
    ]);
    expect(section.querySelector('details summary')!.textContent).toBe('24 unchanged paragraphs (¶4–¶27 → ¶5–¶28)');
  });
});

describe('renderDiffHtml: options and size', () => {
  it('validates options with messages that name them', () => {
    const { cs } = breakingUpdate(3);
    expect(() => renderDiffHtml(cs, { view: 'table' as 'inline' })).toThrow(
      /option "view" must be 'inline' or 'side-by-side', received "table"/,
    );
    expect(() => renderDiffHtml(cs, { view: 'inline', idPrefix: '"><script>' })).toThrow(/option "idPrefix"/);
    expect(() => renderDiffHtml(cs, { view: 'inline', collapseAfter: -1 })).toThrow(
      /renderDiffHtml: Expected `collapseAfter` to be an integer from 0 to 100000, got `-1` \(number\)/,
    );
    expect(() => renderDiffHtml(cs, { view: 'inline', contextParagraphs: 1.5 })).toThrow(
      /Expected `contextParagraphs` to be an integer from 0 to 100, got `1.5` \(number\)/,
    );
    expect(() => renderDiffHtml(cs, { view: 'inline', collapseAfter: 1e9 })).toThrow(
      expect.objectContaining({ name: 'WirediffError', code: 'E_USAGE' }),
    );
  });

  it('renders a 10,000-paragraph ChangeSet (half edited) completely, folding nothing that changed', () => {
    const b = builder();
    for (let i = 0; i < 5000; i++) {
      b.equal([`Paragraph ${i} stays the same.`]);
      b.edit(`Paragraph ${i} [-was-]{+is+} edited.`);
    }
    const { cs, old, next } = b.build({ kind: 'update' });
    for (const view of VIEWS) {
      const html = renderDiffHtml(cs, { view, context: { old, next } });
      expect(html.split('<ins>').length - 1).toBe(5000);
      expect(html.split('<del>').length - 1).toBe(5000);
      expect(html.split(' wd-edited ').length - 1).toBe(5000);
      expect(html).toContain(`id="n-10000"`);
    }
  });
});

describe('renderArticleHtml', () => {
  it('labels the blocks and escapes hostile text', () => {
    const { next } = hostileChangeSet();
    const doc = parseFragment(renderArticleHtml(next, { idPrefix: 'v2-' }));
    expect(activeContent(doc)).toEqual([]);
    expect(doc.querySelector('h2.wd-title')!.textContent).toBe(stripXmlIllegal(next.title));
    const titles = Array.from(doc.querySelectorAll('.wd-block-title')).map((h) => h.textContent);
    expect(titles).toEqual(['Breaking update', 'Banner', 'Earlier story', 'Byline']);
    next.paragraphs.forEach((p, i) => {
      const el = doc.getElementById(`v2-p-${i + 1}`)!;
      expect(el.textContent).toBe(stripXmlIllegal(p.text));
      expect(el.closest('section')!.classList.contains(`wd-block-${p.block}`)).toBe(true);
    });
  });

  it('keeps list items in a list and headings as headings', () => {
    const article: Article = {
      title: 'T',
      paragraphs: [
        { text: 'Sub', norm: 'sub', block: 'body', tag: 'h' },
        { text: 'one', norm: 'one', block: 'body', tag: 'li' },
        { text: 'two', norm: 'two', block: 'body', tag: 'li' },
        { text: 'said', norm: 'said', block: 'body', tag: 'blockquote' },
        { text: 'By A', norm: 'by a', block: 'byline', tag: 'p' },
      ],
      blocks: [
        { kind: 'body', start: 0, end: 4 },
        { kind: 'byline', start: 4, end: 5 },
      ],
      format: 'html',
      extractor: 'test@1',
    };
    const doc = parseFragment(renderArticleHtml(article, { headingLevel: 1 }));
    expect(doc.querySelector('h1')!.textContent).toBe('T');
    expect(doc.querySelector('h3#p-1')!.textContent).toBe('Sub');
    expect(Array.from(doc.querySelectorAll('ul.wd-list > li')).map((l) => l.textContent)).toEqual(['one', 'two']);
    expect(doc.querySelector('blockquote#p-4')!.textContent).toBe('said');
    expect(doc.querySelector('.wd-block-byline h2')!.textContent).toBe('Byline');
  });
});

describe('corrupt input', () => {
  it('a ChangeSet with malformed ops is a clear E_CORRUPT fault in every renderer, never markup', () => {
    const { cs, next } = breakingUpdate(3);
    const bad: unknown[] = [
      { op: 'insert', n: '"><script>alert(1)</script>', text: 'x' },
      { op: 'insert', n: -1, text: 'x' },
      { op: 'delete', o: 1, text: { toString: () => '<script>' } },
      { op: 'edit', o: 0, n: 0, old: 'a', text: 'b', parts: [{ t: '<', v: 'x' }], similarity: 1, cosmetic: false },
      { op: 'split', o: 0, n: 0, old: 'a', texts: ['b', 3], similarity: 1 },
      { op: 'explode', o: 0 },
    ];
    for (const op of bad) {
      const corrupt = { ...cs, ops: [op] } as unknown as ChangeSet;
      for (const render of [
        () => renderDiffHtml(corrupt, { view: 'inline' }),
        () => renderDiffHtml(corrupt, { view: 'side-by-side' }),
        () => renderText(corrupt, { color: false }),
        () => renderFeedItemHtml(corrupt, next),
      ]) {
        expect(render).toThrow(expect.objectContaining({ code: 'E_CORRUPT' }));
      }
    }
  });

  it('unknown block and kind names never reach a class attribute', () => {
    const { cs, old, next } = breakingUpdate(2);
    const evil = '"><script>alert(1)</script>';
    const nextBad = {
      ...next,
      paragraphs: next.paragraphs.map((p) => ({ ...p, block: evil as 'body', tag: evil as 'p' })),
    };
    const csBad = { ...cs, kind: evil as 'update' };
    for (const html of [
      renderDiffHtml(csBad, { view: 'inline', context: { old, next: nextBad } }),
      renderArticleHtml(nextBad),
    ]) {
      const doc = parseFragment(html);
      expect(activeContent(doc)).toEqual([]);
      expect(html).not.toContain('<script');
    }
  });
});
