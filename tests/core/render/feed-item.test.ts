import { describe, expect, it } from 'vitest';
import { renderFeedItemHtml, stripXmlIllegal } from '../../../src/core/render/index.js';
import { breakingUpdate, builder } from './build.js';
import { activeContent, parseFragment } from './dom.js';
import { hostileChangeSet } from './hostile.js';

describe('renderFeedItemHtml', () => {
  it('the summary once, the links, then only the changed paragraphs under their block; no ids, styles or details', () => {
    const { cs, next } = breakingUpdate(27);
    const html = renderFeedItemHtml(cs, next, {
      links: { diff: 'http://h/articles/s/diff?from=1&to=2', version: 'http://h/articles/s/v/2', versionLabel: 'V2' },
    });
    const doc = parseFragment(html);
    expect(doc.querySelectorAll('[id], [style], details').length).toBe(0);
    expect(Array.from(doc.querySelectorAll('[class]')).map((e) => e.getAttribute('class'))).toEqual(
      Array.from({ length: 7 }, () => 'wd-ins'),
    );
    const ps = Array.from(doc.querySelectorAll('p')).map((p) => p.textContent);
    expect(ps).toEqual([
      'Breaking update: 6 paragraphs placed above the earlier story',
      'What changed · V2',
      'Breaking update (new, 6 paragraphs)',
      ...Array.from({ length: 6 }, (_, i) => `+ Added: Update paragraph ${i + 1}.`),
      'Banner (added)',
      '+ Added: THIS IS A BREAKING NEWS UPDATE. Check back soon for further information. AP’s earlier story is below.',
    ]);
    expect(Array.from(doc.querySelectorAll('a')).map((a) => a.getAttribute('href'))).toEqual([
      'http://h/articles/s/diff?from=1&to=2',
      'http://h/articles/s/v/2',
    ]);
    expect(html).not.toContain('Earlier paragraph');
    expect(doc.querySelectorAll('ins').length).toBe(7);
  });

  it('shows word changes with ins/del and in visible text, and moves with where they came from', () => {
    const { cs, next } = builder()
      .equal(['a'])
      .edit('killed [-some-]{+more than+} 70,000')
      .moveOut('m', 'moved text')
      .equal(['b'])
      .moveIn('m', 'moved text')
      .delete('gone')
      .build({ kind: 'update' });
    const doc = parseFragment(renderFeedItemHtml(cs, next));
    expect(doc.querySelector('del')!.textContent).toBe('[-some-]');
    expect(doc.querySelectorAll('del').length).toBe(2);
    expect(doc.querySelector('ins')!.textContent).toBe('{+more than+}');
    const texts = Array.from(doc.querySelectorAll('p')).map((p) => p.textContent);
    expect(texts).toContain('~ Edited: killed [-some-] {+more than+} 70,000');
    expect(texts).toContain('↕ Moved (from ¶3): moved text');
    expect(texts).toContain('− Removed: gone');
    expect(texts.filter((t) => t.includes('moved text')).length).toBe(1);
  });

  it('caps the number of changed paragraphs and says how many more there are', () => {
    const b = builder();
    for (let i = 0; i < 50; i++) b.insert(`new ${i}`).equal([`same ${i}`]);
    const { cs, next } = b.build({ kind: 'update' });
    const dflt = parseFragment(renderFeedItemHtml(cs, next));
    expect(dflt.querySelectorAll('ins').length).toBe(20);
    expect(dflt.body.textContent).toContain('… and 30 more changes.');
    const five = parseFragment(renderFeedItemHtml(cs, next, { maxChanges: 5 }));
    expect(five.querySelectorAll('ins').length).toBe(5);
    expect(five.body.textContent).toContain('… and 45 more changes.');
    const big = builder();
    for (let i = 0; i < 30; i++) big.insert('x'.repeat(500));
    const capped = big.build({ kind: 'update' });
    const html = renderFeedItemHtml(capped.cs, capped.next, { maxChars: 2000, maxChanges: 1000 });
    expect(html.length).toBeLessThan(2000 + 700);
    expect(html).toMatch(/… and \d+ more changes\.<\/em><\/p>$/);
    expect(() => renderFeedItemHtml(cs, next, { maxChanges: 0 })).toThrow(
      /renderFeedItemHtml: Expected `maxChanges` to be an integer from 1 to 10000, got `0` \(number\)/,
    );
  });

  it('first version: the title and the first paragraphs', () => {
    const { next } = breakingUpdate(27);
    const doc = parseFragment(renderFeedItemHtml(null, next, { maxChanges: 3 }));
    const ps = Array.from(doc.querySelectorAll('p')).map((p) => p.textContent);
    expect(ps).toEqual([
      'First version: High-Ranking Syrian General Defects from Army — 34 paragraphs.',
      'Update paragraph 1.',
      'Update paragraph 2.',
      'Update paragraph 3.',
      '… and 31 more paragraphs.',
    ]);
  });

  it('hostile text is inert and XML-legal', () => {
    const { cs, next } = hostileChangeSet();
    for (const html of [renderFeedItemHtml(cs, next, { maxChanges: 1000 }), renderFeedItemHtml(null, next)]) {
      expect(html).toBe(stripXmlIllegal(html));
      expect(html).not.toMatch(/<script/i);
      expect(html).not.toContain(']]>');
      const doc = parseFragment(html);
      expect(activeContent(doc)).toEqual([]);
      expect(doc.body.textContent).toContain('<script>alert(1)</script>');
      expect(doc.body.textContent).toContain(']]><script>alert(7)</script><![CDATA[');
    }
  });
});
