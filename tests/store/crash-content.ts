/**
 * Deterministic content for the crash test: what version `n` of an article is, byte for byte, so the test can check a
 * stored version against what the writer must have written without trusting the writer's own report.
 */
import { createHash } from 'node:crypto';
import type { Article } from '../../src/core/model/article.js';
import { CHANGESET_SCHEMA } from '../../src/core/model/changeset.js';
import type { ChangeSet } from '../../src/core/model/changeset.js';
import type { NewChangeEvent } from '../../src/core/model/event.js';
import type { NewVersion } from '../../src/store/types.js';

function hashInt(s: string): number {
  return createHash('sha256').update(s).digest().readUInt32BE(0);
}

/** Raw bytes of version `n`: 0.5–31.5 KiB, so that writes span many pages and a kill can land inside one. */
export function rawFor(article: string, n: number): Buffer {
  const size = 512 + (hashInt(`${article}/${n}/size`) % (31 * 1024));
  const line = `${article} version ${n}: the quick brown fox jumps over the lazy dog. `;
  return Buffer.from(line.repeat(Math.ceil(size / line.length)).slice(0, size), 'utf8');
}

export function rawHashFor(article: string, n: number): string {
  return createHash('sha256').update(rawFor(article, n)).digest('hex');
}

export function articleFor(article: string, n: number): Article {
  const paragraphs = Array.from({ length: 1 + (n % 7) }, (_, i) => `Paragraph ${i} of version ${n} of ${article}.`);
  return {
    title: `${article} headline ${n}`,
    paragraphs: paragraphs.map((text) => ({ text, norm: text.toLowerCase(), block: 'body', tag: 'p' })),
    blocks: [{ kind: 'body', start: 0, end: paragraphs.length }],
    format: 'text',
    extractor: 'crash-test@1',
  };
}

export function changesFor(article: string, n: number): ChangeSet | null {
  if (n === 1) return null;
  return {
    schema: CHANGESET_SCHEMA,
    kind: 'update',
    facets: ['update'],
    facts: [],
    significance: (n % 10) / 10,
    summary: `${article}: change to version ${n}`,
    title: { old: `${article} headline ${n - 1}`, new: `${article} headline ${n}`, changed: true },
    stats: {
      paragraphs: { added: 1, removed: 0, edited: 0, moved: 0, split: 0, merged: 0, unchanged: n % 7 },
      words: { added: 8, removed: 0 },
      oldParagraphs: 1 + ((n - 1) % 7),
      newParagraphs: 1 + (n % 7),
    },
    ops: [{ op: 'insert', n: 0, text: `Paragraph 0 of version ${n} of ${article}.` }],
  };
}

export function newVersionFor(article: string, n: number): NewVersion {
  return {
    article,
    fetchedAt: new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString(),
    origin: { kind: 'push' },
    contentType: 'text/plain; charset=utf-8',
    raw: rawFor(article, n),
    parsed: articleFor(article, n),
    contentHash: `content-${article}-${n}`,
    changes: changesFor(article, n),
    expectedLatest: n - 1,
  };
}

export function eventFor(article: string, n: number): NewChangeEvent {
  const changes = changesFor(article, n);
  return {
    at: new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString(),
    article,
    version: n,
    title: `${article} headline ${n}`,
    kind: changes?.kind ?? 'initial',
    summary: changes?.summary ?? 'first version',
    significance: changes?.significance ?? 1,
    changes,
  };
}
