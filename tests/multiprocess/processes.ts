/**
 * Real `wirediff` child processes for the multi-process tests (the built CLI, dist/src/cli/main.js: `npm run build`
 * first, as `npm ci` does). Each is started in its own folder with its own config and JSON logs on stdout.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const MAIN = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

export interface Child {
  readonly name: string;
  readonly proc: ChildProcess;
  /** JSON log lines parsed so far (lines that are not JSON are kept as `{ msg }`). */
  readonly logs: Record<string, unknown>[];
  /** Resolves with the first log line `pred` accepts. */
  waitForLog(pred: (line: Record<string, unknown>) => boolean, what: string): Promise<Record<string, unknown>>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): void;
}

export function startChild(name: string, args: string[], cwd: string, env: Record<string, string>): Child {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" first`);
  const proc = spawn(process.execPath, [MAIN, ...args], {
    cwd,
    env: { ...process.env, ...env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const waiters = new Set<{
    pred: (l: Record<string, unknown>) => boolean;
    resolve: (l: Record<string, unknown>) => void;
  }>();
  let buffered = '';
  let stderr = '';
  const onLine = (line: string): void => {
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(line) as Record<string, unknown>;
    } catch {
      parsed = { msg: line };
    }
    logs.push(parsed);
    for (const w of [...waiters]) {
      if (w.pred(parsed)) {
        waiters.delete(w);
        w.resolve(parsed);
      }
    }
  };
  proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      onLine(buffered.slice(0, nl));
      buffered = buffered.slice(nl + 1);
    }
  });
  proc.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    name,
    proc,
    logs,
    exited,
    waitForLog(pred, what) {
      const found = logs.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        waiters.add({ pred, resolve });
        void exited.then(({ code, signal }) =>
          reject(new Error(`${name} exited (${code ?? signal}) before ${what}; stderr: ${stderr.slice(-2000)}`)),
        );
      });
    },
    kill(signal = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    },
  };
}

/** The URL a `serve` / `watch --serve` child logged ("serving on URL"). */
export async function servingUrl(child: Child): Promise<string> {
  const line = await child.waitForLog(
    (l) => typeof l['msg'] === 'string' && l['msg'].startsWith('serving on '),
    'it served',
  );
  return String(line['msg']).slice('serving on '.length);
}
