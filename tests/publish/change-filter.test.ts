import { describe, expect, it } from 'vitest';
import type { ChangeKind, ChangeSet } from '../../src/core/model/changeset.js';
import type { ChangeEvent } from '../../src/core/model/event.js';
import {
  DEFAULT_FILTER,
  filterQuery,
  isFilterProblem,
  makeFilter,
  matchesFilter,
  parseFilterQuery,
  type ChangeFilter,
} from '../../src/publish/change-filter.js';

function event(kind: ChangeKind, significance: number, facets: readonly ChangeKind[] = [kind]): ChangeEvent {
  return {
    schema: 'wirediff.event/1',
    id: 1,
    at: '2026-12-01T00:00:00.000Z',
    article: 'a',
    version: 2,
    title: 't',
    kind,
    summary: 's',
    significance,
    changes: { kind, facets, facts: [], significance } as unknown as ChangeSet,
  };
}

function filter(query: string): ChangeFilter {
  const f = parseFilterQuery(new URLSearchParams(query));
  if (isFilterProblem(f)) throw new Error(f.message);
  return f;
}

describe('change filters', () => {
  it('the default hides timestamp-only, minor and none, and nothing else', () => {
    expect(matchesFilter(event('timestamp-only', 0), DEFAULT_FILTER)).toBe(false);
    expect(matchesFilter(event('minor', 0.05), DEFAULT_FILTER)).toBe(false);
    expect(matchesFilter(event('none', 0, []), DEFAULT_FILTER)).toBe(false);
    for (const k of ['new-top', 'update', 'trimmed', 'figures', 'correction', 'headline', 'write-thru'] as const) {
      expect(matchesFilter(event(k, 0.2), DEFAULT_FILTER), k).toBe(true);
    }
    expect(matchesFilter({ ...event('initial', 1), changes: null }, DEFAULT_FILTER)).toBe(true);
  });

  it('kinds match the primary kind or a facet; min cuts by significance', () => {
    const f = filter('kinds=figures&min=0.3');
    expect(matchesFilter(event('correction', 0.6, ['correction', 'figures']), f)).toBe(true);
    expect(matchesFilter(event('correction', 0.6, ['correction']), f)).toBe(false);
    expect(matchesFilter(event('figures', 0.29), f)).toBe(false);
    expect(matchesFilter(event('figures', 0.3), f)).toBe(true);
    expect(matchesFilter(event('minor', 0.05), filter('kinds=minor'))).toBe(true);
  });

  it('has one canonical query per filter', () => {
    expect(filterQuery(filter('kinds=correction,new-top,correction&min=0.30'))).toBe(
      'kinds=correction,new-top&min=0.3',
    );
    expect(filterQuery(filter('min=0&kinds=new-top,correction'))).toBe('kinds=correction,new-top');
    expect(filterQuery(filter(''))).toBe('');
    expect(filterQuery(filter('min=.5'))).toBe('min=0.5');
    expect(filterQuery(filter('min=1'))).toBe('min=1');
  });

  it('names the parameter, the allowed values and the value given', () => {
    const bad = (q: string): string => {
      const f = parseFilterQuery(new URLSearchParams(q));
      if (!isFilterProblem(f)) throw new Error(`accepted ${q}`);
      return `${f.param} | ${f.allowed} | ${f.received} | ${f.message}`;
    };
    expect(bad('kinds=major')).toMatch(
      /^kinds \| .*breaking-update.*timestamp-only.* \| major \| .*unknown kind "major"/,
    );
    expect(bad('min=-0.1')).toMatch(/^min \| .* \| -0\.1 \|/);
    expect(bad('min=1.5')).toMatch(/^min \|/);
    expect(bad('min=0.125')).toMatch(/two decimals/);
    expect(bad('kinds=')).toMatch(/no kind given/);
    expect(bad('foo=1')).toMatch(/^foo \| the parameters kinds, min \| 1 \| .*unknown parameter/);
    expect(bad('min=0.1&min=0.2')).toMatch(/given more than once/);
    expect(isFilterProblem(makeFilter(['new-top'], 2))).toBe(true);
  });
});
