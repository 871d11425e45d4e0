/**
 * The lock race test's child process: loads the store code, prints READY, waits for a line on stdin, then tries to
 * open the store in `argv[2]` for writing. Prints GOT (and keeps the store open until stdin ends) or REFUSED <code>.
 */
import { writeSync } from 'node:fs';
import { openFileStore } from '../../src/store/open.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: lock-racer DIR');
const say = (line: string): void => void writeSync(1, `${line}\n`);

process.stdin.once('data', () => {
  openFileStore({ dir }).then(
    (fs) => {
      say('GOT');
      process.stdin.once('end', () => void fs.close().then(() => process.exit(0)));
    },
    (err: unknown) => {
      say(`REFUSED ${(err as { code?: string }).code ?? 'unknown'}`);
      process.exit(0);
    },
  );
});
say('READY');
