/**
 * An edge as `wirediff serve` runs it (`startPublishing`: feeds, JSON API, live stream, viewer) over an open store,
 * on a free port, with its feed and snapshot folders under `dir`, logging nothing.
 */
import { join } from 'node:path';
import { pino } from 'pino';
import { startPublishing, type RunningPublishing } from '../../../src/app.js';
import { parseConfig } from '../../../src/config/config.js';
import type { EventLog, SnapshotStore } from '../../../src/store/types.js';

export function startEdge(
  opened: { readonly store: SnapshotStore; readonly log: EventLog },
  dir: string,
  server: { readonly publicUrl?: string } = {},
): Promise<RunningPublishing> {
  const config = parseConfig(
    { feedsDir: join(dir, 'feeds'), storeDir: join(dir, 'snapshots'), server: { port: 0, ...server } },
    'test',
  );
  return startPublishing({ config, store: opened.store, log: opened.log, logger: pino({ level: 'silent' }) });
}
