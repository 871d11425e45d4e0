/** Small builders of articles, ChangeSets and new versions for the store tests (no dependency on the extractor). */
import { readFile } from 'node:fs/promises';
import type { Article } from '../../src/core/model/article.js';
import { CHANGESET_SCHEMA } from '../../src/core/model/changeset.js';
import type { ChangeKind, ChangeSet } from '../../src/core/model/changeset.js';
import type { NewChangeEvent } from '../../src/core/model/event.js';
import type { NewVersion } from '../../src/store/types.js';
import { readVersionHead } from '../../src/store/file/version-file.js';

export function makeArticle(title: string, paragraphs: readonly string[]): Article {
  return {
    title,
    paragraphs: paragraphs.map((text) => ({ text, norm: text.toLowerCase(), block: 'body', tag: 'p' })),
    blocks: paragraphs.length > 0 ? [{ kind: 'body', start: 0, end: paragraphs.length }] : [],
    format: 'text',
    extractor: 'test-extract@1',
  };
}

export function makeChanges(kind: ChangeKind, summary: string, significance = 0.5): ChangeSet {
  return {
    schema: CHANGESET_SCHEMA,
    kind,
    facets: [kind],
    facts: [],
    significance,
    summary,
    title: { old: 'a', new: 'b', changed: true },
    stats: {
      paragraphs: { added: 1, removed: 0, edited: 0, moved: 0, split: 0, merged: 0, unchanged: 0 },
      words: { added: 3, removed: 0 },
      oldParagraphs: 0,
      newParagraphs: 1,
    },
    ops: [{ op: 'insert', n: 0, text: 'x' }],
  };
}

export function makeVersion(article: string, n: number, extra: Partial<NewVersion> = {}): NewVersion {
  const text = `Headline ${n}\n\nParagraph one of version ${n} of ${article}.\n\nParagraph two.`;
  return {
    article,
    fetchedAt: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
    origin: { kind: 'push' },
    contentType: 'text/plain; charset=utf-8',
    raw: Buffer.from(text, 'utf8'),
    parsed: makeArticle(`Headline ${n}`, [`Paragraph one of version ${n} of ${article}.`, 'Paragraph two.']),
    contentHash: `hash-${article}-${n}`,
    changes: n === 1 ? null : makeChanges('update', `Change ${n}`, n / 100),
    expectedLatest: n - 1,
    ...extra,
  };
}

export function makeEvent(article: string, version: number): NewChangeEvent {
  return {
    at: new Date(Date.UTC(2026, 0, 1, 0, version)).toISOString(),
    article,
    version,
    title: `Headline ${version}`,
    kind: version === 1 ? 'initial' : 'update',
    summary: `Change ${version}`,
    significance: 0.5,
    changes: version === 1 ? null : makeChanges('update', `Change ${version}`),
  };
}

/** A version file's document (parsed JSON) and raw bytes, whatever its layout (WDV1, or WDV2 compressed or not). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON document under test
export async function readVersionParts(path: string): Promise<{ doc: any; raw: Buffer }> {
  const head = await readVersionHead(path);
  const raw = head.raw ?? (await readFile(path)).subarray(head.rawOffset);
  return { doc: JSON.parse(head.doc.toString('utf8')), raw };
}
