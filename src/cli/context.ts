/**
 * What every CLI command is handed: where to write, whether to colour, where it runs, and how it ends.
 * `cli/` is the only place that reads argv, the environment and config files; it passes what it read
 * into the rest of the code as plain options.
 */
import { readFileSync } from 'node:fs';

export interface Output {
  write(chunk: string): void;
  readonly isTTY: boolean;
}

export interface CliContext {
  readonly stdout: Output;
  readonly stderr: Output;
  readonly stdin: NodeJS.ReadableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** The process's exit code when the command ends (commands set it; `main` exits with it). */
  exitCode: number;
}

/** Exit codes, as for diff(1): 0 no change / success, 1 changed, 2 trouble. */
export const EXIT = { ok: 0, changed: 1, trouble: 2 } as const;

/**
 * Colour on a TTY, off elsewhere; `NO_COLOR` (any value) turns it off and `FORCE_COLOR` (not `0`) turns it on,
 * per no-color.org and the FORCE_COLOR convention. An explicit `--color`/`--no-color` wins over both.
 */
export function wantsColor(out: Output, env: CliContext['env'], flag?: boolean): boolean {
  if (flag !== undefined) return flag;
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force !== 'false';
  return out.isTTY;
}

/** The context of the running process. */
export function processContext(): CliContext {
  return {
    stdout: { write: (s) => void process.stdout.write(s), isTTY: process.stdout.isTTY === true },
    stderr: { write: (s) => void process.stderr.write(s), isTTY: process.stderr.isTTY === true },
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    exitCode: 0,
  };
}

let cachedVersion: string | undefined;

/** wirediff's own version, from its package.json (found by walking up from this file: works from src/ and dist/). */
export function packageVersion(): string {
  if (cachedVersion !== undefined) return cachedVersion;
  for (let url = new URL('./package.json', import.meta.url), i = 0; i < 5; i++, url = new URL('../package.json', url)) {
    try {
      const pkg = JSON.parse(readFileSync(url, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'wirediff' && typeof pkg.version === 'string') return (cachedVersion = pkg.version);
    } catch {
      // not here: one level up
    }
  }
  return (cachedVersion = '0.0.0');
}
