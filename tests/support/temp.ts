/** Temp folders for tests: each test makes its own (tests run in parallel) and removes it afterwards. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';

export interface TempDir {
  readonly dir: string;
  /** Removes the folder and everything in it. */
  readonly cleanup: () => Promise<void>;
}

/** A fresh, empty folder under the OS temp folder; call `cleanup` when done. */
export async function tempDir(prefix = 'wirediff-test-'): Promise<TempDir> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Registers hooks that give every test of the file (or `describe`) a fresh folder, `.dir`, removed after it. */
export function tempDirEach(prefix?: string): { readonly dir: string } {
  let current: TempDir | undefined;
  beforeEach(async () => {
    current = await tempDir(prefix);
  });
  afterEach(async () => {
    await current?.cleanup();
    current = undefined;
  });
  return {
    get dir(): string {
      if (current === undefined) throw new Error('tempDirEach: .dir is only there while a test runs');
      return current.dir;
    },
  };
}
