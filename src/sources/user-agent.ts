/**
 * The User-Agent wirediff sends: `wirediff/<version> (+https://github.com/wirediff/wirediff)`.
 * The version is read once from the package's own package.json (found by walking up from this file).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_URL = 'https://github.com/wirediff/wirediff';

let cachedVersion: string | undefined;

/** The wirediff package version, or `0.0.0` when package.json cannot be found. */
export function wirediffVersion(): string {
  if (cachedVersion !== undefined) return cachedVersion;
  cachedVersion = '0.0.0';
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (pkg.name === 'wirediff' && typeof pkg.version === 'string') {
        cachedVersion = pkg.version;
        break;
      }
    } catch {
      // not here: keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return cachedVersion;
}

export function defaultUserAgent(): string {
  return `wirediff/${wirediffVersion()} (+${PROJECT_URL})`;
}
