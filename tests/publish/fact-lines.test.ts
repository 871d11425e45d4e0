import { describe, expect, it } from 'vitest';
import type { ChangeFact } from '../../src/core/model/changeset.js';
import { factLines } from '../../src/core/render/feed-item.js';

function text(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

describe('factLines', () => {
  it('says the facts in words, most telling first, figures on one line, places summed', () => {
    const facts: ChangeFact[] = [
      { type: 'added', where: 'end', paragraphs: 2, at: { n: 9 } },
      { type: 'lede', old: 'Old lede.', new: 'New lede.', at: { o: 0, n: 0 } },
      { type: 'added', where: 'end', paragraphs: 1, at: { n: 12 } },
      { type: 'figure', label: 'killed', old: '4', new: '7', inLede: true, at: { o: 0, n: 0 } },
      { type: 'quote', change: 'added', speaker: 'Ann Lee', text: 'We will rebuild', at: { n: 3 } },
      { type: 'figure', label: 'injured', old: '10', new: '12', inLede: false, at: { o: 2, n: 2 } },
      { type: 'headline', old: 'Old', new: 'New', source: 'h1', at: {} },
      { type: 'dateline', old: '', new: 'OAKLAND, Calif. —', at: { n: 0 } },
    ];
    const lines = factLines(facts).map((l) => `${l.label}: ${text(l.html)}`);
    expect(lines).toEqual([
      'Figures: killed 4 → 7; injured 10 → 12',
      'Headline: Old → New (the visible headline)',
      'New lede: “New lede.”',
      'Quote added: “We will rebuild” (Ann Lee)',
      'Added: 3 paragraphs at the end',
      'Dateline: (none) → OAKLAND, Calif. —',
    ]);
  });

  it('escapes every text and caps the lines', () => {
    const hostile = '<script>alert(1)</script> & ]]>';
    const facts: ChangeFact[] = [
      { type: 'quote', change: 'removed', speaker: hostile, text: hostile, at: { o: 1 } },
      { type: 'figure', label: hostile, old: '1', new: '2', inLede: false, at: { o: 1, n: 1 } },
    ];
    for (const l of factLines(facts)) {
      expect(l.html).not.toMatch(/<script/);
      expect(text(l.html)).toContain('<script>alert(1)</script> & ]]>');
    }
    const many: ChangeFact[] = Array.from({ length: 30 }, (_, i) => ({
      type: 'note' as const,
      convention: 'adds' as const,
      text: `note ${i}`,
      at: { n: i },
    }));
    const capped = factLines(many, 5);
    expect(capped).toHaveLength(5);
    expect(text(capped[4]!.html)).toBe('26 more facts');
  });
});
