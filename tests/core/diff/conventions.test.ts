/** One test per newsroom rule the classifier reads (see docs/changes.md). */
import { describe, expect, it } from 'vitest';
import { parseArticle } from '../../../src/core/extract/index.js';
import { findDateline } from '../../../src/core/extract/structure.js';
import {
  figureLabel,
  figuresIn,
  isEntry,
  isTimestampLine,
  maskDates,
  noteConvention,
  quotesIn,
  speakerOf,
  splitHeadline,
} from '../../../src/core/diff/conventions.js';
import { changedFigures } from '../../../src/core/diff/facts.js';
import { diffVersions } from '../../../src/core/diff/index.js';

const text = (title: string, ...paras: string[]) => parseArticle({ body: [title, ...paras].join('\n\n') });

describe('dates and times', () => {
  it('masks times, dates, weekdays and relative times', () => {
    expect(maskDates('Updated 10:32 a.m. EST')).toBe(maskDates('Updated 11:05 a.m. EST'));
    expect(maskDates('WASHINGTON, March 17 (AP) —')).toBe(maskDates('WASHINGTON, March 18 (AP) —'));
    expect(maskDates('Still current at: 5 March 2026')).toBe(maskDates('Still current at: 6 March 2026'));
    expect(maskDates('Updated 5 minutes ago')).toBe(maskDates('Updated 2 hours ago'));
    expect(maskDates('killed 4 people')).not.toBe(maskDates('killed 7 people'));
  });

  it('recognises timestamp lines, not story text with a date', () => {
    for (const t of [
      'Updated 10:32 a.m. EST',
      'Still current at: 6 March 2026',
      'Last updated 5 minutes ago',
      'Published March 17, 2026',
    ]) {
      expect(isTimestampLine(t), t).toBe(true);
    }
    expect(isTimestampLine('The vote is on March 17.')).toBe(false);
  });

  it('a timestamp-only change has significance 0', () => {
    const cs = diffVersions(
      text('T', 'Updated 10:32 a.m. EST', 'The storm hit the coast overnight.'),
      text('T', 'Updated 11:05 a.m. EST', 'The storm hit the coast overnight.'),
    );
    expect(cs.kind).toBe('timestamp-only');
    expect(cs.significance).toBe(0);
    expect(cs.facts).toEqual([{ type: 'timestamp', old: '10:32 a.m. EST', new: '11:05 a.m. EST', at: { o: 0, n: 0 } }]);
  });
});

describe('datelines', () => {
  it('reads the usual forms', () => {
    expect(findDateline('OAKLAND, Calif. — A company said')).toBe('OAKLAND, Calif. —');
    expect(findDateline('WASHINGTON, March 17 (AP) — The Senate')).toBe('WASHINGTON, March 17 (AP) —');
    expect(findDateline('BEIRUT (Reuters) - Rebels')).toBe('BEIRUT (Reuters) -');
    expect(findDateline('Paris (AFP) - France')).toBe('Paris (AFP) -');
    expect(findDateline('WASHINGTON -- Lawmakers')).toBe('WASHINGTON --');
    expect(findDateline('The AP reported (AP) — x')).toBeUndefined();
    expect(findDateline('U.S.-backed forces advanced')).toBeUndefined();
  });
});

describe('figures', () => {
  it('labels a figure by its context words', () => {
    const label = (s: string, v: string) => figureLabel(figuresIn(s).find((f) => f.value === v)!);
    expect(label('The fire killed 7 people', '7')).toBe('killed');
    expect(label('The death toll rose to 9 on Monday', '9')).toBe('death toll');
    expect(label('killing 4 people and injuring 20', '4')).toBe('killed');
    expect(label('killing 4 people and injuring 20', '20')).toBe('injured');
    expect(label('at least 165 cluster bombs', '165')).toBe('cluster bombs');
    expect(label('sales were 2.3% lower', '2.3%')).toBe('sales');
    expect(label('Turnout in Georgia reached 52%, the highest', '52%')).toBe('turnout');
  });

  it('pairs changed figures, not dates or unchanged ones', () => {
    const pairs = changedFigures(
      'On March 17, 4 people died and 20 were hurt.',
      'On March 18, 7 people died and 20 were hurt.',
    );
    expect(pairs.map((p) => [p.old.value, p.new.value])).toEqual([['4', '7']]);
  });

  it('a figure changed alone is figures, never a correction; in the lede it ranks above a trimmed tail', () => {
    const base = [
      'The quake killed 4 people, officials said.',
      'Rescuers searched the rubble.',
      'Background one.',
      'Background two.',
    ];
    const fig = diffVersions(text('T', ...base), text('T', base[0]!.replace('4', '7'), ...base.slice(1)));
    expect(fig.kind).toBe('figures');
    expect(fig.facets).not.toContain('correction');
    const trim = diffVersions(text('T', ...base), text('T', ...base.slice(0, 3)));
    expect(trim.kind).toBe('trimmed');
    expect(fig.significance).toBeGreaterThan(trim.significance);
    const top = diffVersions(
      text('T', ...base),
      text('T', 'A new lede about the aftershock that hit overnight.', ...base),
    );
    expect(top.kind).toBe('new-top');
    expect(top.significance).toBeGreaterThan(trim.significance);
  });
});

