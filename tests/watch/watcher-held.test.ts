/**
 * A held drastic change is confirmed across runs: the guard's held candidates live in the status file, so the next
 * watcher (a `watch --once` from cron) stores what the previous one held when it sees the same text.
 */
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { expect, test } from 'vitest';
import type { Config } from '../../src/config/config.js';
import { STATUS_FILE, pendingConfirmations, readStatusFile } from '../../src/watch/status-file.js';
import { createWatcher, type ArticlePollResult } from '../../src/watch/watcher.js';
import { openStore, story, storyText, testConfig } from './helpers.js';
import { fileStoreEach } from '../support/stores.js';
import { silentLogger } from '../support/log.js';

const ctx = fileStoreEach();

/** One run of `watch --once`: open the store, a new watcher, one poll (no start), close both. */
async function once(config: Config): Promise<ArticlePollResult> {
  ctx.fs = await openStore(config);
  const watcher = createWatcher(config, { store: ctx.fs.store, log: ctx.fs.log, logger: silentLogger() });
  try {
    const reports = await watcher.pollNow();
    return reports[0]!.results[0]!;
  } finally {
    await watcher.close();
    await ctx.fs.close();
    ctx.fs = undefined;
  }
}

const long = story('Floods close the highway', 1, 20);
const short = { title: long.title, paragraphs: long.paragraphs.slice(0, 3) };

function fileConfig(): Config {
  return testConfig(ctx.dir, { sources: [{ kind: 'file', path: 'floods.txt', schedule: '0 0 1 1 *' }] });
}

test('a truncated extraction held by one run is stored by the next run that sees the same text', async () => {
  const file = path.join(ctx.dir, 'floods.txt');
  const config = fileConfig();
  await writeFile(file, storyText(long));
  expect(await once(config)).toMatchObject({ article: 'floods', outcome: 'new-version', version: 1 });

  await writeFile(file, storyText(short));
  const held = await once(config);
  expect(held).toMatchObject({ outcome: 'rejected', reason: 'lost-most' });
  expect(held.detail).toMatch(/; held: stored if the next poll sees the same text$/);
  const status = await readStatusFile(config.storeDir);
  expect([...pendingConfirmations(status).entries()]).toEqual([
    ['floods', { hash: expect.any(String), reason: 'lost-most', seen: 1, firstSeenAt: expect.any(String) }],
  ]);

  expect(await once(config)).toMatchObject({ outcome: 'new-version', version: 2 });
  // Confirmed: nothing is held any more.
  expect(pendingConfirmations(await readStatusFile(config.storeDir)).size).toBe(0);
});

test('a held candidate is not confirmed by a different text on the next run', async () => {
  const file = path.join(ctx.dir, 'floods.txt');
  const config = fileConfig();
  await writeFile(file, storyText(long));
  await once(config);
  await writeFile(file, storyText(short));
  expect(await once(config)).toMatchObject({ outcome: 'rejected', reason: 'lost-most' });
  const other = { title: long.title, paragraphs: long.paragraphs.slice(5, 8) };
  await writeFile(file, storyText(other));
  expect(await once(config)).toMatchObject({ outcome: 'rejected', reason: 'lost-most' });
  expect(await once(config)).toMatchObject({ outcome: 'new-version', version: 2 });
});

test('a status file written before held candidates were kept still loads', async () => {
  const file = path.join(ctx.dir, 'floods.txt');
  const config = fileConfig();
  await writeFile(file, storyText(long));
  await once(config);
  // Strip the field, as an older watcher wrote the file; also a malformed entry is ignored.
  const statusPath = path.join(config.storeDir, STATUS_FILE);
  const old = JSON.parse(await readFile(statusPath, 'utf8')) as Record<string, unknown>;
  delete old.pending;
  await writeFile(statusPath, JSON.stringify(old));
  expect((await readStatusFile(config.storeDir))?.sources).toHaveLength(1);
  expect(pendingConfirmations(await readStatusFile(config.storeDir)).size).toBe(0);
  await writeFile(statusPath, JSON.stringify({ ...old, pending: { floods: { hash: 1 }, 'x y': null } }));
  expect(pendingConfirmations(await readStatusFile(config.storeDir)).size).toBe(0);

  await writeFile(file, storyText(short));
  expect(await once(config)).toMatchObject({ outcome: 'rejected', reason: 'lost-most' });
  expect(await once(config)).toMatchObject({ outcome: 'new-version', version: 2 });
});
