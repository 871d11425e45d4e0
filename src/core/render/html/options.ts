/** The checks of the HTML renderers' options (diff, article and feed item): each bad value is an `E_USAGE` error naming the function and option. */
import { WirediffError } from '../../errors.js';
import { checkInt as checkIntOption } from '../../expect.js';
import type { ParagraphRun } from '../layout.js';

export type DiffView = 'inline' | 'side-by-side';

export function checkView(fn: string, view: unknown): DiffView {
  if (view !== 'inline' && view !== 'side-by-side') {
    throw new WirediffError(
      'E_USAGE',
      `${fn}: option "view" must be 'inline' or 'side-by-side', received ${JSON.stringify(view)}`,
    );
  }
  return view;
}

const ID_PREFIX = /^(?:[A-Za-z][A-Za-z0-9_-]*)?$/;

export function checkIdPrefix(fn: string, prefix: string | undefined): string {
  const p = prefix ?? '';
  if (typeof p !== 'string' || p.length > 64 || !ID_PREFIX.test(p)) {
    throw new WirediffError(
      'E_USAGE',
      `${fn}: option "idPrefix" must be '' or up to 64 letters, digits, '-' or '_' starting with a letter, received ${JSON.stringify(p)}`,
    );
  }
  return p;
}

/** An integer option from `min` to `max`, `dflt` when absent. */
export function checkInt(
  fn: string,
  name: string,
  value: number | undefined,
  min: number,
  max: number,
  dflt: number,
): number {
  return checkIntOption(name, value ?? dflt, min, max, { where: fn });
}

export function checkRuns(fn: string, name: string, runs: readonly ParagraphRun[]): readonly ParagraphRun[] {
  const list: readonly unknown[] = Array.isArray(runs) ? (runs as readonly unknown[]) : [];
  if (list !== runs || list.length > 1000) {
    throw new WirediffError('E_USAGE', `${fn}: option "${name}" must be an array of at most 1000 runs`);
  }
  for (const r of list) {
    const run = (typeof r === 'object' && r !== null ? r : {}) as Partial<Record<'start' | 'count', unknown>>;
    const { start, count } = run;
    const ok =
      typeof start === 'number' &&
      typeof count === 'number' &&
      Number.isSafeInteger(start) &&
      Number.isSafeInteger(count) &&
      start >= 0 &&
      count >= 1;
    if (!ok) {
      throw new WirediffError(
        'E_USAGE',
        `${fn}: option "${name}" must hold runs {start ≥ 0, count ≥ 1} (integers), received ${JSON.stringify(r)}`,
      );
    }
  }
  return runs;
}
