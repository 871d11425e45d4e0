/** reloadConfigOnChange: what a running watch does when its config file changes. */
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { reloadConfigOnChange, type ConfigReloader } from '../../src/config/reload.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import { tempDirEach } from '../support/temp.js';
import { until } from '../support/wait.js';
import { silentLogger } from '../support/log.js';

const tmp = tempDirEach();
let reloader: ConfigReloader | undefined;
afterEach(() => {
  reloader?.close();
});

test('a change made before the file was watched (wirediff add right after start) is still applied', async () => {
  const file = path.join(tmp.dir, 'wirediff.config.json');
  await writeFile(file, JSON.stringify({ sources: [{ kind: 'dir', path: 'articles' }] }));
  const first = await loadConfig(file);
  // The file changes after it was read, before the reloader watches it.
  await writeFile(
    file,
    JSON.stringify({
      sources: [
        { kind: 'dir', path: 'articles' },
        { kind: 'dir', path: 'desk' },
      ],
    }),
  );
  const applied: Config[] = [];
  reloader = reloadConfigOnChange({
    file,
    current: first,
    load: () => loadConfig(file),
    apply: (c) => {
      applied.push(c);
      return Promise.resolve();
    },
    logger: silentLogger(),
  });
  const got = await until(() => applied[0], 'the reload');
  expect(got.sources.map((s) => s.kind === 'dir' && path.basename(s.path))).toEqual(['articles', 'desk']);
});

test('a broken config is refused and the running one kept; an unchanged file applies nothing; a fix applies', async () => {
  const file = path.join(tmp.dir, 'wirediff.config.json');
  await writeFile(file, JSON.stringify({ sources: [] }));
  const applied: Config[] = [];
  reloader = reloadConfigOnChange({
    file,
    current: await loadConfig(file),
    load: () => loadConfig(file),
    apply: (c) => {
      applied.push(c);
      return Promise.resolve();
    },
    logger: silentLogger(),
  });
  await reloader.reload('test');
  expect(applied).toEqual([]);
  await writeFile(file, JSON.stringify({ server: { allowedOrigin: ['x'] } }));
  await reloader.reload('test');
  expect(applied).toEqual([]);
  await writeFile(file, JSON.stringify({ sources: [{ kind: 'dir', path: 'desk' }] }));
  await reloader.reload('test');
  expect(applied.at(-1)?.sources).toHaveLength(1);
});