describe('quotes', () => {
  it('finds quotations of three words or more, and who said them', () => {
    expect(quotesIn('"It went up very fast," Langford said.')).toEqual(['It went up very fast']);
    expect(quotesIn('He called it "a disaster."')).toEqual([]);
    expect(speakerOf('"It went up fast," Fire Department spokesman Larry Langford said.')).toBe('Larry Langford');
    expect(speakerOf('"We are ready," said Kathy Jones, a strategist.')).toBe('Kathy Jones');
    expect(speakerOf('"We are ready," he said.')).toBeNull();
  });
});

describe('wire conventions and notes', () => {
  it('splits Reuters and AFP headline prefixes', () => {
    expect(splitHeadline('REFILE-UPDATE 2-EU agrees sanctions')).toEqual({
      prefixes: ['REFILE', 'UPDATE 2'],
      text: 'EU agrees sanctions',
    });
    expect(splitHeadline('CORRECTED-Nigeria raises rate')).toEqual({
      prefixes: ['CORRECTED'],
      text: 'Nigeria raises rate',
    });
    expect(splitHeadline('URGENT: Quake hits Taiwan')).toEqual({ prefixes: ['URGENT'], text: 'Quake hits Taiwan' });
    expect(splitHeadline('Update on talks')).toEqual({ prefixes: [], text: 'Update on talks' });
  });

  it('reads the story’s own notes', () => {
    expect(noteConvention('(Adds comment from X in paragraph 5)')).toBe('adds');
    expect(noteConvention('(Updates with analyst comment in third paragraph.)')).toBe('adds');
    expect(noteConvention('(Corrects spelling of name in paragraph 3)')).toBe('corrected');
    expect(noteConvention('(Refiles to fix typo)')).toBe('refile');
    expect(noteConvention('This story has been updated with additional information.')).toBe('story-updated');
    expect(noteConvention("Editor's note: This story was changed to remove a claim.")).toBe('editors-note');
    expect(noteConvention('Clarification: An earlier version did not make clear…')).toBe('clarification');
    expect(noteConvention('Correction: An earlier version misstated the toll.')).toBe('correction');
    expect(noteConvention('CORRECTS number of cluster bombs to 165, sted 156.')).toBe('corrected');
    expect(noteConvention('The storm hit the coast.')).toBeNull();
  });

  it('a Reuters update quotes its note in the summary', () => {
    const cs = diffVersions(
      text(
        'UPDATE 1-EU agrees sanctions',
        '(Adds details)',
        'The EU agreed sanctions on Wednesday.',
        'Ministers meet Friday.',
      ),
      text(
        'UPDATE 2-EU agrees sanctions',
        '(Adds comment from minister in paragraph 3)',
        'The EU agreed sanctions on Wednesday.',
        '"We are closing the back doors," said Annalena Baerbock.',
        'Ministers meet Friday.',
      ),
    );
    expect(cs.kind).toBe('update');
    expect(cs.facets).toEqual(['update', 'quotes']);
    expect(cs.summary).toContain('“(Adds comment from minister in paragraph 3)”');
    expect(cs.summary).toContain('a quote from Annalena Baerbock added');
    expect(cs.facets).not.toContain('headline');
  });

  it('a CORRECTED- prefix is a correction', () => {
    const cs = diffVersions(
      text('Rate rises', 'The bank raised rates.', 'More.'),
      text('CORRECTED-Rate rises', 'The bank raised rates.', 'More.'),
    );
    expect(cs.kind).toBe('correction');
  });
});

describe('live blogs', () => {
  it('reads entries and counts new ones', () => {
    expect(isEntry('9:45 p.m. - Polls have closed.')).toBe(true);
    expect(isEntry('16:52 GMT - Full time!')).toBe(true);
    expect(isEntry('The polls close at 9 p.m.')).toBe(false);
    const entries = ['9:30 p.m. - Turnout is high.', '9:10 p.m. - First results.', '8:55 p.m. - Lines are long.'];
    const cs = diffVersions(
      text('Live', 'Follow our coverage.', ...entries),
      text('Live', 'Follow our coverage.', '10:05 p.m. - A new entry.', '9:50 p.m. - Another.', ...entries),
    );
    expect(cs.kind).toBe('update');
    expect(cs.facts).toEqual([{ type: 'entries', added: 2, edited: 0, removed: 0, at: {} }]);
    expect(cs.summary).toBe('Update: 2 new entries');
  });
});

describe('headlines', () => {
  it('prefers the visible h1 over a disagreeing og:title, and says the h1 changed', () => {
    const page = (h1: string) =>
      parseArticle({
        body: `<!DOCTYPE html><html><head><meta property="og:title" content="Old stale title"></head><body><main><article><h1>${h1}</h1><p>The mayor resigned on Tuesday after a report on contracts.</p><p>Council members welcomed the decision.</p></article></main></body></html>`,
      });
    const a = page('Mayor under pressure');
    const b = page('Mayor resigns');
    expect(a.title).toBe('Mayor under pressure');
    const cs = diffVersions(a, b);
    expect(cs.kind).toBe('headline');
    expect(cs.facts).toEqual([
      { type: 'headline', old: 'Mayor under pressure', new: 'Mayor resigns', source: 'h1', at: {} },
    ]);
    expect(cs.summary).toBe('Headline changed: visible headline (h1) “Mayor under pressure” → “Mayor resigns”');
  });
});
