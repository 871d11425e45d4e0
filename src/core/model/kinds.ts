/**
 * The one vocabulary of change kinds: for each kind its name (the `kind` string), one human label and a symbol (so
 * a badge never relies on colour alone). The CLI, feeds, live events, the viewer and the docs all say a kind with
 * these words; docs/changes.md explains each with an example.
 */
import type { ChangeKind } from './changeset.js';
import { upgradeKind } from './changeset.js';

export interface KindWords {
  /** The kind's name, as in `ChangeSet.kind` and feed categories. */
  readonly name: ChangeKind;
  /** The one label people read: "New top", "Figures updated". */
  readonly label: string;
  /** A one-character symbol shown next to the label. */
  readonly symbol: string;
}

/**
 * Every kind, in the order of precedence for the primary kind (the first facet in this order wins), then `initial`
 * and `none`.
 */
export const KIND_ORDER: readonly ChangeKind[] = [
  'breaking-update',
  'correction',
  'write-thru',
  'new-top',
  'figures',
  'update',
  'quotes',
  'headline',
  'trimmed',
  'reordered',
  'minor',
  'timestamp-only',
  'initial',
  'none',
];

export const KIND_WORDS: Readonly<Record<ChangeKind, KindWords>> = {
  'breaking-update': { name: 'breaking-update', label: 'Breaking update', symbol: '⚡' },
  correction: { name: 'correction', label: 'Correction', symbol: '✔' },
  'write-thru': { name: 'write-thru', label: 'Write-thru', symbol: '✎' },
  'new-top': { name: 'new-top', label: 'New top', symbol: '▲' },
  figures: { name: 'figures', label: 'Figures updated', symbol: '#' },
  update: { name: 'update', label: 'Update', symbol: '+' },
  quotes: { name: 'quotes', label: 'Quotes', symbol: '❝' },
  headline: { name: 'headline', label: 'Headline changed', symbol: 'H' },
  trimmed: { name: 'trimmed', label: 'Trimmed', symbol: '−' },
  reordered: { name: 'reordered', label: 'Reordered', symbol: '⇅' },
  minor: { name: 'minor', label: 'Minor edit', symbol: '·' },
  'timestamp-only': { name: 'timestamp-only', label: 'Timestamp only', symbol: '⏱' },
  initial: { name: 'initial', label: 'First version', symbol: '★' },
  none: { name: 'none', label: 'No change', symbol: '=' },
};

/** The label of a kind; a `/1` kind or an unknown string is read as `upgradeKind` reads it. */
export function kindLabel(kind: string): string {
  return KIND_WORDS[upgradeKind(kind)].label;
}

/** The kinds a subscriber sees unless it asks for them: everything but `timestamp-only` and `minor` (and `none`). */
export const DEFAULT_HIDDEN_KINDS: readonly ChangeKind[] = ['timestamp-only', 'minor', 'none'];
