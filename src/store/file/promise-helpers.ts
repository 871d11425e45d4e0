/** Small helpers so that every interface method reports faults as a rejected promise, never a synchronous throw. */
import { WirediffError } from '../../core/errors.js';

export function rejected(err: unknown): Promise<never> {
  return Promise.reject(err instanceof Error ? err : new Error(String(err)));
}

/** Runs `fn` now and wraps its result (or its throw) in a promise. */
export function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return rejected(err);
  }
}

/** Rethrows a `WirediffError` as it is and anything else (a file-system fault) as `E_IO` naming `what`. */
export function asStoreFault(what: string): (err: unknown) => never {
  return (err: unknown) => {
    if (err instanceof WirediffError) throw err;
    throw new WirediffError('E_IO', `${what} failed: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  };
}
