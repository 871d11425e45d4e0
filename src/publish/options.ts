/**
 * Option checks for the publishers and the server: a bad option throws E_CONFIG naming the option,
 * the allowed range and the value received.
 */
import { WirediffError } from '../core/errors.js';

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return typeof value;
}

/** An integer option in [min, max]; `fallback` when undefined. */
export function checkInt(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new WirediffError(
      'E_CONFIG',
      `Expected \`${name}\` to be an integer from ${min} to ${max}, got ${show(value)} (${typeof value})`,
    );
  }
  return value;
}

/** An optional non-empty string option. */
export function checkOptionalString(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > 4096) {
    throw new WirediffError(
      'E_CONFIG',
      `Expected \`${name}\` to be a non-empty string of at most 4096 characters, got ${show(value)}`,
    );
  }
  return value;
}

/** A required non-empty string option. */
export function checkString(name: string, value: unknown): string {
  const s = checkOptionalString(name, value);
  if (s === undefined)
    throw new WirediffError('E_CONFIG', `Expected \`${name}\` to be a non-empty string, got undefined`);
  return s;
}

/** An optional list of origins like `https://example.org` (scheme://host[:port], no path). */
export function checkOrigins(name: string, value: unknown): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    throw new WirediffError('E_CONFIG', `Expected \`${name}\` to be an array of origins, got ${show(value)}`);
  }
  for (const o of value) {
    if (typeof o !== 'string' || !/^https?:\/\/[^/\s]+$/.test(o)) {
      throw new WirediffError(
        'E_CONFIG',
        `Expected every entry of \`${name}\` to be an origin like "https://example.org" (no path), got ${show(o)}`,
      );
    }
  }
  return value as string[];
}
