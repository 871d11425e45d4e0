/**
 * Finding wirediff's own folder (the one holding its package.json), by walking up from this file: works from src/
 * (tests, tsx) and from dist/src/ (the built CLI).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The package root as a path, or undefined when no package.json named wirediff is found within `levels` levels. */
export function findPackageRoot(from: string | URL = import.meta.url, levels = 6): string | undefined {
  let url = new URL('.//', from);
  for (let i = 0; i < levels; i++) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', url), 'utf8')) as { name?: unknown };
      if (pkg.name === 'wirediff') return fileURLToPath(url).replace(/[\\/]$/, '');
    } catch {
      // not here: one level up
    }
    const up = new URL('../', url);
    if (up.href === url.href) break;
    url = up;
  }
  return undefined;
}
