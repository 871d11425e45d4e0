/**
 * Turning a fault into one clear line for a person, and an exit code.
 */
import { isWirediffError } from '../core/errors.js';

/** One line: what went wrong, and (where known) what to do. Never a stack trace. */
export function describeError(err: unknown): string {
  if (isWirediffError(err)) return err.message;
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return code !== undefined ? `${err.message} (${code})` : err.message;
  }
  return String(err);
}
