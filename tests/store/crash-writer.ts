/**
 * The crash test's child process: opens the store in `argv[2]` (running recovery), then appends versions, events and
 * variants to a few articles concurrently, forever, printing one line after each acknowledged write:
 *
 *   READY
 *   V <article> <n>          version n of article is acknowledged (appendVersion resolved)
 *   E <id> <article> <n>     the event for it is acknowledged (EventLog.append resolved), with its id
 *   R <article>              a recordVariant call is acknowledged
 *
 * Lines are written with writeSync, so a line that was printed is in the pipe even if the process is killed next.
 */
import { writeSync } from 'node:fs';
import { openFileStore } from '../../src/store/open.js';
import { eventFor, newVersionFor } from './crash-content.js';

const dir = process.argv[2];
const articles = (process.argv[3] ?? 'alpha,beta,gamma').split(',');
if (!dir) throw new Error('usage: crash-writer DIR [ARTICLES]');

function say(line: string): void {
  writeSync(1, `${line}\n`);
}

const fs = await openFileStore({ dir });
say('READY');

async function writeLoop(article: string): Promise<never> {
  let latest = (await fs.store.getArticle(article))?.versions ?? 0;
  for (;;) {
    const n = latest + 1;
    await fs.store.appendVersion(newVersionFor(article, n));
    say(`V ${article} ${n}`);
    latest = n;
    const e = await fs.log.append(eventFor(article, n));
    say(`E ${e.id} ${article} ${n}`);
    if (n % 4 === 0) {
      await fs.store.recordVariant(article, n - 1, new Date(Date.UTC(2026, 0, 2)).toISOString());
      say(`R ${article}`);
    }
  }
}

await Promise.all(articles.map((a) => writeLoop(a)));
