/**
 * What the end-to-end test needs to drive the real thing: the BUILT `wirediff` (dist/src/cli/main.js) as a child
 * process, its JSON log lines, a real `ws` client of `/live`, and bounded waits that fail with a clear message.
 * Nothing here imports the product's runtime code: the child process is the product under test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import type { EventMessage, ServerMessage } from '../../src/publish/live/live-protocol.js';
import { until } from '../support/wait.js';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, '../..');
export const FIXTURES = join(ROOT, 'tests/fixtures');
export const ARTIFACTS = join(ROOT, 'tests/artifacts/e2e');
/** The built CLI: what `npm start` and the `wirediff` bin run. */
export const MAIN = join(ROOT, 'dist/src/cli/main.js');

/**
 * Polls `check` until it returns something other than undefined/false, or fails after `timeoutMs` (default 30 s)
 * with `what` and the last state `describe` gives; errors `check` throws are retried (the last one is reported).
 * `until` (tests/support/wait.ts) with the end-to-end defaults: never a timed assertion.
 */
export function waitUntil<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  options: { timeoutMs?: number; intervalMs?: number; describe?: () => string } = {},
): Promise<T> {
  const { timeoutMs = 30_000, ...rest } = options;
  return until(check, what, { ...rest, limitMs: timeoutMs, retryErrors: true });
}

// ------------------------------------------------------------------------------------------------ the build

async function newestMtime(dir: string, ext: string): Promise<{ file: string; mtimeMs: number }> {
  let newest = { file: '', mtimeMs: 0 };
  for (const rel of await fs.readdir(dir, { recursive: true })) {
    if (!rel.endsWith(ext)) continue;
    const st = await fs.stat(join(dir, rel));
    if (st.mtimeMs > newest.mtimeMs) newest = { file: rel, mtimeMs: st.mtimeMs };
  }
  return newest;
}

/**
 * Makes sure dist/ holds a build at least as new as src/: when dist/src/cli/main.js is missing or older than the
 * newest src/**\/*.ts, runs `tsc -b` on both projects (what `npm run build` does). Type errors elsewhere do not stop tsc from
 * emitting; they are reported, and the test goes on with what was emitted.
 */
