/**
 * The kinds a subscriber may ask for, and the quiet ones left out unless asked for. (Temporary: until the core's
 * vocabulary lands, the kinds of the current model.)
 */
export const FILTER_KINDS = [
  'initial',
  'breaking-update',
  'write-thru',
  'correction',
  'headline',
  'major',
  'minor',
  'none',
] as const;

export type FilterKind = (typeof FILTER_KINDS)[number];

/** Left out of every feed unless a subscriber names them. */
export const QUIET_KINDS: readonly FilterKind[] = ['minor', 'none'];
