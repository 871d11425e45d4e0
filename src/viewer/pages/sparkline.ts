/**
 * A small inline SVG of an article's history: one bar per version, oldest on the left, its height the
 * change's significance (0…1) and its class the kind of change. The live script rebuilds it with the same
 * geometry (see `assets/live-js.ts`, `drawSparkline`), reading `data-history`.
 */
import type { ArticleSummary } from '../../core/model/version.js';
import { escapeHtml } from './html.js';

/** How many of the newest versions are drawn. */
export const SPARK_MAX = 30;
const SLOT = 6;
const BAR = 4;
const HEIGHT = 24;

/** `sig kind;sig kind;…`, oldest first: what the live script appends to and redraws from. */
export function sparkData(history: ArticleSummary['history']): string {
  return history
    .slice(-SPARK_MAX)
    .map((h) => `${Math.max(0, Math.min(1, h.significance)).toFixed(3)} ${h.kind}`)
    .join(';');
}

export function renderSparkline(history: ArticleSummary['history']): string {
  const pts = history.slice(-SPARK_MAX);
  const n = Math.max(pts.length, 1);
  const width = n * SLOT;
  const bars = pts
    .map((h, i) => {
      const sig = Math.max(0, Math.min(1, Number.isFinite(h.significance) ? h.significance : 0));
      const hgt = 2 + Math.round(sig * (HEIGHT - 4));
      const y = HEIGHT - 1 - hgt;
      return `<rect class="bar k-${escapeHtml(h.kind)}" x="${i * SLOT + 1}" y="${y}" width="${BAR}" height="${hgt}"/>`;
    })
    .join('');
  const shown = pts.length < history.length ? `, the newest ${pts.length} drawn` : '';
  const label = `History of ${history.length} version${history.length === 1 ? '' : 's'}${shown}: bar height is the size of each change`;
  return `<svg class="spark" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${HEIGHT}" viewBox="0 0 ${width} ${HEIGHT}" role="img" aria-label="${escapeHtml(label)}" data-history="${escapeHtml(sparkData(history))}"><line class="base" x1="0" y1="${HEIGHT - 0.5}" x2="${width}" y2="${HEIGHT - 0.5}"/>${bars}</svg>`;
}
