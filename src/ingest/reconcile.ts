/**
 * Crash repair between the store and the event log, for versions stored without their event. The pipeline
 * (`ingestVersion`) and `wirediff import` both store a version and its event in one step (`commitVersion`), so
 * neither leaves one without the other (and the store rebuilds a lost event from its version on open). What is left
 * for this repair: stores written by wirediff before commits existed, whose versions were kept with `appendVersion`
 * and their events appended after, which a crash could cut in between, leaving the newest version of an article
 * without its event. On start, the watcher publishes the missing event (once: the check looks at the article's last
 * event).
 *
 * In such stores only the newest version of an article could be in that state (one ingest at a time per article);
 * imports, which could leave several, now commit each version with its event and themselves add any event missing
 * for a version they find stored (store/interchange/import.ts). So only the newest is checked, and only when the log still
 * holds the article's previous event (or holds every event, for a version 1): events trimmed by retention are never
 * taken for missing ones.
 */
import { eventForVersion, type ChangeEvent } from '../core/model/event.js';
import type { EventLog, SnapshotStore } from '../store/types.js';

export async function reconcileEvents(
  deps: { readonly store: SnapshotStore; readonly log: EventLog },
  now: () => number,
): Promise<ChangeEvent[]> {
  const { store, log } = deps;
  const appended: ChangeEvent[] = [];
  const bounds = await log.bounds();
  const complete = bounds.first <= 1; // nothing trimmed by retention
  // A log that can (PostgreSQL) says every article's last event version in one query, not one query per article.
  const lastOf = log.lastEventVersions !== undefined ? await log.lastEventVersions() : undefined;
  for (const summary of await store.listArticles()) {
    const latest = summary.versions;
    if (latest < 1) continue;
    const lastVersion =
      lastOf !== undefined ? lastOf.get(summary.id) : (await log.readLatest(1, summary.id))[0]?.version;
    const missing = lastVersion === undefined ? latest === 1 && complete : lastVersion === latest - 1;
    if (!missing) continue;
    const v = await store.getVersion(summary.id, latest);
    if (v === undefined) continue;
    appended.push(await log.append(eventForVersion(v, new Date(now()).toISOString())));
  }
  return appended;
}
