import { test } from 'vitest';
import { parseConfig, defaultConfig } from '../src/config.js';
test('x', () => {
  console.log(JSON.stringify(defaultConfig('/tmp/x'), null, 1));
  for (const j of [
    { sources: [{ kind: 'url', url: 'http://a', schedule: 'every minute' }, { kind: 'web', url: 'x' }, { kind: 'dir' }, {kind:'file', path:'a', bogus: 1}] },
    { watch: { concurrency: 0, tiers: [{ name: 'x', every: 'soon' }] }, server: { port: 'x', extra: 1 }, fetch: { timeout: -1 } },
    { storeDir: 3, sourcez: [] },
    [],
  ]) {
    try { parseConfig(j, 'wirediff.config.json'); } catch (e) { console.log((e as Error).message); }
  }
});
