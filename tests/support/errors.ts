/** Checking how a promise fails. */
import { expect } from 'vitest';
import { isWirediffError } from '../../src/core/errors.js';

/** What `p` rejects with, or undefined when it resolves. */
export function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (e: unknown) => e,
  );
}

/** Expects `p` to reject with a WirediffError of `code`. */
export async function rejectsWith(p: Promise<unknown>, code: string): Promise<void> {
  const err = await failure(p);
  expect(isWirediffError(err) ? err.code : err).toBe(code);
}
