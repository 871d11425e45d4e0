/** The poller of a file source: one local file, read when it changed (local-file.ts). */
import type { FileSource } from '../options.js';
import type { ArticlePollResult } from '../report.js';
import type { SourceState } from '../source-state.js';
import { pollLocalFile } from './local-file.js';
import { OneArticlePoller, type PollContext } from './poller.js';

export class FilePoller extends OneArticlePoller {
  constructor(ctx: PollContext, state: SourceState, source: FileSource) {
    super(ctx, state, source.path, source.id, true);
  }

  async poll(force: boolean, results: ArticlePollResult[]): Promise<void> {
    const r = await pollLocalFile(this.ctx, this.state, this.location, this.ownId, force);
    if (r) results.push(r);
  }
}
