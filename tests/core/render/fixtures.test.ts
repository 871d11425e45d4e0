/**
 * The renderers on the real pipeline: the AP story's versions parsed by core/extract and diffed by core/diff.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseArticle } from '../../../src/core/extract/index.js';
import { diffVersions } from '../../../src/core/diff/index.js';
import type { Article } from '../../../src/core/model/article.js';
import { describeChange, renderDiffHtml, renderFeedItemHtml, renderText } from '../../../src/core/render/index.js';
import { activeContent, newSideText, oldSideText, parseFragment } from './dom.js';

const versions: Article[] = [1, 2, 3, 4].map((i) =>
  parseArticle({
    body: readFileSync(new URL(`../../fixtures/ap-syria/v${i}.txt`, import.meta.url), 'utf8'),
    format: 'text',
  }),
);
const v = (n: number): Article => versions[n - 1]!;

describe('renderers on the AP story', () => {
  it('v1 → v2: a breaking update of 6 paragraphs and the banner above the unchanged earlier story', () => {
    const cs = diffVersions(v(1), v(2));
    const text = renderText(cs, { color: false, context: { old: v(1), next: v(2) } });
    expect(text).toContain('[update] Breaking update (new, 6 paragraphs)\n+     1 │ (AP) – A high-ranking general');
    expect(text).toContain('[banner] Banner (added)\n+     7 │ THIS IS A BREAKING NEWS UPDATE.');
    expect(text).toMatch(/\[earlier\] Earlier story \(unchanged, \d+ paragraphs\)/);
    expect(text).toMatch(/… \d+ unchanged paragraphs \(¶3–¶\d+ → ¶10–¶\d+\) …/);
    expect(text).not.toMatch(/^[-~<>%]/m);

    const doc = parseFragment(renderDiffHtml(cs, { view: 'inline', context: { old: v(1), next: v(2) } }));
    const titles = Array.from(doc.querySelectorAll('.wd-block-title')).map((h) => h.textContent);
    expect(titles[0]).toBe('Breaking update (new, 6 paragraphs)');
    expect(titles[1]).toBe('Banner (added)');
    expect(titles[2]).toMatch(/^Earlier story \(unchanged, \d+ paragraphs\)$/);
    expect(doc.querySelectorAll('.wd-block-earlier details.wd-fold').length).toBe(1);
    expect(doc.querySelectorAll('.wd-removed, .wd-edited, .wd-moved').length).toBe(0);

    expect(describeChange(cs, { title: v(2).title, version: 2 }).headline).toBe(
      'Breaking update: High-Ranking Syrian General Defects from Army (+6 paragraphs)',
    );
    const feed = parseFragment(renderFeedItemHtml(cs, v(2)));
    expect(feed.querySelectorAll('ins').length).toBe(8); // 6 update paragraphs, the banner, the new headline
    expect(feed.body.textContent).not.toContain('The Syrian regime is expanding');
  });

  it('v2 → v3: the write-thru shows edits with word changes and moves linked both ways', () => {
    const cs = diffVersions(v(2), v(3));
    expect(describeChange(cs, { title: v(3).title, version: 3 }).headline).toMatch(
      /^Write-thru: Senior Syrian General/,
    );
    for (const view of ['inline', 'side-by-side'] as const) {
      const doc = parseFragment(renderDiffHtml(cs, { view, context: { old: v(2), next: v(3) }, idPrefix: 'x' }));
      expect(doc.querySelectorAll('.wd-edited ins').length).toBeGreaterThan(0);
      const links = Array.from(doc.querySelectorAll('a.wd-move-link'));
      expect(links.length).toBe(2 * cs.stats.paragraphs.moved);
      expect(links.length).toBeGreaterThan(0);
      for (const a of links) {
        const target = doc.getElementById(a.getAttribute('href')!.slice(1));
        expect(target, a.getAttribute('href')!).not.toBeNull();
      }
    }
    const text = renderText(cs, { color: false });
    expect(text).toMatch(/^> +\d+ +\d+ │ \(moved from ¶\d+/m);
    expect(text).toMatch(/^< +\d+ +│ \(moved to ¶\d+\)/m);
    expect(text).toMatch(/\{\+[^+]+\+\}/);
  });

  it('v3 → v4: the correction', () => {
    const cs = diffVersions(v(3), v(4));
    expect(describeChange(cs, { title: v(4).title, version: 4 }).headline).toMatch(/^Correction: /);
    const text = renderText(cs, { color: false });
    expect(text).toContain('[-156-]{+165+}');
    expect(text).toMatch(/\[correction\] Correction \(new, 1 paragraph\)/);
  });

  it('every pair, both views: each version reads back from its ids, in order; links resolve; nothing is active', () => {
    for (let a = 1; a <= 4; a++) {
      for (let b = 1; b <= 4; b++) {
        const old = v(a);
        const next = v(b);
        const cs = diffVersions(old, next);
        for (const view of ['inline', 'side-by-side'] as const) {
          const doc = parseFragment(renderDiffHtml(cs, { view, context: { old, next } }));
          expect(activeContent(doc)).toEqual([]);
          const news = Array.from(doc.querySelectorAll('[id^="n-"]'));
          expect(news.map((e) => Number(e.id.slice(2)))).toEqual(next.paragraphs.map((_, i) => i + 1));
          for (const el of news) expect(newSideText(el)).toBe(next.paragraphs[Number(el.id.slice(2)) - 1]!.text);
          if (view === 'side-by-side') {
            const olds = Array.from(doc.querySelectorAll('[id^="o-"]'));
            expect(olds.map((e) => Number(e.id.slice(2)))).toEqual(old.paragraphs.map((_, i) => i + 1));
            for (const el of olds) expect(oldSideText(el)).toBe(old.paragraphs[Number(el.id.slice(2)) - 1]!.text);
            for (const row of Array.from(doc.querySelectorAll('.wd-row'))) {
              expect(Array.from(row.children).map((c) => c.className.split(' ')[1])).toEqual(['wd-old', 'wd-new']);
            }
          }
          for (const link of Array.from(doc.querySelectorAll('a[href^="#"]'))) {
            expect(doc.getElementById(link.getAttribute('href')!.slice(1))).not.toBeNull();
          }
        }
        const text = renderText(cs, { color: false, context: { old, next }, contextLines: 1000 });
        if (a === b) expect(text.split('\n')[0]).toMatch(/^No change/);
      }
    }
  });
});
