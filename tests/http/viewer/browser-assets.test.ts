/**
 * The browser scripts as served: the bytes `/assets/live.js` and `/assets/folds.js` carry when the sources run (the
 * tests) are the bytes the `tsc` command writes for `npm run build` (what `npm start` and the bench serve), the live
 * script's tables are the server's own, and the served files parse as ES2019 classic scripts.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Linter } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileClientSource } from '../../../src/http/viewer/assets/client-scripts.js';
import { getAsset } from '../../../src/http/viewer/assets/index.js';
import { KIND_LABELS, SECONDS_WITHIN_MS } from '../../../src/http/viewer/pages/format.js';
import { SPARK_GEOMETRY, SPARK_MAX } from '../../../src/http/viewer/pages/sparkline.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const CLIENT = join(ROOT, 'src/http/viewer/client');
const TABLES_LINE = /^var WIREDIFF_LIVE_TABLES = (.*);\n/;

let out: string;
/** What `tsc -p src/http/viewer/client/tsconfig.json` writes for the client script `name`. */
let built: (name: string) => Promise<string>;

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'wirediff-client-'));
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  await promisify(execFile)(
    process.execPath,
    [tsc, '-p', join(CLIENT, 'tsconfig.json'), '--outDir', out, '--tsBuildInfoFile', join(out, 'client.tsbuildinfo')],
    { cwd: ROOT },
  );
  built = (name) => readFile(join(out, 'src/http/viewer/client', `${name}.js`), 'utf8');
});
afterAll(async () => {
  if (out !== undefined) await rm(out, { recursive: true, force: true });
});

function served(name: string): string {
  const asset = getAsset(name);
  if (asset === undefined) throw new Error(`no asset ${name}`);
  expect(asset.contentType).toBe('text/javascript; charset=utf-8');
  return asset.body.toString('utf8');
}

describe('the browser scripts', () => {
  it('are served as tsc compiles them for the build', async () => {
    const folds = await built('folds');
    const live = await built('live');
    expect(compileClientSource(join(CLIENT, 'folds.ts'))).toBe(folds);
    expect(compileClientSource(join(CLIENT, 'live.ts'))).toBe(live);
    expect(served('folds.js')).toBe(folds);
    expect(served('live.js').replace(TABLES_LINE, '')).toBe(live);
    // Compiled, not copied: the type annotations are gone.
    expect(live).not.toMatch(/: (string|number|boolean|unknown|void)\b[,;)=]/);
    expect(live).toContain('WIREDIFF_LIVE_TABLES.kinds');
  });

  it("give the live script the server's tables in one line in front of it", () => {
    const m = TABLES_LINE.exec(served('live.js'));
    expect(m, 'the tables line').not.toBeNull();
    expect(JSON.parse(m![1]!)).toEqual({
      kinds: KIND_LABELS,
      secondsWithinMs: SECONDS_WITHIN_MS,
      sparkMax: SPARK_MAX,
      geometry: SPARK_GEOMETRY,
    });
    expect(served('live.js')).not.toMatch(/__[A-Z_]+__/);
  });

  it('parse as ES2019 classic scripts', () => {
    const linter = new Linter();
    for (const name of ['live.js', 'folds.js']) {
      const messages = linter.verify(served(name), {
        languageOptions: { ecmaVersion: 2019, sourceType: 'script' },
      });
      expect(messages.filter((msg) => msg.fatal === true).map((msg) => `${name}: ${msg.message}`)).toEqual([]);
    }
    // The check can fail: an ES2020 operator does not parse.
    const newer = linter.verify('var a = b ?? c;', { languageOptions: { ecmaVersion: 2019, sourceType: 'script' } });
    expect(newer.some((msg) => msg.fatal === true)).toBe(true);
  });
});
