/**
 * Durations in the config and on the command line: "30s", "15m", "2h", "1d", "1w", "250ms" or a number of
 * milliseconds; parsed, formatted, and checked by the config schema (`duration`).
 */
import { z } from 'zod';

const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/** Parses `"15m"`-style durations into milliseconds; undefined when the text is not one. */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)\s*$/.exec(text);
  if (!m) return undefined;
  const unit = DURATION_UNITS[m[2]!];
  if (unit === undefined) return undefined;
  return Math.round(Number(m[1]) * unit);
}

/** Formats milliseconds as the largest whole unit: 300000 → "5m". */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [
    ['w', DURATION_UNITS.w!],
    ['d', DURATION_UNITS.d!],
    ['h', DURATION_UNITS.h!],
    ['m', DURATION_UNITS.m!],
    ['s', DURATION_UNITS.s!],
  ] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/** A config duration: a positive number of milliseconds, or text `parseDuration` reads; validated to milliseconds. */
export const duration = z
  .union([z.number(), z.string()])
  .superRefine((v, ctx) => {
    const ms = typeof v === 'number' ? v : parseDuration(v);
    if (ms === undefined || !Number.isFinite(ms) || ms <= 0) {
      ctx.addIssue({
        code: 'custom',
        message: 'expected a positive duration like "30s", "15m", "2h", "1d" or a number of milliseconds',
        input: v,
      });
    }
  })
  .transform((v) => (typeof v === 'number' ? v : parseDuration(v)!));
