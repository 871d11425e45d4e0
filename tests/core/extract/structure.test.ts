import { describe, expect, it } from 'vitest';
import type { Article } from '../../../src/core/model/article.js';
import { classifyMarker, findDateline, normalizeText, parseArticle } from '../../../src/core/extract/index.js';
import { expectBlocksCoverParagraphs } from './blocks.js';

const marker = (s: string): string | null => classifyMarker(s, normalizeText(s));
const kinds = (a: Article): string[] => a.blocks.map((b) => `${b.kind}:${b.end - b.start}`);

describe('story markers', () => {
  it.each([
    "THIS IS A BREAKING NEWS UPDATE. Check back soon for further information. AP's earlier story is below.",
    'THIS IS A BREAKING NEWS UPDATE. Check back soon for further information. AP’s earlier story is below.',
    'This is a breaking news update. Check back soon for further information. AP’s earlier story is below.',
    'this is a breaking news update.',
    'AP’s earlier story is below.',
    'Our earlier story follows.',
  ])('separator banner: %s', (s) => expect(marker(s)).toBe('separator'));

  it.each([
    'This story has been updated to include comments from the Jordanian government.',
    'This article was updated with the latest casualty figures.',
    'UPDATE: The general has arrived in Amman.',
    'Updated - 3:45 p.m.',
    'BREAKING:',
    'Developing story',
    'EDS: UPDATES with defection of general. AP Photos.',
    'BC-ML--Syria, 1st Ld-Writethru',
  ])('update note (banner): %s', (s) => expect(marker(s)).toBe('banner'));

  it.each([
    'Correction: An earlier version of this story misstated the number of cluster bombs.',
    'CORRECTION — The number of cluster bombs was 165.',
    "Editor's note: This story contains graphic descriptions.",
    'Editors’ Note: The author was embedded with rebel forces.',
    'CORRECTS number of cluster bombs to 165, sted 156.',
    'EDS: CORRECTS figure in 5th graf.',
    'This story corrects the number of cluster bombs to 165, not 156.',
    'This version corrects the spelling of Khalouf.',
    'This story has been corrected to show that the group counted 165 cluster bombs, not 156.',
    'An earlier version of this story incorrectly said 156 cluster bombs.',
  ])('correction: %s', (s) => expect(marker(s)).toBe('correction'));

  it.each([
    'By ZEINA KARAM',
    'By Zeina Karam and Albert Aji, Associated Press',
    'By ALBERT AJI and BASSEM MROUE Associated Press',
    'Associated Press writer Albert Aji in Damascus, Syria, contributed to this report.',
    'Associated Press writers Albert Aji in Damascus, Syria, and Jamal Halaby in Amman, Jordan, contributed to this report.',
    'Reporting by Oliver Holmes; Editing by Alistair Lyon',
  ])('byline: %s', (s) => expect(marker(s)).toBe('byline'));

  it.each(['DAMASCUS, Syria (AP) —', '(AP) –', 'BEIRUT (Reuters) -', 'AMMAN, Jordan (AP) --'])(
    'standalone dateline: %s',
    (s) => expect(marker(s)).toBe('dateline'),
  );

  it.each([
    'By Saturday, rebels had seized the base.',
    'The update came a day after the uprising’s anniversary.',
    'Updates from the front were scarce, officials said on Saturday as the fighting went on.',
    'DAMASCUS, Syria (AP) — A high-ranking general says he has defected.',
    'The correction was made by the ministry.',
    'Updated-figures show the toll rising.',
    'Correction-prone reports from the front were common.',
    'x'.repeat(500) + ' THIS IS A BREAKING NEWS UPDATE.',
  ])('story text, not a marker: %s', (s) => expect(marker(s)).toBeNull());

  it('finds datelines that open a paragraph', () => {
    expect(findDateline('DAMASCUS, Syria (AP) — A general defected.')).toBe('DAMASCUS, Syria (AP) —');
    expect(findDateline('(AP) – A general defected.')).toBe('(AP) –');
    expect(findDateline('LONDON, March 16 (Reuters) - Stocks rose.')).toBe('LONDON, March 16 (Reuters) -');
    expect(findDateline('SÃO PAULO (AP) — Rain.')).toBe('SÃO PAULO (AP) —');
    expect(findDateline('Rebels (AP) say nothing.')).toBeUndefined();
    expect(findDateline('The AP reported (AP) — nothing')).toBeUndefined();
  });
});

describe('blocks', () => {
  it('update / banner / earlier, with bylines, datelines and corrections as their own blocks', () => {
    const a = parseArticle({
      body: [
        'Headline Of The Story',
        'By ZEINA KARAM',
        'DAMASCUS, Syria (AP) —',
        'A general defected.',
        'He said morale was bad.',
        'THIS IS A BREAKING NEWS UPDATE. Check back soon for further information. AP’s earlier story is below.',
        'The regime expanded its use of cluster bombs.',
        'Correction: an earlier version misstated a figure.',
        'Rebels detonated a car bomb.',
        'Associated Press writer Albert Aji contributed to this report.',
      ].join('\n\n'),
    });
    expect(a.title).toBe('Headline Of The Story');
    expect(kinds(a)).toEqual([
      'byline:1',
      'dateline:1',
      'update:2',
      'banner:1',
      'earlier:1',
      'correction:1',
      'earlier:1',
      'byline:1',
    ]);
    expect(a.byline).toBe('By ZEINA KARAM');
    expect(a.dateline).toBe('DAMASCUS, Syria (AP) —');
    expectBlocksCoverParagraphs(a);
  });

  it('no banner: body, with an update note as a banner block that does not split the story', () => {
    const a = parseArticle({
      body: 'One.\n\nThis story has been updated to include a statement.\n\nTwo.\n\nThree.',
    });
    expect(kinds(a)).toEqual(['body:1', 'banner:1', 'body:2']);
    expectBlocksCoverParagraphs(a);
  });

  it('a banner at the very top: everything below is the earlier story', () => {
    const a = parseArticle({ body: 'THIS IS A BREAKING NEWS UPDATE.\n\nOne.\n\nTwo.' });
    expect(kinds(a)).toEqual(['banner:1', 'earlier:2']);
  });

  it('a banner with nothing below: the update alone', () => {
    const a = parseArticle({
      body: 'One.\n\nTwo.\n\nTHIS IS A BREAKING NEWS UPDATE. Check back soon for further information.',
    });
    expect(kinds(a)).toEqual(['update:2', 'banner:1']);
  });

  it('covers every paragraph in order for random mixtures of markers and text (property-like sweep)', () => {
    const pool = [
      'Story text one.',
      'Story text two, with more words.',
      'THIS IS A BREAKING NEWS UPDATE.',
      'UPDATE: more soon.',
      'Correction: fixed.',
      'By ZEINA KARAM',
      '(AP) —',
      'X contributed to this report.',
    ];
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let run = 0; run < 300; run++) {
      const n = 1 + rand(12);
      const body = Array.from({ length: n }, (_, i) =>
        `${pool[rand(pool.length)]!} ${i}`.replace(/ \d+$/, (m) => (rand(2) ? m : '')),
      ).join('\n\n');
      const a = parseArticle({ body: `Title Line\n\n${body}` });
      expectBlocksCoverParagraphs(a);
    }
  });
});
