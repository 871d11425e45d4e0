/** The poller of each source kind, behind one interface (poller.ts). */
import type { SourceState } from '../source-state.js';
import { FeedPoller } from './feed.js';
import { FilePoller } from './file.js';
import { FolderPoller } from './folder.js';
import { PagePoller } from './page.js';
import type { PollContext, SourcePoller } from './poller.js';

export type { PollContext, SourcePoller } from './poller.js';

export function createPoller(ctx: PollContext, state: SourceState): SourcePoller {
  const s = state.source;
  switch (s.kind) {
    case 'url':
      return new PagePoller(ctx, state, s);
    case 'feed':
      return new FeedPoller(ctx, state, s);
    case 'file':
      return new FilePoller(ctx, state, s);
    case 'dir':
      return new FolderPoller(ctx, state, s);
  }
}
