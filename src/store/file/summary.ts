/** An article's summary (`ArticleSummary`) computed from its version metas and its variants-seen count. */
import type { ArticleSummary, VersionMeta } from '../../core/model/version.js';

/** `metas` must hold versions 1..k in order, k >= 1. */
export function summarize(metas: readonly VersionMeta[], variantsSeen: number): ArticleSummary {
  const first = metas[0]!;
  const last = metas[metas.length - 1]!;
  return {
    id: first.article,
    title: last.title,
    versions: metas.length,
    firstSeen: first.fetchedAt,
    lastChange: last.fetchedAt,
    lastKind: last.kind,
    lastSummary: last.summary,
    history: metas.map((m) => ({ version: m.version, at: m.fetchedAt, kind: m.kind, significance: m.significance })),
    variantsSeen,
  };
}
