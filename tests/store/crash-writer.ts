/**
 * The crash test's child process: opens the store in `argv[2]` (running recovery), then writes versions, events and
 * variants to a few articles concurrently, forever, printing one line after each acknowledged write. Articles named
 * in `argv[4]` (default `gamma`) take the import path: appendVersion, then EventLog.append; the others take the
 * pipeline's path, commitVersion (version and event in one step).
 *
 *   READY
 *   V <article> <n>          version n of article is acknowledged (appendVersion or commitVersion resolved)
 *   E <id> <article> <n>     the event for it is acknowledged (EventLog.append or commitVersion resolved), with its id
 *   R <article>              a recordVariant call is acknowledged
 *
 * Lines are written with writeSync, so a line that was printed is in the pipe even if the process is killed next.
 */
import { writeSync } from 'node:fs';
import { openFileStore } from '../../src/store/open.js';
import { eventFor, newVersionFor } from './crash-content.js';

const dir = process.argv[2];
const articles = (process.argv[3] ?? 'alpha,beta,gamma').split(',');
const appenders = new Set((process.argv[4] ?? 'gamma').split(','));
if (!dir) throw new Error('usage: crash-writer DIR [ARTICLES] [APPENDING-ARTICLES]');

function say(line: string): void {
  writeSync(1, `${line}\n`);
}

const fs = await openFileStore({ dir });
say('READY');

async function writeLoop(article: string): Promise<never> {
  let latest = (await fs.store.getArticle(article))?.versions ?? 0;
  for (;;) {
    const n = latest + 1;
    if (appenders.has(article)) {
      await fs.store.appendVersion(newVersionFor(article, n));
      say(`V ${article} ${n}`);
      latest = n;
      const e = await fs.log.append(eventFor(article, n));
      say(`E ${e.id} ${article} ${n}`);
    } else {
      const { event } = await fs.store.commitVersion(newVersionFor(article, n), { at: eventFor(article, n).at });
      say(`V ${article} ${n}`);
      say(`E ${event.id} ${article} ${n}`);
      latest = n;
    }
    if (n % 4 === 0) {
      await fs.store.recordVariant(article, n - 1, new Date(Date.UTC(2026, 0, 2)).toISOString());
      say(`R ${article}`);
    }
  }
}

await Promise.all(articles.map((a) => writeLoop(a)));
