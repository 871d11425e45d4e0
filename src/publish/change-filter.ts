/**
 * Which changes a subscriber gets: a set of kinds and a minimum significance. Feeds (query parameters and named feeds)
 * read their filters here; a filter also has one canonical text form (`kinds=a,b&min=0.3`), so two spellings of the
 * same filter share one cached feed, one ETag and one self link.
 *
 * The default filter (no `kinds`): every kind but the quiet ones (`DEFAULT_HIDDEN_KINDS`: timestamp-only and minor changes),
 * which a subscriber gets only by naming them. A change matches listed kinds when its primary kind or one of its
 * facets is listed.
 */
import type { ChangeEvent } from '../core/model/event.js';
import type { ChangeKind } from '../core/model/changeset.js';
import { DEFAULT_HIDDEN_KINDS, KIND_ORDER } from '../core/model/kinds.js';

/** The kinds a subscriber may name: every kind of the vocabulary, in its order. */
export const FILTER_KINDS: readonly ChangeKind[] = KIND_ORDER;

export interface ChangeFilter {
  /** The kinds let through (primary kind or facet), sorted; null: every kind but the quiet ones. */
  readonly kinds: readonly ChangeKind[] | null;
  /** Changes below this significance (0 … 1) are left out. */
  readonly minSignificance: number;
}

export const DEFAULT_FILTER: ChangeFilter = { kinds: null, minSignificance: 0 };

/** A filter's parameter could not be read: names the parameter, what is allowed and what was given. */
export interface FilterProblem {
  readonly param: string;
  readonly allowed: string;
  readonly received: string;
  readonly message: string;
}

/** Query parameters a feed understands. */
export const FILTER_PARAMS = ['kinds', 'min'] as const;

const KIND_SET: ReadonlySet<string> = new Set(FILTER_KINDS);

function shown(v: string): string {
  return JSON.stringify(v.length > 100 ? `${v.slice(0, 100)}…` : v);
}

function problem(param: string, allowed: string, received: string, why: string): FilterProblem {
  return {
    param,
    allowed,
    received,
    message: `query parameter "${param}": ${why}; allowed: ${allowed}; received ${shown(received)}`,
  };
}

/** `min` is written with at most two decimals, so the number of distinct filters (and cached feeds) stays small. */
const MIN_PATTERN = /^(?:0(?:\.\d{1,2})?|1(?:\.0{1,2})?|\.\d{1,2})$/;

/** Builds a filter from kind names and a minimum; the first problem found, or the filter. */
export function makeFilter(
  kinds: readonly string[] | null | undefined,
  minSignificance: number | undefined,
): ChangeFilter | FilterProblem {
  let list: ChangeKind[] | null = null;
  if (kinds !== null && kinds !== undefined) {
    const unknown = kinds.filter((k) => !KIND_SET.has(k));
    if (kinds.length === 0 || unknown.length > 0) {
      return problem(
        'kinds',
        `a comma-separated list of ${FILTER_KINDS.join(', ')}`,
        kinds.join(','),
        kinds.length === 0 ? 'no kind given' : `unknown kind ${unknown.map((k) => shown(k)).join(', ')}`,
      );
    }
    list = [...new Set(kinds as ChangeKind[])].sort((a, b) => FILTER_KINDS.indexOf(a) - FILTER_KINDS.indexOf(b));
  }
  const min = minSignificance ?? 0;
  if (!Number.isFinite(min) || min < 0 || min > 1) {
    return problem('min', 'a number from 0 to 1', String(minSignificance), 'out of range');
  }
  return { kinds: list, minSignificance: min };
}

export function isFilterProblem(x: ChangeFilter | FilterProblem): x is FilterProblem {
  return 'param' in x;
}

/**
 * Reads `kinds` and `min` from a URL query. Unknown parameters, repeated ones and bad values are problems (a typo such
 * as `kind=` must not quietly give the unfiltered feed).
 */
export function parseFilterQuery(query: URLSearchParams): ChangeFilter | FilterProblem {
  for (const key of new Set(query.keys())) {
    if (!(FILTER_PARAMS as readonly string[]).includes(key)) {
      return problem(key, `the parameters ${FILTER_PARAMS.join(', ')}`, query.get(key) ?? '', 'unknown parameter');
    }
    if (query.getAll(key).length > 1) {
      return problem(key, 'one value', query.getAll(key).join(' & '), 'given more than once');
    }
  }
  const rawKinds = query.get('kinds');
  const rawMin = query.get('min');
  if (rawMin !== null && !MIN_PATTERN.test(rawMin)) {
    return problem('min', 'a number from 0 to 1 with at most two decimals (e.g. 0.3)', rawMin, 'not such a number');
  }
  const kinds =
    rawKinds === null
      ? null
      : rawKinds
          .split(',')
          .map((k) => k.trim())
          .filter((k) => k !== '');
  return makeFilter(kinds, rawMin === null ? undefined : Number(rawMin));
}

/** `kinds=new-top,figures&min=0.3` (kinds in vocabulary order; `min` left out when 0); '' for the default filter. */
export function filterQuery(f: ChangeFilter): string {
  const parts: string[] = [];
  if (f.kinds !== null) parts.push(`kinds=${f.kinds.join(',')}`);
  if (f.minSignificance > 0) parts.push(`min=${f.minSignificance}`);
  return parts.join('&');
}

/** The primary kind and the facets of an event. */
function eventKinds(e: ChangeEvent): readonly string[] {
  return e.changes === null ? [e.kind] : [e.kind, ...e.changes.facets];
}

/** True when the filter lets the event through. */
export function matchesFilter(e: ChangeEvent, f: ChangeFilter): boolean {
  if (e.significance < f.minSignificance) return false;
  if (f.kinds === null) return !(DEFAULT_HIDDEN_KINDS as readonly string[]).includes(e.kind);
  const listed: readonly string[] = f.kinds;
  return eventKinds(e).some((k) => listed.includes(k));
}
