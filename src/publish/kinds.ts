/**
 * The kinds a subscriber may ask for, and the quiet ones left out unless asked for: the core's one vocabulary
 * (core/model/kinds.ts).
 */
import type { ChangeKind } from '../core/model/changeset.js';
import { DEFAULT_HIDDEN_KINDS, KIND_ORDER } from '../core/model/kinds.js';

export const FILTER_KINDS: readonly ChangeKind[] = KIND_ORDER;

export type FilterKind = ChangeKind;

/** Left out of every feed and live subscription unless a subscriber names them. */
export const QUIET_KINDS: readonly FilterKind[] = DEFAULT_HIDDEN_KINDS;
