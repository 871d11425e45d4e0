/**
 * Values read from paths and queries that the API and the viewer share.
 */

const VERSION_PATTERN = /^[1-9][0-9]{0,8}$/;

/** The largest version number an address may name. */
export const MAX_VERSION = 999_999_999;

/** A 1-based version number from a path segment or query value (1 to `MAX_VERSION`, no sign, no leading zero). */
export function versionNumber(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || !VERSION_PATTERN.test(value)) return undefined;
  return Number(value);
}
