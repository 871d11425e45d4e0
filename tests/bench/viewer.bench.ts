/**
 * Viewer benchmark: serving the diff page for the core benchmark's 2,000- and 10,000-paragraph pairs, as a ratio to
 * computing the diff itself (`diffVersions`) in the same run. Target: at most 3×.
 *
 * Two figures per pair: rendering the page (`renderDiffPage`, with the ChangeSet the store keeps for consecutive
 * versions), and rendering plus what the handler does before sending (UTF-8 encoding and gzip at the handler's level). Each row notes the
 * page size (raw and gzipped) and how many paragraphs are rendered outside collapsed runs, how many sit in closed
 * `<details>` folds (short runs: in the page, laid out only when opened) and how many are left out behind fold links
 * (long runs: served on request, `?expand=` or `/diff/fold`).
 */
import { gzipSync } from 'node:zlib';
import { diffVersions } from '../../src/core/diff/index.js';
import type { Article } from '../../src/core/model/article.js';
import type { ChangeSet } from '../../src/core/model/changeset.js';
import type { ArticleSummary, StoredVersion } from '../../src/core/model/version.js';
import { gzipLevelFor } from '../../src/http/viewer/handler.js';
import { renderDiffPage } from '../../src/http/viewer/pages/diff.js';
import { liveBlog2000, tenThousandHalfEdited, tenThousandReplaced, type BenchPair } from './core-diff.bench.js';
import { ratioRow, sink, timeMedian, type BenchRow } from './harness.js';

const GROUP = 'viewer';
const MAX_RATIO = 3;

function stored(article: Article, n: number, rawBytes: number, changes: ChangeSet | null): StoredVersion {
  return {
    meta: {
      article: 'bench',
      version: n,
      fetchedAt: `2026-03-16T0${n}:00:00.000Z`,
      origin: { kind: 'import' },
      contentType: 'text/plain; charset=utf-8',
      rawBytes,
      rawHash: '0'.repeat(64),
      contentHash: '0'.repeat(64),
      extractor: article.extractor,
      title: article.title,
      paragraphs: article.paragraphs.length,
      kind: changes?.kind ?? 'initial',
      summary: changes?.summary ?? 'First version',
      significance: changes?.significance ?? 1,
    },
    article,
    changes,
  };
}

function summary(pair: BenchPair, cs: ChangeSet): ArticleSummary {
  return {
    id: 'bench',
    title: pair.next.title,
    versions: 2,
    firstSeen: '2026-03-16T01:00:00.000Z',
    lastChange: '2026-03-16T02:00:00.000Z',
    lastKind: cs.kind,
    lastSummary: cs.summary,
    history: [
      { version: 1, at: '2026-03-16T01:00:00.000Z', kind: 'initial', significance: 1 },
      { version: 2, at: '2026-03-16T02:00:00.000Z', kind: cs.kind, significance: cs.significance },
    ],
    variantsSeen: 0,
  };
}

/**
 * Paragraph rows (`wd-p`) outside and inside collapsed `<details class="wd-fold">` runs, and paragraphs left out
 * behind fold links (`data-count` of each `wd-fold-link`).
 */
export function countRendered(html: string): { outside: number; folded: number; linked: number } {
  let outside = 0;
  let folded = 0;
  let at = 0;
  const count = (s: string): number => s.split('class="wd-p ').length - 1;
  for (;;) {
    const open = html.indexOf('<details class="wd-fold">', at);
    if (open < 0) {
      outside += count(html.slice(at));
      break;
    }
    outside += count(html.slice(at, open));
    const close = html.indexOf('</details>', open);
    folded += count(html.slice(open, close));
    at = close + '</details>'.length;
  }
  let linked = 0;
  for (const m of html.matchAll(/class="wd-fold-link"[^>]* data-count="(\d+)"/g)) linked += Number(m[1]);
  return { outside, folded, linked };
}

function kib(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : `${Math.round(n / 1024)} KiB`;
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const [make, samples] of [
    [liveBlog2000, 9],
    [tenThousandHalfEdited, 5],
    [tenThousandReplaced, 5],
  ] as const) {
    const pair = make();
    const cs = diffVersions(pair.old, pair.next);
    const input = {
      summary: summary(pair, cs),
      old: stored(pair.old, 1, Buffer.byteLength(pair.oldText), null),
      next: stored(pair.next, 2, Buffer.byteLength(pair.newText), cs),
      changes: cs,
      view: 'inline' as const,
      lastEvent: 2,
      now: Date.parse('2026-03-16T03:00:00.000Z'),
    };
    const diff = timeMedian(() => diffVersions(pair.old, pair.next), { samples });
    const page = timeMedian(() => renderDiffPage(input), { samples });
    const served = timeMedian(
      () => {
        const body = Buffer.from(renderDiffPage(input), 'utf8');
        return gzipSync(body, { level: gzipLevelFor(body.length) });
      },
      { samples },
    );
    const html = renderDiffPage(input);
    const bytes = Buffer.byteLength(html);
    const gz = gzipSync(Buffer.from(html, 'utf8'), { level: gzipLevelFor(bytes) }).length;
    const { outside, folded, linked } = countRendered(html);
    const side = renderDiffPage({ ...input, view: 'side-by-side' });
    const note = `page ${kib(bytes)} (gzip ${kib(gz)}), side by side ${kib(Buffer.byteLength(side))}; ${outside} paragraphs shown, ${folded} in closed <details>, ${linked} behind fold links`;
    const label = pair.name.replace(/^\([a-d]\) /, '');
    rows.push(
      ratioRow({
        group: GROUP,
        name: `diff page: ${label} (render)`,
        value: page.medianMs,
        unit: 'ms',
        baseline: diff.medianMs,
        maxRatio: MAX_RATIO,
        note,
      }),
      ratioRow({
        group: GROUP,
        name: `diff page: ${label} (render + gzip)`,
        value: served.medianMs,
        unit: 'ms',
        baseline: diff.medianMs,
        maxRatio: MAX_RATIO,
        note: 'baseline: diffVersions on the same pair, same run',
      }),
    );
    await Promise.resolve();
  }
  void sink;
  return rows;
}
