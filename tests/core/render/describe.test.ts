/* eslint-disable no-control-regex -- these tests look for control characters on purpose */
import { describe, expect, it } from 'vitest';
import type { ChangeKind } from '../../../src/core/model/changeset.js';
import { describeChange } from '../../../src/core/render/index.js';
import { breakingUpdate, builder } from './build.js';

const TITLE = 'High-Ranking Syrian General Defects from Army';

function changeOf(kind: ChangeKind, title = TITLE, oldTitle = title) {
  return builder()
    .equal(['a', 'b'])
    .edit('killed [-some-]{+more than+} 70,000')
    .insert('new one')
    .insert('new two')
    .delete('gone')
    .build({ kind, title, oldTitle, summary: `A ${kind} change` }).cs;
}

describe('describeChange', () => {
  it('first version when there is no ChangeSet', () => {
    expect(describeChange(null, { title: TITLE, version: 1 })).toEqual({
      headline: `First version: ${TITLE}`,
      summary: 'Version 1: first version.',
    });
  });

  it('breaking update counts the update block', () => {
    const { cs } = breakingUpdate(27);
    expect(describeChange(cs, { title: TITLE, version: 2 })).toEqual({
      headline: `Breaking update: ${TITLE} (+6 paragraphs)`,
      summary: 'Version 2: Breaking update: 6 paragraphs placed above the earlier story (+35 words, −0).',
    });
  });

  it('a headline for each kind of change', () => {
    const counts = '2 added, 1 removed, 1 edited';
    const expected: Partial<Record<ChangeKind, string>> = {
      none: `No change: ${TITLE}`,
      initial: `First version: ${TITLE}`,
      'write-thru': `Write-thru: ${TITLE} (${counts})`,
      correction: `Correction: ${TITLE} (${counts})`,
      minor: `Minor edit: ${TITLE} (${counts})`,
      update: `Update: ${TITLE} (${counts})`,
      'new-top': `New top: ${TITLE} (${counts})`,
      figures: `Figures updated: ${TITLE} (${counts})`,
    };
    for (const [kind, headline] of Object.entries(expected)) {
      expect(describeChange(changeOf(kind as ChangeKind), { title: TITLE, version: 3 }).headline).toBe(headline);
    }
    const headline = changeOf('headline', 'Syrian general defects', 'Syria fighting');
    expect(describeChange(headline, { title: 'Syrian general defects', version: 4 }).headline).toBe(
      'Headline changed: Syria fighting → Syrian general defects',
    );
  });

  it('counts read naturally for a single kind of change', () => {
    const one = builder().edit('a [-b-]{+c+}').build({ kind: 'correction' }).cs;
    expect(describeChange(one, { title: 'T', version: 2 }).headline).toBe('Correction: T (1 paragraph edited)');
    const removed = builder().delete('x').delete('y').build({ kind: 'update' }).cs;
    expect(describeChange(removed, { title: 'T', version: 2 }).headline).toBe('Update: T (−2 paragraphs)');
    const none = builder().equal(['x']).build({ kind: 'minor' }).cs;
    expect(describeChange(none, { title: 'T', version: 2 }).headline).toBe('Minor edit: T');
  });

  it('is short, single-line and XML-safe whatever the title', () => {
    const long = `${'Very long headline '.repeat(20)}\u0000\u0008\uD800\n\tend`;
    const { headline, summary } = describeChange(changeOf('update', long), { title: long, version: 9 });
    expect([...headline].length).toBeLessThanOrEqual(
      100 + 'Update: '.length + ' (2 added, 1 removed, 1 edited)'.length,
    );
    expect(headline).toMatch(/^Update: Very long headline .*… \(2 added, 1 removed, 1 edited\)$/);
    expect(headline).not.toMatch(/[\u0000-\u001F\uD800-\uDFFF]/);
    expect(summary).not.toMatch(/[\u0000-\u001F\uD800-\uDFFF]/);
    expect(describeChange(null, { title: '  ', version: 1 }).headline).toBe('First version: (untitled)');
  });

  it('is deterministic', () => {
    const { cs } = breakingUpdate(5);
    expect(describeChange(cs, { title: TITLE, version: 2 })).toEqual(describeChange(cs, { title: TITLE, version: 2 }));
  });
});

describe('describeChange names the key fact', () => {
  it('a figures change or a correction names its first figure, a live blog its new entries', async () => {
    const { readFileSync } = await import('node:fs');
    const { parseArticle } = await import('../../../src/core/extract/index.js');
    const { diffVersions } = await import('../../../src/core/diff/index.js');
    const v = (n: number) => parseArticle({ body: readFileSync(`tests/fixtures/ap-syria/v${n}.txt`, 'utf8') });
    const cs = diffVersions(v(3), v(4));
    expect(describeChange(cs, { title: 'T', version: 4 }).headline).toBe('Correction: T (cluster bombs 156 → 165)');
    const live = diffVersions(
      parseArticle({ body: 'Live\n\nIntro.\n\n9:30 p.m. - One.\n\n9:10 p.m. - Two.\n\n8:55 p.m. - Three.' }),
      parseArticle({
        body: 'Live\n\nIntro.\n\n9:50 p.m. - New.\n\n9:30 p.m. - One.\n\n9:10 p.m. - Two.\n\n8:55 p.m. - Three.',
      }),
    );
    expect(describeChange(live, { title: 'Live', version: 2 }).headline).toBe('Update: Live (1 new entry)');
  });
});
