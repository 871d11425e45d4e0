/** `wirediff ingest`: a push the guard would hold is refused unless --force; only storable content types. */
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { expect, test } from 'vitest';
import { apTexts } from './helpers.js';
import { cli } from './history-fixture.js';
import { tempDirEach } from '../support/temp.js';

const t = tempDirEach();

test('a pushed version that lost most of the story is refused with a way out; --force stores it', async () => {
  const [v1] = await apTexts();
  await writeFile(path.join(t.dir, 'v1.txt'), v1!);
  await writeFile(path.join(t.dir, 'cut.txt'), 'One short line where a whole story was.\n');
  expect((await cli(t.dir, ['ingest', 'ap-syria', 'v1.txt'])).code).toBe(0);
  const refused = await cli(t.dir, ['ingest', 'ap-syria', 'cut.txt']);
  expect(refused.code).toBe(2);
  expect(refused.out).toMatch(
    /^ap-syria: refused \(lost-most\): it keeps \d+ of the latest version's \d+ words .*--force/,
  );
  const forced = await cli(t.dir, ['ingest', 'ap-syria', 'cut.txt', '--force']);
  expect(forced.code).toBe(0);
  expect(forced.out).toMatch(/^ap-syria: stored version 2 /);
});

test('a content type the extractor cannot read is refused before anything is read or stored', async () => {
  await writeFile(path.join(t.dir, 'v1.txt'), 'Headline\n\nA paragraph.\n');
  const r = await cli(t.dir, ['ingest', 'ap-syria', 'v1.txt', '--content-type', 'image/png']);
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/--content-type "image\/png": a version is stored from text\/plain, text\/html/);
  expect((await cli(t.dir, ['history', 'ap-syria'])).code).not.toBe(0);
});
