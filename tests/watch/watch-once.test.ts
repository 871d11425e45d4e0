/**
 * The two problems a new user met with `wirediff watch --once` (run from cron), through the real command:
 * same-named stories in two watched folders, and a held drastic change confirmed by the next run.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { Command } from 'commander';
import { expect, test } from 'vitest';
import { registerWatch } from '../../src/cli/commands/watch.js';
import type { CliContext } from '../../src/cli/context.js';
import { openFileStore } from '../../src/store/open.js';
import { story, storyText } from './helpers.js';
import { tempDirEach } from '../support/temp.js';

const tmp = tempDirEach('wirediff-once-');

/** `wirediff watch --once` in tmp.dir; its stdout. */
async function watchOnce(): Promise<string> {
  const out: string[] = [];
  const ctx: CliContext = {
    stdout: { write: (s) => void out.push(s), isTTY: false },
    stderr: { write: () => undefined, isTTY: false },
    stdin: Readable.from([]),
    env: {},
    cwd: tmp.dir,
    exitCode: 0,
  };
  const program = new Command('wirediff').exitOverride();
  registerWatch(program, ctx);
  await program.parseAsync(['watch', '--once', '--log-level', 'silent'], { from: 'user' });
  return out.join('');
}

async function config(sources: unknown[]): Promise<void> {
  await writeFile(path.join(tmp.dir, 'wirediff.config.json'), JSON.stringify({ sources }));
}

test('same-named stories in two folders: never one article, no flipping across runs', async () => {
  await config([
    { kind: 'dir', path: 'a' },
    { kind: 'dir', path: 'b' },
  ]);
  await mkdir(path.join(tmp.dir, 'a'));
  await mkdir(path.join(tmp.dir, 'b'));
  await writeFile(path.join(tmp.dir, 'a', 'story.txt'), storyText(story('Floods close the highway', 1, 6)));
  await writeFile(path.join(tmp.dir, 'b', 'story.txt'), storyText(story('The orchestra season', 1, 6, true)));
  const owner = path.join(tmp.dir, 'a', 'story.txt');
  const refused =
    `story: error - article id "story" is already watched at ${owner}; ` +
    "give one of them an explicit id (a file source's `id`) or rename it";
  const runs: string[][] = [];
  for (let i = 0; i < 3; i++) runs.push((await watchOnce()).trimEnd().split('\n'));
  expect(runs[0]).toEqual([expect.stringMatching(/^story: new-version v1 - /), refused]);
  expect(runs[1]).toEqual(['story: unchanged v1', refused]);
  expect(runs[2]).toEqual(['story: unchanged v1', refused]);
  const fs = await openFileStore({ dir: path.join(tmp.dir, 'snapshots'), readOnly: true });
  try {
    expect((await fs.store.listVersions('story')).map((v) => v.origin.location)).toEqual([owner]);
  } finally {
    await fs.close();
  }
});

test('a truncated story held by one --once run is stored by the next', async () => {
  await config([{ kind: 'file', path: 'floods.txt' }]);
  const long = story('Floods close the highway', 1, 20);
  await writeFile(path.join(tmp.dir, 'floods.txt'), storyText(long));
  expect(await watchOnce()).toMatch(/^floods: new-version v1 - /);
  await writeFile(path.join(tmp.dir, 'floods.txt'), storyText({ ...long, paragraphs: long.paragraphs.slice(0, 3) }));
  expect(await watchOnce()).toMatch(
    /^floods: rejected \(lost-most\) - .*; held: stored if the next poll sees the same text\n$/,
  );
  expect(await watchOnce()).toMatch(/^floods: new-version v2 - /);
});
