/**
 * Small, deterministic formatting helpers shared by the viewer's pages: times, sizes, kind badges.
 * No locale or clock is read here: the time "now" is passed in, and every output is in UTC.
 */
import type { ChangeKind } from '../../../core/model/changeset.js';
import { KIND_WORDS } from '../../../core/model/kinds.js';
import { html, type SafeHtml } from './html.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `25 Nov 2026, 02:50 UTC` (`02:50:07 UTC` with `seconds`), or the input itself when it is not a date. */
export function formatTime(iso: string, seconds = false): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const s = seconds ? `:${pad(d.getUTCSeconds())}` : '';
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}${s} UTC`;
}

/** Versions closer in time than this get their times with seconds (minutes alone would hide their order). */
export const SECONDS_WITHIN_MS = 3_600_000;

/** True when two times are less than `SECONDS_WITHIN_MS` apart (false when either is not a date). */
export function closeInTime(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  const d = Math.abs(Date.parse(a) - Date.parse(b));
  return Number.isFinite(d) && d < SECONDS_WITHIN_MS;
}

/** `just now`, `5 min ago`, `3 h ago`, `2 days ago` (empty when either time is unusable or in the future by far). */
export function formatAgo(iso: string, nowMs: number): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const s = Math.round((nowMs - t) / 1000);
  if (s < -60) return '';
  if (s < 60) return 'just now';
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ago`;
  const days = Math.floor(h / 24);
  return `${days} days ago`;
}

/**
 * A `<time>` element with the machine-readable instant and, when `nowMs` is given, a relative hint; with `seconds`,
 * the time shows its seconds.
 */
export function timeHtml(iso: string, nowMs?: number, seconds = false): SafeHtml {
  const ago = nowMs === undefined ? '' : formatAgo(iso, nowMs);
  const hint = ago !== '' && html` <span class="ago">(${ago})</span>`;
  return html`<time datetime="${iso}">${formatTime(iso, seconds)}</time>${hint}`;
}

/** `512 B`, `3.4 KB`, `1.2 MB`. */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/** A symbol and a label for each kind of change: never colour alone (the words match the core renderers'). */
export const KIND_LABELS: Readonly<Record<ChangeKind, { readonly symbol: string; readonly label: string }>> =
  KIND_WORDS;

function kindInfo(kind: string): { symbol: string; label: string; cls: string } {
  const known = (KIND_LABELS as Record<string, { symbol: string; label: string } | undefined>)[kind];
  if (known !== undefined) return { ...known, cls: kind };
  return { symbol: '?', label: kind, cls: 'other' };
}

/** The kind badge: `<span class="kind kind-breaking-update"><span aria-hidden="true">⚡</span> Breaking update</span>`. */
export function kindBadge(kind: string): SafeHtml {
  const k = kindInfo(kind);
  return html`<span class="kind kind-${k.cls}"><span class="sym" aria-hidden="true">${k.symbol}</span> ${k.label}</span>`;
}
