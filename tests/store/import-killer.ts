/**
 * The interrupted-import test's child process: imports the export file `argv[3]` into the store `argv[2]`, printing
 * `P <done>` after each version stored; after version `argv[4]` it stops dead (blocking, so the parent's SIGKILL
 * lands between two versions, as a crash would).
 */
import { writeSync } from 'node:fs';
import { checkExportFile, importExportFile } from '../../src/store/interchange/index.js';
import { openFileStore } from '../../src/store/open.js';

const [dir, file, stopAt] = process.argv.slice(2);
if (!dir || !file || !stopAt) throw new Error('usage: import-killer DIR FILE STOP-AT');
const checked = await checkExportFile(file, 'export');
const fs = await openFileStore({ dir });
await importExportFile(fs, checked, {
  onProgress: ({ done }) => {
    writeSync(1, `P ${done}\n`);
    if (done === Number(stopAt)) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120_000);
  },
});
writeSync(1, 'DONE\n');
await fs.close();
