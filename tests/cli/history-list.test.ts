/**
 * `wirediff history` with no article lists every stored article (id, versions, last change, its kind, title), the
 * most recently changed first, as text and as JSON; an unknown id points at that list.
 */
import { describe, expect, test } from 'vitest';
import { buildHistory, cli } from './history-fixture.js';
import { tempDirEach } from '../support/temp.js';

const tmp = tempDirEach('wirediff-history-list-');

describe('wirediff history (no article)', () => {
  test('lists the stored articles, newest change first', async () => {
    await buildHistory(tmp.dir);
    const r = await cli(tmp.dir, ['history']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const rows = r.out.trimEnd().split('\n');
    // syria-copy changed last (minute 6), ap-syria before it (minute 4).
    expect(rows[0]).toMatch(/^syria-copy +2 versions +2013-03-16 12:06:00Z +\S+ +\S/);
    expect(rows[1]).toMatch(/^ap-syria +4 versions +2013-03-16 12:04:00Z +\S+ +\S/);
    expect(rows[2]).toContain('2 article(s)');
  });

  test('--json: one object per article with id, versions, lastChange, lastKind and title', async () => {
    await buildHistory(tmp.dir);
    const r = await cli(tmp.dir, ['history', '--json']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.out) as {
      id: string;
      versions: number;
      lastChange: string;
      lastKind: string;
      title: string;
    }[];
    expect(list.map((a) => [a.id, a.versions, a.lastChange])).toEqual([
      ['syria-copy', 2, '2013-03-16T12:06:00.000Z'],
      ['ap-syria', 4, '2013-03-16T12:04:00.000Z'],
    ]);
    for (const a of list) {
      expect(typeof a.lastKind).toBe('string');
      expect(a.title).not.toBe('');
    }
  });

  test('an empty store says so and how to fill it', async () => {
    const r = await cli(tmp.dir, ['history']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('run "wirediff watch"');
  });

  test('an unknown id points at "wirediff history"', async () => {
    await buildHistory(tmp.dir);
    const r = await cli(tmp.dir, ['history', 'nope']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('run "wirediff history" to list them');
    const bad = await cli(tmp.dir, ['history', 'Not An Id']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('run "wirediff history" to list the stored ones');
  });
});
