/**
 * The one deadline of a fetch (DNS, connect, headers and body across every redirect) joined with the caller's abort
 * signal: one signal that aborts with `E_FETCH_TIMEOUT` or `E_FETCH`.
 */
import { WirediffError } from '../core/errors.js';

export interface Deadline {
  readonly signal: AbortSignal;
  /** Stops the timer and lets go of the caller's signal. */
  dispose(): void;
}

/**
 * Starts the deadline of a fetch of `url`. `where` names the URL being fetched at the time (after redirects), for the
 * error messages.
 *
 * @throws WirediffError `E_FETCH` when the caller's signal is already aborted.
 */
export function startDeadline(
  url: string,
  timeoutMs: number,
  external: AbortSignal | undefined,
  where: () => string,
): Deadline {
  if (external?.aborted === true) {
    throw new WirediffError('E_FETCH', `${url}: fetch aborted before it started`, { cause: external.reason });
  }
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort(
      new WirediffError('E_FETCH_TIMEOUT', `${where()}: no complete response within timeoutMs (${timeoutMs} ms)`),
    );
  }, timeoutMs);
  const onExternalAbort = (): void => {
    controller.abort(new WirediffError('E_FETCH', `${where()}: fetch aborted`, { cause: external?.reason }));
  };
  external?.addEventListener('abort', onExternalAbort, { once: true });
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      external?.removeEventListener('abort', onExternalAbort);
    },
  };
}
