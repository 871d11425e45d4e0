/**
 * Moving a history between stores with the CLI: `export --all` from a file store, `import` into PostgreSQL, export
 * from there, import into a fresh file store, export again: every line but the header's time is the same (versions
 * with their raw bytes, ChangeSets and variant counts, and every event).
 */
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { expect, it } from 'vitest';
import { buildHistory, cli, lines } from '../../cli/history-fixture.js';
import { pgSchemaEach } from '../../support/stores.js';
import { tempDir } from '../../support/temp.js';

const t = pgSchemaEach('moving');

/** A fresh folder, removed after the test. */
async function folder(): Promise<string> {
  const d = await tempDir('wirediff-move-');
  t.closeAfter({ close: d.cleanup });
  return d.dir;
}

it('file store → PostgreSQL → file store through export --all and import: nothing lost', async () => {
  const source = await folder();
  await buildHistory(source, { variants: 2 });
  const first = await cli(source, ['export', '--all']);
  expect(first.code).toBe(0);
  expect(lines(first.out).filter((l) => l['type'] === 'version')).toHaveLength(6);

  const pgDir = await folder();
  await writeFile(
    path.join(pgDir, 'wirediff.config.json'),
    JSON.stringify({ store: { kind: 'postgres', url: t.options.url, schema: t.schema } }),
  );
  await writeFile(path.join(pgDir, 'history.jsonl'), first.out);
  const imp = await cli(pgDir, ['import', 'history.jsonl']);
  expect(imp).toMatchObject({ code: 0, err: '' });
  expect(imp.out).toMatch(/^imported 6 version\(s\) of 2 article\(s\) and 6 event\(s\); recorded 2 known-variant/);
  const fromPg = await cli(pgDir, ['export', '--all']);
  expect(fromPg.code).toBe(0);
  expect(fromPg.out.split('\n').slice(1)).toEqual(first.out.split('\n').slice(1));
  // Nothing went to the folder's file store: the history is in PostgreSQL.
  const rows = await t.sql(`select count(*)::int as n from "${t.schema}".versions`);
  expect(rows[0]!.n).toBe(6);

  const back = await folder();
  await writeFile(path.join(back, 'history.jsonl'), fromPg.out);
  expect((await cli(back, ['import', 'history.jsonl'])).code).toBe(0);
  const again = await cli(back, ['export', '--all']);
  expect(again.out.split('\n').slice(1)).toEqual(first.out.split('\n').slice(1));

  // Importing the same file into PostgreSQL again doubles nothing.
  const twice = await cli(pgDir, ['import', 'history.jsonl']);
  expect(twice.code).toBe(0);
  expect((await t.sql(`select count(*)::int as n from "${t.schema}".events`))[0]!.n).toBe(6);
});
