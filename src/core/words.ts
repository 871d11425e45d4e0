/**
 * Small word helpers shared by the classifier's summaries and the renderers, so a count or a clipped quote reads the
 * same everywhere.
 */

/** "1 paragraph", "3 paragraphs"; `many` for a plural that is not `one` + "s". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `s` with its white space folded, cut to at most `max` code points (an ellipsis marks the cut). */
export function clip(s: string, max: number): string {
  const cps = [...s.replace(/\s+/g, ' ').trim()];
  return cps.length <= max
    ? cps.join('')
    : `${cps
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}
