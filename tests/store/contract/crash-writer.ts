/**
 * The contract's crash child: opens the store described by argv[2] (JSON: a `StoreTarget` of store/open.ts), then
 * commits versions of three articles concurrently, forever, printing `C <article> <n> <eventId>` after each
 * acknowledged commit (writeSync: a printed line is in the pipe even if the process is killed next).
 */
import { writeSync } from 'node:fs';
import { openStore, type StoreTarget } from '../../../src/store/open.js';
import { eventFor, newVersionFor } from '../crash-content.js';

const target = JSON.parse(process.argv[2] ?? 'null') as StoreTarget;
const opened = await openStore(target);
writeSync(1, 'READY\n');

async function loop(article: string): Promise<never> {
  let latest = (await opened.store.getArticle(article))?.versions ?? 0;
  for (;;) {
    const n = latest + 1;
    const { event } = await opened.store.commitVersion(newVersionFor(article, n), { at: eventFor(article, n).at });
    writeSync(1, `C ${article} ${n} ${event.id}\n`);
    latest = n;
  }
}

await Promise.all(['alpha', 'beta', 'gamma'].map((a) => loop(a)));
