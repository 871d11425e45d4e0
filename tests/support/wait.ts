/**
 * Waiting for a condition in tests. The bound is generous and only stops a broken run from hanging: it is never a
 * timed assertion (speed belongs in the bench).
 */

export interface UntilOptions {
  /** How long to keep polling before giving up. Default 20 s. */
  readonly limitMs?: number;
  /** The pause between polls. Default 25 ms. */
  readonly intervalMs?: number;
  /** Keep polling when `check` throws (the last error goes into the failure). Default false: an error fails at once. */
  readonly retryErrors?: boolean;
  /** The state to print when giving up (e.g. the last log lines). */
  readonly describe?: () => string;
}

/**
 * Polls `check` until it returns a value other than undefined or false and returns that value; gives up after
 * `limitMs` with an error naming `what` it waited for.
 */
export async function until<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  options: UntilOptions = {},
): Promise<T> {
  const limitMs = options.limitMs ?? 20_000;
  const deadline = Date.now() + limitMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
      lastError = undefined;
    } catch (err) {
      if (options.retryErrors !== true) throw err;
      lastError = err;
    }
    if (Date.now() > deadline) {
      const state = options.describe?.() ?? '';
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`gave up after ${limitMs} ms waiting for ${what}${cause}${state === '' ? '' : `\n${state}`}`);
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 25));
  }
}
