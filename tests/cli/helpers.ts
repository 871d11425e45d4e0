/**
 * Shared pieces of the CLI tests: a captured CliContext and the AP fixtures.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { CliContext } from '../../src/cli/context.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const AP_DIR = path.join(FIXTURES, 'ap-syria');
export const AP_FILES = ['v1.txt', 'v2.txt', 'v3.txt', 'v4.txt'].map((f) => path.join(AP_DIR, f));

export async function apTexts(): Promise<Buffer[]> {
  return Promise.all(AP_FILES.map((f) => readFile(f)));
}

export type CapturedContext = CliContext & {
  readonly out: string[];
  readonly err: string[];
  stdoutText(): string;
  stderrText(): string;
};

export function captureContext(
  cwd: string,
  opts: { stdin?: NodeJS.ReadableStream; tty?: boolean; env?: Record<string, string> } = {},
): CapturedContext {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdoutText: () => out.join(''),
    stderrText: () => err.join(''),
    stdout: { write: (s) => void out.push(s), isTTY: opts.tty === true },
    stderr: { write: (s) => void err.push(s), isTTY: opts.tty === true },
    stdin: opts.stdin ?? Readable.from([]),
    env: opts.env ?? {},
    cwd,
    exitCode: 0,
  };
}
