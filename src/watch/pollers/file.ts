/** The poller of a file source: one local file, read when it changed (local-file.ts). */
import type { ArticleId } from '../../core/model/version.js';
import { ownArticleId, type FileSource } from '../options.js';
import type { ArticlePollResult } from '../report.js';
import type { SourceState } from '../source-state.js';
import { pollLocalFile } from './local-file.js';
import type { PollContext, SourcePoller } from './poller.js';

export class FilePoller implements SourcePoller {
  readonly ownId: ArticleId;

  constructor(
    private readonly ctx: PollContext,
    private readonly state: SourceState,
    private readonly source: FileSource,
  ) {
    this.ownId = ownArticleId(source)!;
  }

  async claim(explicitOnly: boolean): Promise<void> {
    if (explicitOnly && this.source.id === undefined) return;
    await this.ctx.claims.refusal(this.ownId, this.source.path, true);
  }

  async poll(force: boolean, results: ArticlePollResult[]): Promise<void> {
    const r = await pollLocalFile(this.ctx, this.state, this.source.path, this.ownId, force);
    if (r) results.push(r);
  }

  heldUntil(): undefined {
    return undefined;
  }
}
