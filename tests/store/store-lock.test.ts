/**
 * The writer lock under a real race: many child processes, all started and loaded first, then told at once to open
 * the same store for writing, over a lock file left by a dead process (the case that let two writers in). Exactly
 * one may get it in every round; the others are refused with E_STORE_LOCKED; and a holder that dies (SIGKILL) frees it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWirediffError } from '../../src/core/errors.js';
import { openFileStore } from '../../src/store/open.js';
import { transpileForChild } from './transpile-for-child.js';
import { tempDir } from '../support/temp.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const RACERS = 8;
const ROUNDS = 3;

let work: { dir: string; cleanup: () => Promise<void> };
let racerJs: string;

beforeAll(async () => {
  work = await tempDir('wirediff-lock-');
  racerJs = await transpileForChild(join(ROOT, 'tests/store/lock-racer.ts'), ROOT, join(work.dir, 'build'));
});
afterAll(async () => {
  await work.cleanup();
});

interface Racer {
  readonly child: ChildProcess;
  /** Resolves with each line the child prints, in order. */
  next(): Promise<string>;
}

function startRacer(dir: string): Racer {
  const child = spawn(process.execPath, [racerJs, dir], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let buf = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buf += chunk;
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      const w = waiting.shift();
      if (w) w(line);
      else lines.push(line);
    }
  });
  return {
    child,
    next: () => {
      const line = lines.shift();
      return line !== undefined ? Promise.resolve(line) : new Promise((r) => waiting.push(r));
    },
  };
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => child.once('exit', () => r()));
}

function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout);
}

describe('store lock', () => {
  it(`lets exactly one of ${RACERS} racing processes write, round after round, over a stale or empty lock`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const dir = join(work.dir, `store-${round}`);
      // A lock left by a process that is gone (odd rounds: an empty lock file, as its creator leaves it at first).
      await openFileStore({ dir }).then((fs) => fs.close());
      if (round > 0) await writeFile(join(dir, 'lock'), round % 2 === 0 ? `${deadPid()}\n` : '');
      const racers = Array.from({ length: RACERS }, () => startRacer(dir));
      for (const r of racers) expect(await r.next()).toBe('READY');
      for (const r of racers) r.child.stdin!.write('go\n');
      const answers = await Promise.all(racers.map((r) => r.next()));
      const winners = racers.filter((_, i) => answers[i] === 'GOT');
      expect(answers.filter((a) => a === 'GOT')).toHaveLength(1);
      expect(answers.filter((a) => a === 'REFUSED E_STORE_LOCKED')).toHaveLength(RACERS - 1);
      // While the winner holds it, this process is refused too, naming the holder's pid.
      const err = await openFileStore({ dir }).then(
        (fs) => fs.close().then(() => undefined),
        (e: unknown) => e,
      );
      expect(isWirediffError(err, 'E_STORE_LOCKED')).toBe(true);
      expect((err as Error).message).toContain(`pid ${winners[0]!.child.pid}`);
      // The winner dies without closing: the kernel frees the lock, the next opener gets it at once.
      winners[0]!.child.kill('SIGKILL');
      for (const r of racers) r.child.stdin!.end();
      await Promise.all(racers.map((r) => exited(r.child)));
      const fs = await openFileStore({ dir });
      expect((await readFile(join(dir, 'lock'), 'utf8')).trim()).toBe(String(process.pid));
      await fs.close();
    }
  }, 120_000);

  it('refuses a second writer in the same process and frees the lock on close', async () => {
    const dir = join(work.dir, 'same-process');
    const first = await openFileStore({ dir });
    const err = await openFileStore({ dir }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isWirediffError(err, 'E_STORE_LOCKED')).toBe(true);
    expect((err as Error).message).toMatch(/this process/);
    await first.close();
    const again = await openFileStore({ dir });
    await again.close();
  });
});
