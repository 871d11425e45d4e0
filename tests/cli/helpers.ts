/**
 * Shared pieces of the CLI tests: a captured CliContext, temp folders, the AP fixtures, a silent logger.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { pino, type Logger } from 'pino';
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

export async function tempDir(prefix = 'wirediff-cli-'): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/** Waits until `check` returns a value (polling a condition, not asserting on time). */
export async function until<T>(
  check: () => Promise<T | undefined> | T | undefined,
  what: string,
  limitMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
