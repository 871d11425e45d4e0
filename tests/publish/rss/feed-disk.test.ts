import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempPathFor } from '../../../src/lib/atomic-write.js';
import { prepareFeedDir, unchangedSince, writeFeedFile } from '../../../src/publish/rss/feed-disk.js';
import { tempDir } from '../../support/temp.js';

let tmp: { dir: string; cleanup(): Promise<void> };
beforeEach(async () => {
  tmp = await tempDir('wirediff-feed-disk-');
});
afterEach(() => tmp.cleanup());

const T = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('feed files on disk', () => {
  it('writes <name>.xml with its mtime at the Last-Modified, and leaves no temp file', async () => {
    await writeFeedFile(tmp.dir, 'all', Buffer.from('<rss>1</rss>'), T);
    await writeFeedFile(tmp.dir, 'all', Buffer.from('<rss>2</rss>'), T + 1000);
    expect(await fs.readFile(path.join(tmp.dir, 'all.xml'), 'utf8')).toBe('<rss>2</rss>');
    expect((await fs.stat(path.join(tmp.dir, 'all.xml'))).mtimeMs).toBe(T + 1000);
    expect(await fs.readdir(tmp.dir)).toEqual(['all.xml']);
  });

  it('a failed write throws, keeps the previous file and leaves no temp file', async () => {
    await writeFeedFile(tmp.dir, 'all', Buffer.from('<rss>1</rss>'), T);
    // A folder where the file must go: the rename fails.
    await fs.mkdir(path.join(tmp.dir, 'busy.xml'));
    await fs.writeFile(path.join(tmp.dir, 'busy.xml', 'x'), 'x');
    await expect(writeFeedFile(tmp.dir, 'busy', Buffer.from('<rss/>'), T)).rejects.toThrow();
    expect((await fs.readdir(tmp.dir)).sort()).toEqual(['all.xml', 'busy.xml']);
    expect(await fs.readFile(path.join(tmp.dir, 'all.xml'), 'utf8')).toBe('<rss>1</rss>');
  });

  it('prepareFeedDir creates the folder and removes only the temp files of cut-short writes', async () => {
    const dir = path.join(tmp.dir, 'feeds');
    await prepareFeedDir(dir);
    const keep = ['all.xml', '.hidden', 'notes.tmp', '.all.xml.tmp', '.tmp-notes.txt-1234-0123abcd-0'];
    // Temp files as lib/atomic-write.ts names them, and as feed writes named them before it.
    const temp = [
      path.basename(tempPathFor(path.join(dir, 'all.xml'))),
      '.tmp-syria.xml-7-abcdef01-1z',
      '.all.xml.1234.0123456789ab.tmp',
      '.syria.xml.7.abcdefabcdef.tmp',
    ];
    for (const name of [...keep, ...temp]) await fs.writeFile(path.join(dir, name), 'x');
    await prepareFeedDir(dir);
    expect((await fs.readdir(dir)).sort()).toEqual([...keep].sort());
  });

  it('unchangedSince gives the whole-second mtime of identical bytes only', async () => {
    expect(await unchangedSince(tmp.dir, 'all', Buffer.from('a'))).toBeUndefined(); // no file
    await writeFeedFile(tmp.dir, 'all', Buffer.from('a'), T + 1000);
    await fs.utimes(path.join(tmp.dir, 'all.xml'), (T + 1500) / 1000, (T + 1500) / 1000);
    expect(await unchangedSince(tmp.dir, 'all', Buffer.from('a'))).toBe(T + 1000);
    expect(await unchangedSince(tmp.dir, 'all', Buffer.from('b'))).toBeUndefined();
  });
});
