/**
 * Checks on everything that enters the store from outside: article ids (so that no path can escape the store's
 * folder), version numbers, new versions and new events. Each failure names what was expected and what was received.
 */
import { WirediffError } from '../../core/errors.js';
import {
  checkFinite,
  checkInt,
  checkObject,
  checkString,
  expectedMessage,
  type CheckContext,
} from '../../core/expect.js';
import type { Article } from '../../core/model/article.js';
import type { ChangeSet } from '../../core/model/changeset.js';
import type { NewChangeEvent } from '../../core/model/event.js';
import { isArticleId } from '../../core/model/version.js';
import type { ArticleId } from '../../core/model/version.js';
import type { NewVersion } from '../types.js';

/** Throws `E_BAD_ARTICLE_ID` unless `id` is a valid article id (a slug; see `isArticleId`). */
export function checkArticleId(id: unknown, where: string): asserts id is ArticleId {
  if (!isArticleId(id)) {
    throw new WirediffError(
      'E_BAD_ARTICLE_ID',
      expectedMessage(
        'article',
        'an article id: a slug of 1 to 120 characters [a-z0-9._-], starting with a letter or digit and without ".."',
        id,
        where,
      ),
    );
  }
}

/** Throws `E_USAGE` unless `n` is an integer from `min` up. */
export function checkInteger(name: string, n: unknown, min: number, where: string): asserts n is number {
  checkInt(name, n, min, Number.MAX_SAFE_INTEGER, { where });
}

/** Checks the shape of a `NewVersion` (ids, numbers, bytes, and that an article and ChangeSet are objects). */
export function checkNewVersion(v: NewVersion, where: string): void {
  const ctx: CheckContext = { where };
  checkObject('version', v, ctx);
  checkArticleId(v.article, where);
  checkString('fetchedAt', v.fetchedAt, ctx);
  checkObject('origin', v.origin, ctx);
  checkString('contentType', v.contentType, ctx);
  if (!(v.raw instanceof Uint8Array)) {
    throw new WirediffError('E_USAGE', expectedMessage('raw', 'a Uint8Array', v.raw, where));
  }
  checkObject('parsed', v.parsed, ctx);
  if (!Array.isArray(v.parsed.paragraphs)) {
    throw new WirediffError('E_USAGE', expectedMessage('parsed.paragraphs', 'an array', v.parsed.paragraphs, where));
  }
  checkString('contentHash', v.contentHash, ctx);
  checkObject('changes', v.changes, { ...ctx, nullable: true });
  checkInteger('expectedLatest', v.expectedLatest, 0, where);
}

/** Checks the shape of an event handed to `EventLog.append`. */
export function checkNewEvent(e: NewChangeEvent, where: string): void {
  const ctx: CheckContext = { where };
  checkObject('event', e, ctx);
  checkArticleId(e.article, where);
  checkInteger('version', e.version, 1, where);
  for (const key of ['at', 'title', 'kind', 'summary'] as const) checkString(key, e[key], ctx);
  checkFinite('significance', e.significance, ctx);
  checkObject('changes', e.changes, { ...ctx, nullable: true });
}

/** The arguments of `SnapshotStore.replaceDerived`, checked alike by every store. */
export function checkReplaceDerived(id: ArticleId, n: number, parsed: Article, changes: ChangeSet | null): void {
  const where = 'SnapshotStore.replaceDerived';
  checkArticleId(id, where);
  checkInteger('n', n, 1, where);
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray(parsed.paragraphs)) {
    throw new WirediffError('E_USAGE', expectedMessage('parsed', 'an Article (with paragraphs)', parsed, where));
  }
  if (n > 1 && (typeof changes !== 'object' || changes === null)) {
    throw new WirediffError(
      'E_USAGE',
      expectedMessage('changes', `a ChangeSet for version ${n} (null only for version 1)`, changes, where),
    );
  }
}

/** The event argument of `SnapshotStore.commitVersion`, checked alike by every store. */
export function checkCommitEvent(event: { readonly at: string }): void {
  if (typeof event !== 'object' || event === null || typeof event.at !== 'string') {
    throw new WirediffError(
      'E_USAGE',
      `SnapshotStore.commitVersion: \`event\` must be { at: string }, received ${event === null ? 'null' : typeof event}`,
    );
  }
}

/** The arguments of `SnapshotStore.recordVariant`, checked alike by every store. */
export function checkRecordVariant(id: ArticleId, n: number, at: string): void {
  const where = 'SnapshotStore.recordVariant';
  checkArticleId(id, where);
  checkInteger('n', n, 1, where);
  if (typeof at !== 'string') {
    throw new WirediffError('E_USAGE', `${where}: \`at\` must be a string, received ${typeof at}`);
  }
}
