import { describe, expect, it } from 'vitest';
import type { ChangeFact } from '../../../src/core/model/changeset.js';
import { factLines } from '../../../src/core/render/index.js';

describe('factLines', () => {
  it('says each kind of fact in words, additions and cuts grouped by place', () => {
    const facts: ChangeFact[] = [
      { type: 'figure', label: 'killed', old: '4', new: '7', inLede: true, at: { o: 0, n: 0 } },
      { type: 'figure', label: 'injured', old: '2', new: '5', inLede: false, at: { o: 2, n: 2 } },
      { type: 'added', where: 'end', paragraphs: 2, at: { n: 5 } },
      { type: 'added', where: 'end', paragraphs: 1, at: { n: 8 } },
      { type: 'removed', where: 'middle', paragraphs: 1, at: { o: 3 } },
      { type: 'quote', change: 'added', speaker: 'Kathy Jones', text: 'We are ready', at: { n: 5 } },
      { type: 'dateline', old: '', new: '(AP) –', at: { n: 0 } },
      { type: 'byline', old: 'By A', new: 'By A and B', at: {} },
      { type: 'timestamp', old: '10:32 a.m.', new: '11:05 a.m.', at: { o: 1, n: 1 } },
    ];
    expect(factLines(facts)).toEqual([
      { label: 'Figures', text: 'killed 4 → 7 (¶1, lede); injured 2 → 5 (¶3)' },
      { label: 'Quote added', text: 'Kathy Jones: “We are ready” (¶6)' },
      { label: 'Added', text: '3 paragraphs at the end (¶6, ¶9)' },
      { label: 'Cut', text: '1 paragraph from the middle (was ¶4)' },
      { label: 'Byline', text: '“By A” → “By A and B”' },
      { label: 'Dateline added', text: '“(AP) –”' },
      { label: 'Time', text: '“10:32 a.m.” → “11:05 a.m.” (¶2)' },
    ]);
  });

  it('reads a /1 ChangeSet (no facts) as no lines', () => {
    expect(factLines(undefined)).toEqual([]);
  });
});
