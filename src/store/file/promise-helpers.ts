/** Small helpers so that every interface method reports faults as a rejected promise, never a synchronous throw. */

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
