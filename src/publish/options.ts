/**
 * Option checks for the publishers and the server: a bad option throws E_CONFIG naming the option,
 * the allowed range and the value received (see core/expect.ts).
 */
import { checkInt as checkIntOption, checkString as checkStringOption, expectationError } from '../core/expect.js';

const AS_CONFIG = { code: 'E_CONFIG' } as const;

/** An integer option in [min, max]; `fallback` when undefined. */
export function checkInt(name: string, value: unknown, fallback: number, min: number, max: number): number {
  return checkIntOption(name, value, min, max, { ...AS_CONFIG, fallback });
}

/** An optional non-empty string option. */
export function checkOptionalString(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return checkStringOption(name, value, { ...AS_CONFIG, minLength: 1, maxLength: 4096 });
}

/** A required non-empty string option. */
export function checkString(name: string, value: unknown): string {
  return checkStringOption(name, value, { ...AS_CONFIG, minLength: 1, maxLength: 4096 });
}

/** An optional list of origins like `https://example.org` (scheme://host[:port], no path). */
export function checkOrigins(name: string, value: unknown): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw expectationError(name, 'an array of origins', value, AS_CONFIG);
  value.forEach((o: unknown, i) => {
    if (typeof o !== 'string' || !/^https?:\/\/[^/\s]+$/.test(o)) {
      throw expectationError(`${name}[${i}]`, 'an origin like "https://example.org" (no path)', o, AS_CONFIG);
    }
  });
  return value as string[];
}
