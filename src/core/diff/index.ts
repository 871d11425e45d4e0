/**
 * The diff engine's public face: `diffVersions(old, next, options)` → ChangeSet, and `applyChangeSet`.
 * Pure and deterministic: no I/O, no clock; every bound is a count.
 */
import type { Article } from '../model/article.js';
import type { StoredVersion } from '../model/version.js';
import { CHANGESET_SCHEMA, type ChangeSet } from '../model/changeset.js';
import { classifyChange, paragraphStats } from './classify.js';
import { diffParagraphs } from './engine.js';
import { resolveDiffOptions, type DiffOptions } from './options.js';

export { applyChangeSet } from './apply.js';
export type { DiffOptions } from './options.js';
export { EDIT_THRESHOLD, similarity } from './similarity.js';

/**
 * What changed from `old` to `next`, as a ChangeSet (schema `wirediff.changeset/2`).
 *
 * @throws WirediffError `E_USAGE` for invalid options.
 */
export function diffVersions(old: Article, next: Article, options?: DiffOptions): ChangeSet {
  const resolved = resolveDiffOptions(options);
  const built = diffParagraphs(old.paragraphs, next.paragraphs, resolved);
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
