/**
 * Turning a fault into one clear line for a person, and an exit code.
 */
import { isWirediffError } from '../core/errors.js';
import { fileErrorWords } from '../sources/file.js';

/**
 * One line: what went wrong, and (where known) what to do. Never a stack trace. A file-system error that names its
 * path is said in plain words ("no such file: PATH", "permission denied: PATH", "PATH is a folder, not a file").
 */
export function describeError(err: unknown): string {
  if (isWirediffError(err)) return err.message;
  if (err instanceof Error) {
    const { code, path } = err as NodeJS.ErrnoException;
    const words = path !== undefined ? fileErrorWords(path, code) : undefined;
    if (words !== undefined) return words;
    return code !== undefined ? `${err.message} (${code})` : err.message;
  }
  return String(err);
}