export async function ensureBuilt(): Promise<{ built: boolean; note: string }> {
  const src = await newestMtime(join(ROOT, 'src'), '.ts');
  const dist = await fs.stat(MAIN).catch(() => undefined);
  if (dist !== undefined && dist.mtimeMs >= src.mtimeMs) return { built: false, note: 'dist is current' };
  const why = dist === undefined ? `${MAIN} is missing` : `src/${src.file} is newer than ${MAIN}`;
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  const out: string[] = [];
  const code = await new Promise<number | null>((done, fail) => {
    const child = spawn(process.execPath, [tsc, '-b', 'tsconfig.json', 'src/http/viewer/client/tsconfig.json'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (b: Buffer) => out.push(b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => out.push(b.toString('utf8')));
    child.on('error', fail);
    child.on('exit', (c) => done(c));
  });
  const after = await fs.stat(MAIN).catch(() => undefined);
  if (after === undefined) {
    throw new Error(
      `building wirediff failed (${why}; tsc exited ${code}), no ${MAIN}:\n${out.join('').slice(0, 4000)}`,
    );
  }
  return {
    built: true,
    note: `${why}: rebuilt with tsc (exit ${code})${code === 0 ? '' : `\n${out.join('').slice(0, 2000)}`}`,
  };
}

// ------------------------------------------------------------------------------------------------ the process

export interface LogLine {
  readonly level?: number;
  readonly msg?: string;
  readonly [key: string]: unknown;
}

export interface RunningWirediff {
  readonly child: ChildProcess;
  /** `http://127.0.0.1:PORT`, read from the "serving on" log line. */
  readonly url: string;
  /** Every JSON log line so far (stdout), in order. */
  readonly logs: LogLine[];
  /** stdout lines that were not JSON (there should be none when stdout is not a terminal). */
  readonly otherStdout: string[];
  readonly stderr: string[];
  /** Sends SIGTERM and waits (bounded) for the exit; resolves with the exit code, signal and time taken. */
  stop(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
  /** SIGKILL if still running (for afterAll, whatever happened). */
  kill(): void;
  /** The last lines of the logs and stderr, for failure messages. */
  tail(): string;
}

/** Starts `node dist/src/cli/main.js watch --serve --config <config>` and waits for its "serving on" line. */
export async function startWirediff(config: string, cwd: string): Promise<RunningWirediff> {
  const child = spawn(process.execPath, [MAIN, 'watch', '--serve', '--config', config], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  const logs: LogLine[] = [];
  const otherStdout: string[] = [];
  const stderr: string[] = [];
  let exit: { code: number | null; signal: NodeJS.Signals | null; at: number } | undefined;
  let pending = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    pending += chunk;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (line.trim() === '') continue;
      try {
        logs.push(JSON.parse(line) as LogLine);
      } catch {
        otherStdout.push(line);
      }
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => stderr.push(chunk));
  child.on('exit', (code, signal) => {
    exit = { code, signal, at: Date.now() };
  });
  const tail = (): string =>
    [
      '--- last log lines:',
      ...logs.slice(-15).map((l) => JSON.stringify(l)),
      ...otherStdout.slice(-5),
      '--- stderr:',
      stderr.join('').slice(-2000),
      exit ? `--- exited: code ${exit.code}, signal ${exit.signal}` : '--- still running',
    ].join('\n');
  let url: string;
  try {
    url = await waitUntil(
      'the "serving on http://…" log line',
      () => {
        if (exit) throw new Error(`wirediff exited (code ${exit.code}, signal ${exit.signal}) before serving`);
        for (const l of logs) {
          const m = /^serving on (http:\/\/\S+)$/.exec(l.msg ?? '');
          if (m) return m[1]!;
        }
        return undefined;
      },
      { timeoutMs: 45_000, describe: tail },
    );
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    child,
    url,
    logs,
    otherStdout,
    stderr,
    tail,
    async stop(timeoutMs = 30_000) {
      const sentAt = Date.now();
      if (!exit) child.kill('SIGTERM');
      const done = await waitUntil('wirediff to exit after SIGTERM', () => exit, { timeoutMs, describe: tail });
      return { code: done.code, signal: done.signal, ms: Math.max(0, done.at - sentAt) };
    },
    kill() {
      if (!exit && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** Writes `text` to `dir/name` atomically: a hidden temp file in the same folder, then a rename. */
export async function writeAtomically(dir: string, name: string, text: string): Promise<void> {
  const tmp = join(dir, `.${name}.${process.pid}.tmp`);
  await fs.writeFile(tmp, text, 'utf8');
  await fs.rename(tmp, join(dir, name));
}

// ------------------------------------------------------------------------------------------------ /live

/** A real `ws` client of `/live` that records every message it gets. */
export class LiveClient {
  readonly messages: ServerMessage[] = [];
  closed: { code: number; reason: string } | undefined;
  readonly errors: string[] = [];

  private constructor(
    private readonly ws: WebSocket,
    readonly label: string,
  ) {
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        this.errors.push('a binary frame');
        return;
      }
      const text = Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
      this.messages.push(JSON.parse(text) as ServerMessage);
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString('utf8') };
    });
    ws.on('error', (err) => this.errors.push(err.message));
  }

  /** Connects to `<url>/live`, subscribes to every article (from `since` when given). */
  static async connect(httpUrl: string, label: string, since?: number): Promise<LiveClient> {
    const ws = new WebSocket(`${httpUrl.replace(/^http/, 'ws')}/live`);
    const client = new LiveClient(ws, label);
    await new Promise<void>((ok, fail) => {
      ws.once('open', () => ok());
      ws.once('error', fail);
    });
    ws.send(
      JSON.stringify(
        since === undefined ? { type: 'subscribe', articles: '*' } : { type: 'subscribe', articles: '*', since },
      ),
    );
    return client;
  }

  events(): EventMessage[] {
    return this.messages.filter((m): m is EventMessage => m.type === 'event');
  }

  describe(): string {
    return `${this.label}: ${this.messages.length} messages: ${this.messages
      .map((m) => (m.type === 'event' ? `event#${m.id}(${m.article} v${m.version} ${m.kind})` : m.type))
      .join(', ')}${this.closed ? `; closed ${this.closed.code} ${this.closed.reason}` : ''}${
      this.errors.length > 0 ? `; errors: ${this.errors.join('; ')}` : ''
    }`;
  }

  /** Waits until a message satisfies `pred`; returns it. */
  waitFor<M extends ServerMessage>(what: string, pred: (m: ServerMessage) => m is M, timeoutMs = 30_000): Promise<M> {
    return waitUntil(`${this.label} to receive ${what}`, () => this.messages.find(pred), {
      timeoutMs,
      describe: () => this.describe(),
    });
  }

  /** Waits for the event of version `version` of `article`. */
  waitForEvent(article: string, version: number, timeoutMs = 60_000): Promise<EventMessage> {
    return this.waitFor(
      `the event of ${article} v${version}`,
      (m): m is EventMessage => m.type === 'event' && m.article === article && m.version === version,
      timeoutMs,
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    const ws = this.ws;
    if (ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((done) => {
      ws.once('close', () => done());
      ws.close(1000, 'bye');
    });
  }

  /** Ends the TCP connection at once (for afterAll). */
  terminate(): void {
    this.ws.terminate();
  }
}
