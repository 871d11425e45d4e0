/**
 * A small inline SVG of an article's history: one bar per version, oldest on the left, its height the
 * change's significance (0…1) and its class the kind of change. The live script rebuilds it with the same
 * geometry (see `client/live.ts`, `drawSparkline`), reading `data-history`.
 */
import type { ArticleSummary } from '../../../core/model/version.js';
import { html, type SafeHtml } from './html.js';

/** How many of the newest versions are drawn. */
export const SPARK_MAX = 30;
/** The geometry, shared with the live script: a slot per version, newest at the right edge, at least `minSlots` wide. */
export const SPARK_GEOMETRY = { slot: 8, bar: 6, height: 28, minSlots: 6 } as const;

/** `sig kind;sig kind;…`, oldest first: what the live script appends to and redraws from. */
export function sparkData(history: ArticleSummary['history']): string {
  return history
    .slice(-SPARK_MAX)
    .map((h) => `${clampSig(h.significance).toFixed(3)} ${h.kind}`)
    .join(';');
}

function clampSig(x: number): number {
  return Number.isFinite(x) ? Math.max(0, Math.min(1, x)) : 0;
}

export function renderSparkline(history: ArticleSummary['history']): SafeHtml {
  const { slot, bar, height, minSlots } = SPARK_GEOMETRY;
  const pts = history.slice(-SPARK_MAX);
  const width = Math.max(pts.length, minSlots) * slot;
  const first = width - pts.length * slot;
  const bars = pts.map((h, i) => {
    const hgt = 2 + Math.round(clampSig(h.significance) * (height - 4));
    const y = height - 1 - hgt;
    return html`<rect class="bar k-${h.kind}" x="${first + i * slot + 1}" y="${y}" width="${bar}" height="${hgt}"/>`;
  });
  const shown = pts.length < history.length ? `, the newest ${pts.length} drawn` : '';
  const label = `History of ${history.length} version${history.length === 1 ? '' : 's'}${shown}: bar height is the size of each change`;
  return html`<svg class="spark" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${label}" data-history="${sparkData(history)}"><line class="base" x1="0" y1="${height - 0.5}" x2="${width}" y2="${height - 0.5}"/>${bars}</svg>`;
}
