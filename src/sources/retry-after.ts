/**
 * `Retry-After` (RFC 9110 §10.2.3): either delay-seconds or an HTTP date. Pure: the current time is passed in.
 */

/** Milliseconds to wait, or undefined when the header is absent or unparseable. Never negative. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+$/.test(trimmed)) {
    const seconds = Number(trimmed);
    return Number.isSafeInteger(seconds * 1000) ? seconds * 1000 : undefined;
  }
  // Only accept something that looks like an HTTP date (IMF-fixdate, RFC 850 or asctime), not any Date.parse input.
  if (!/[A-Za-z]{3}/.test(trimmed) || !/\d{1,2}:\d{2}:\d{2}/.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
