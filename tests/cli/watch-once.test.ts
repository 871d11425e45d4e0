/**
 * `wirediff watch --once`: exit 2 when any source or any article read failed (the README's "trouble"), and with no
 * config file it creates the articles/ folder it watches, as `watch` does.
 */
import { existsSync } from 'node:fs';
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { AP_FILES } from './helpers.js';
import { cli } from './history-fixture.js';
import { tempDirEach } from '../support/temp.js';
import { until } from '../support/wait.js';

const tmp = tempDirEach('wirediff-watch-once-');

async function writeConfig(sources: unknown[]): Promise<void> {
  await writeFile(
    path.join(tmp.dir, 'wirediff.config.json'),
    JSON.stringify({ storeDir: 'snapshots', sources }, null, 2),
  );
}

describe('wirediff watch --once', () => {
  test('all sources read well: exit 0', async () => {
    await mkdir(path.join(tmp.dir, 'good'));
    await copyFile(AP_FILES[0]!, path.join(tmp.dir, 'good', 'story.txt'));
    await writeConfig([{ kind: 'dir', path: 'good' }]);
    const r = await cli(tmp.dir, ['watch', '--once', '--log-level', 'silent']);
    expect(r.out).toContain('story: new-version v1');
    expect(r.code).toBe(0);
  });

  test('one source fails (a missing folder) while another succeeds: exit 2', async () => {
    await mkdir(path.join(tmp.dir, 'good'));
    await copyFile(AP_FILES[0]!, path.join(tmp.dir, 'good', 'story.txt'));
    await writeConfig([
      { kind: 'dir', path: 'good' },
      { kind: 'dir', path: 'missing' },
    ]);
    const r = await cli(tmp.dir, ['watch', '--once', '--log-level', 'silent']);
    expect(r.out).toContain('story: new-version v1');
    expect(r.out).toMatch(/sources\[1\]: error E_NOT_FOUND/);
    expect(r.code).toBe(2);
  });

  test('an article read fails (a file over fetch.maxBytes in a folder) while another succeeds: exit 2', async () => {
    await mkdir(path.join(tmp.dir, 'good'));
    await writeFile(path.join(tmp.dir, 'good', 'story.txt'), 'A short story.\n\nIt has two paragraphs.\n');
    await copyFile(AP_FILES[0]!, path.join(tmp.dir, 'good', 'big.txt'));
    await writeFile(
      path.join(tmp.dir, 'wirediff.config.json'),
      JSON.stringify({
        storeDir: 'snapshots',
        fetch: { maxBytes: 1024 },
        sources: [{ kind: 'dir', path: 'good' }],
      }),
    );
    const r = await cli(tmp.dir, ['watch', '--once', '--log-level', 'silent']);
    expect(r.out).toMatch(/^story: /m);
    expect(r.out).toMatch(/^big: error/m);
    // The limit is named as the config setting, with what to do.
    expect(r.out).toMatch(
      /^big: error - .*big\.txt: \d+ bytes is more than the limit of 1024 bytes \(the config's fetch\.maxBytes\); if this is an article, raise fetch\.maxBytes in the config/m,
    );
    expect(r.code).toBe(2);
  });

  test('without a config file: creates articles/ and reads it (nothing to read), exit 0', async () => {
    const r = await cli(tmp.dir, ['watch', '--once', '--log-level', 'silent']);
    expect(existsSync(path.join(tmp.dir, 'articles'))).toBe(true);
    expect(r.out).toBe('nothing to read\n');
    expect(r.code).toBe(0);
  });
});

describe('wirediff watch --serve --host/--port', () => {
  test('--port and --host are used for the server, as with serve', async () => {
    const port = await freePort();
    const listeners = process.listenerCount('SIGTERM');
    const running = cli(tmp.dir, [
      'watch',
      '--serve',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--log-level',
      'silent',
    ]);
    const status = await until(() => getStatus(`http://127.0.0.1:${port}/`), `the server on port ${port}`);
    expect(status).toBe(200);
    // The command waits for SIGTERM once everything is started: emit it (to this process's listeners) only then.
    await until(() => (process.listenerCount('SIGTERM') > listeners ? true : undefined), 'the stop-signal listener');
    process.emit('SIGTERM', 'SIGTERM');
    const r = await running;
    expect(r.code).toBe(0);
  });

  test('a bad --port is refused like serve refuses it; --host/--port without --serve are refused', async () => {
    const bad = await cli(tmp.dir, ['watch', '--serve', '--port', '70000', '--log-level', 'silent']);
    expect(bad).toEqual({
      code: 2,
      out: '',
      err: 'wirediff: --port: expected a whole number from 0 to 65535, got "70000"\n',
    });
    const alone = await cli(tmp.dir, ['watch', '--port', '9000', '--log-level', 'silent']);
    expect(alone.code).toBe(2);
    expect(alone.err).toContain('--port: only with --serve');
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The status of a GET, on a connection of its own that is closed after (so the server can stop); undefined when refused. */
function getStatus(url: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = get(url, { agent: false, headers: { connection: 'close' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', () => resolve(undefined));
  });
}
