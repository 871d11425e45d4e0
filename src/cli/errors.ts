/**
 * Turning a fault into one clear line for a person, and an exit code.
 */
import { isWirediffError } from '../core/errors.js';
import { fileErrorWords } from '../lib/file-errors.js';

/**
 * One line: what went wrong, and (where known) what to do. Never a stack trace. A file-system error that names its
 * path is said in plain words ("no such file: PATH", "permission denied: PATH", "PATH is a folder, not a file").
 */
export function describeError(err: unknown): string {
  const hint = listenHint(err);
  if (hint !== undefined) return `${err instanceof Error ? err.message : String(err)}; ${hint}`;
  if (isWirediffError(err)) return err.message;
  if (err instanceof Error) {
    const { code, path } = err as NodeJS.ErrnoException;
    const words = path !== undefined ? fileErrorWords(path, code) : undefined;
    if (words !== undefined) return words;
    return code !== undefined ? `${err.message} (${code})` : err.message;
  }
  return String(err);
}

/** What to do when the server cannot listen: the port is taken, or needs privileges. */
function listenHint(err: unknown): string | undefined {
  const listen = [err, err instanceof Error ? err.cause : undefined].find(
    (e): e is NodeJS.ErrnoException => e instanceof Error && (e as NodeJS.ErrnoException).syscall === 'listen',
  );
  if (listen?.code === 'EADDRINUSE') {
    return (
      'that port is already in use (another wirediff or another server?): pick another one with --port ' +
      '(e.g. --port 8081, or --port 0 for any free port) or set server.port in the config'
    );
  }
  if (listen?.code === 'EACCES') {
    return 'ports below 1024 need privileges: pick a port from 1024 up with --port, or set server.port in the config';
  }
  return undefined;
}
