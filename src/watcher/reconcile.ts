/**
 * Crash repair between the store and the event log, for versions stored without their event. The pipeline
 * (`ingestVersion`) commits a version and its event in one step (`commitVersion`), so it never leaves one without
 * the other; but a version kept with `appendVersion` and its event appended after (the import path, and stores
 * written by wirediff before commits existed) can be cut in between by a crash, leaving the newest version of an
 * article without its event. On start, the watcher publishes the missing event (once: the check looks at the
 * article's last event).
 *
 * Only the newest version of an article can be in that state (one ingest at a time per article), so only it is
 * checked, and only when the log still holds the article's previous event (or holds every event, for a version 1):
 * events trimmed by retention are never taken for missing ones.
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
  for (const summary of await store.listArticles()) {
    const latest = summary.versions;
    if (latest < 1) continue;
    const [last] = await log.readLatest(1, summary.id);
    const missing = last === undefined ? latest === 1 && complete : last.version === latest - 1;
    if (!missing) continue;
    const v = await store.getVersion(summary.id, latest);
    if (v === undefined) continue;
    appended.push(await log.append(eventForVersion(v, new Date(now()).toISOString())));
  }
  return appended;
}
