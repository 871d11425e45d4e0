/**
 * The diff engine's public face: `diffVersions(old, next, options)` → ChangeSet, and `applyChangeSet`.
 * Pure and deterministic: no I/O, no clock; every bound is a count.
 */
import type { Article } from '../model/article.js';
import type { StoredVersion } from '../model/version.js';
import { CHANGESET_SCHEMA, type ChangeSet } from '../model/changeset.js';
import { classifyChange, paragraphStats } from './classify.js';
import { runEngine } from './engine.js';
import { resolveDiffOptions, type DiffOptions } from './options.js';

export { applyChangeSet } from './apply.js';
export {
  classifyChange,
  FACET_FLOOR,
  KIND_FLOOR,
  LEDE_FIGURE_FLOOR,
  MINOR_MAX_SIGNIFICANCE,
  TYPO_MAX_WORDS,
  WRITE_THRU_MIN_FRESH,
  WRITE_THRU_MIN_LOST,
  WRITE_THRU_MIN_PARAGRAPHS,
} from './classify.js';
export { analyzeChange, REWRITE_MAX_UNCHANGED } from './facts.js';
export { DEFAULT_DIFF_OPTIONS, resolveDiffOptions } from './options.js';
export type { DiffOptions, ResolvedDiffOptions } from './options.js';
export {
  EDIT_THRESHOLD,
  MOVE_THRESHOLD,
  SPLIT_MERGE_GAIN,
  SPLIT_MERGE_THRESHOLD,
  SPLIT_PIECE_CONTAINMENT,
  WORD_DIFF_MIN_SIMILARITY,
  similarity,
} from './similarity.js';
export { SMALL_GAP } from './align.js';
export { runEngine, NORMALIZED_HOOKS } from './engine.js';
export type { EngineHooks } from './engine.js';

/**
 * What changed from `old` to `next`, as a ChangeSet (schema `wirediff.changeset/2`).
 *
 * @throws WirediffError `E_USAGE` for invalid options.
 */
export function diffVersions(old: Article, next: Article, options?: DiffOptions): ChangeSet {
  const resolved = resolveDiffOptions(options);
  const built = runEngine(old.paragraphs, next.paragraphs, resolved);
  const stats = {
    paragraphs: paragraphStats(built.ops),
    words: { added: built.wordsAdded, removed: built.wordsRemoved },
    oldParagraphs: old.paragraphs.length,
    newParagraphs: next.paragraphs.length,
  };
  const c = classifyChange(built.ops, old, next, stats);
  return {
    schema: CHANGESET_SCHEMA,
    kind: c.kind,
    facets: c.facets,
    facts: c.facts,
    significance: c.significance,
    summary: c.summary,
    title: { old: old.title, new: next.title, changed: old.title !== next.title },
    stats,
    ops: built.ops,
    structure: c.structure,
  };
}

/**
 * What changed between two stored versions: the ChangeSet stored with `newer` when it is the very next version
 * (computed once, when it was stored), else a fresh diff.
 */
export function changesBetween(older: StoredVersion, newer: StoredVersion): ChangeSet {
  return newer.meta.version === older.meta.version + 1 && newer.changes !== null
    ? newer.changes
    : diffVersions(older.article, newer.article);
}
