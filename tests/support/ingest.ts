/** The ingest a test server's push endpoint calls: the real pipeline, on a clock that moves one minute per push. */
import { ingestVersion, type IngestOutcome } from '../../src/ingest/ingest.js';
import type { SnapshotStore } from '../../src/store/types.js';

/** Pushes into `store` as `wirediff serve` does, each version one minute after the last (from 2026-11-25 03:00Z). */
export function clockedIngest(
  store: SnapshotStore,
): (
  article: string,
  body: Uint8Array,
  contentType: string,
  options?: { readonly force: boolean },
) => Promise<IngestOutcome> {
  let clock = Date.UTC(2026, 10, 25, 3, 0, 0);
  return (article, body, contentType, { force } = { force: false }) => {
    clock += 60_000;
    const at = clock;
    return ingestVersion(
      { store },
      {
        article,
        raw: body,
        contentType,
        text: new TextDecoder().decode(body),
        origin: { kind: 'push' },
        fetchedAt: new Date(at).toISOString(),
      },
      { variantWindow: 3, now: () => at, push: { force } },
    );
  };
}
