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

/** What an operator must know first about a file-system fault: its cause in words, by its errno code. */
const CAUSES: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk is full (ENOSPC)',
  EDQUOT: 'the disk quota is used up (EDQUOT)',
  EROFS: 'the file system is read-only (EROFS)',
  EACCES: 'permission denied (EACCES)',
  EPERM: 'the operation is not permitted (EPERM)',
  EIO: 'a disk I/O error (EIO)',
  EMFILE: 'too many open files (EMFILE)',
  ENFILE: 'too many open files in the system (ENFILE)',
};

/** The errno code of a file-system fault found in `err` or its causes; undefined when there is none. */
export function ioCode(err: unknown): string | undefined {
  for (let e = err, depth = 0; e !== null && typeof e === 'object' && depth < 8; depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && !code.startsWith('E_')) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The cause of a file-system fault in words (`the disk is full (ENOSPC)`), else the error's own message. */
export function describeIoCause(err: unknown): string {
  const code = ioCode(err);
  if (code !== undefined && CAUSES[code] !== undefined) return CAUSES[code];
  return err instanceof Error ? err.message : String(err);
}

/**
 * Rethrows a `WirediffError` as it is and anything else (a file-system fault) as `E_IO` naming `what` and the cause
 * in words (a full disk, a read-only file system), then the system's message.
 */
export function asStoreFault(what: string): (err: unknown) => never {
  return (err: unknown) => {
    if (err instanceof WirediffError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    const cause = describeIoCause(err);
    throw new WirediffError('E_IO', `${what} failed: ${cause === message ? message : `${cause}: ${message}`}`, {
      cause: err,
    });
  };
}
