/**
 * The poller of a dir source: every article file in the folder is an article (its id from the file name), read when
 * it changed (local-file.ts). Files gone from the folder are forgotten and free their ids.
 */
import { articleIdFor, listArticleFiles } from '../../sources/index.js';
import type { FolderSource } from '../options.js';
import type { ArticlePollResult } from '../report.js';
import type { SourceState } from '../source-state.js';
import { pollLocalFile } from './local-file.js';
import type { PollContext, SourcePoller } from './poller.js';

export class FolderPoller implements SourcePoller {
  readonly ownId = undefined;

  constructor(
    private readonly ctx: PollContext,
    private readonly state: SourceState,
    private readonly source: FolderSource,
  ) {}

  /** Claims in path order, so which of two same-named files wins does not depend on which poll ends first. */
  async claim(explicitOnly: boolean): Promise<void> {
    if (explicitOnly) return;
    for (const file of await listArticleFiles(this.source.path)) {
      const id = articleIdFor(file);
      this.state.article(id, file); // so that the claim is released if the file goes before it is read
      await this.ctx.claims.refusal(id, file, true);
    }
  }

  async poll(force: boolean, results: ArticlePollResult[]): Promise<void> {
    const files = await listArticleFiles(this.source.path);
    for (const gone of this.state.prune(files)) this.ctx.claims.release(gone);
    for (const file of files) {
      if (this.ctx.closed()) break;
      const r = await pollLocalFile(this.ctx, this.state, file, articleIdFor(file), force);
      if (r) results.push(r);
    }
  }

  heldUntil(): undefined {
    return undefined;
  }
}
