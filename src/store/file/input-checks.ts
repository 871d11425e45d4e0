/**
 * Checks on everything that enters the store from outside: article ids (so that no path can escape the store's
 * folder), version numbers, new versions and new events. Each failure names what was expected and what was received.
 */
import { WirediffError } from '../../core/errors.js';
import type { Article } from '../../core/model/article.js';
import type { ChangeSet } from '../../core/model/changeset.js';
import type { NewChangeEvent } from '../../core/model/event.js';
import { isArticleId } from '../../core/model/version.js';
import type { ArticleId } from '../../core/model/version.js';
import type { NewVersion } from '../types.js';

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}

/** Throws `E_BAD_ARTICLE_ID` unless `id` is a valid article id (a slug; see `isArticleId`). */
export function checkArticleId(id: unknown, where: string): asserts id is ArticleId {
  if (!isArticleId(id)) {
    throw new WirediffError(
      'E_BAD_ARTICLE_ID',
      `${where}: article id must be a slug of 1 to 120 characters [a-z0-9._-], starting with a letter or digit and without "..", received ${show(id)}`,
    );
  }
}

/** Throws `E_USAGE` unless `n` is an integer from `min` up. */
export function checkInteger(name: string, n: unknown, min: number, where: string): asserts n is number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min) {
    throw new WirediffError(
      'E_USAGE',
      `${where}: \`${name}\` must be an integer from ${min} to ${Number.MAX_SAFE_INTEGER}, received ${show(n)}`,
    );
  }
}

function checkString(name: string, v: unknown, where: string): void {
  if (typeof v !== 'string')
    throw new WirediffError('E_USAGE', `${where}: \`${name}\` must be a string, received ${show(v)}`);
}

function checkObject(name: string, v: unknown, where: string, nullable: boolean): void {
  if (v === null && nullable) return;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new WirediffError(
      'E_USAGE',
      `${where}: \`${name}\` must be an object${nullable ? ' or null' : ''}, received ${show(v)}`,
    );
  }
}

/** Checks the shape of a `NewVersion` (ids, numbers, bytes, and that an article and ChangeSet are objects). */
export function checkNewVersion(v: NewVersion, where: string): void {
  checkObject('version', v, where, false);
  checkArticleId(v.article, where);
  checkString('fetchedAt', v.fetchedAt, where);
  checkObject('origin', v.origin, where, false);
  checkString('contentType', v.contentType, where);
  if (!(v.raw instanceof Uint8Array)) {
    throw new WirediffError('E_USAGE', `${where}: \`raw\` must be a Uint8Array, received ${show(v.raw)}`);
  }
  checkObject('parsed', v.parsed, where, false);
  if (!Array.isArray(v.parsed.paragraphs)) {
    throw new WirediffError(
      'E_USAGE',
      `${where}: \`parsed.paragraphs\` must be an array, received ${show(v.parsed.paragraphs)}`,
    );
  }
  checkString('contentHash', v.contentHash, where);
  checkObject('changes', v.changes, where, true);
  checkInteger('expectedLatest', v.expectedLatest, 0, where);
}

/** Checks the shape of an event handed to `EventLog.append`. */
export function checkNewEvent(e: NewChangeEvent, where: string): void {
  checkObject('event', e, where, false);
  checkArticleId(e.article, where);
  checkInteger('version', e.version, 1, where);
  checkString('at', e.at, where);
  checkString('title', e.title, where);
  checkString('kind', e.kind, where);
  checkString('summary', e.summary, where);
  if (typeof e.significance !== 'number' || !Number.isFinite(e.significance)) {
    throw new WirediffError(
      'E_USAGE',
      `${where}: \`significance\` must be a finite number, received ${show(e.significance)}`,
    );
  }
  checkObject('changes', e.changes, where, true);
}

/** The arguments of `SnapshotStore.replaceDerived`, checked alike by every store. */
export function checkReplaceDerived(id: ArticleId, n: number, parsed: Article, changes: ChangeSet | null): void {
  const where = 'SnapshotStore.replaceDerived';
  checkArticleId(id, where);
  checkInteger('n', n, 1, where);
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray(parsed.paragraphs)) {
    throw new WirediffError('E_USAGE', `${where}: \`parsed\` must be an Article`);
  }
  if (n > 1 && (typeof changes !== 'object' || changes === null)) {
    throw new WirediffError(
      'E_USAGE',
      `${where}: \`changes\` must be a ChangeSet for version ${n} (null only for version 1)`,
    );
  }
}
