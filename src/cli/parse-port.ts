/**
 * The `--port` flag of `serve` and `watch --serve`: a whole number from 0 (any free port) to 65535.
 */
import { WirediffError } from '../core/errors.js';

export function parsePort(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65535)
    throw new WirediffError('E_USAGE', `--port: expected a whole number from 0 to 65535, got "${text}"`);
  return n;
}
