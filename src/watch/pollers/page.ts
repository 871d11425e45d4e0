/** The poller of a url source: one web page, fetched when its schedule tier says it is due (web-article.ts). */
import type { ArticleId } from '../../core/model/version.js';
import { ownArticleId, type PageSource } from '../options.js';
import type { ArticlePollResult } from '../report.js';
import type { SourceState } from '../source-state.js';
import type { PollContext, SourcePoller } from './poller.js';
import { pollWebArticle } from './web-article.js';

export class PagePoller implements SourcePoller {
  readonly ownId: ArticleId;

  constructor(
    private readonly ctx: PollContext,
    private readonly state: SourceState,
    private readonly source: PageSource,
  ) {
    this.ownId = ownArticleId(source)!;
  }

  async claim(explicitOnly: boolean): Promise<void> {
    if (explicitOnly && this.source.id === undefined) return;
    await this.ctx.claims.refusal(this.ownId, this.source.url, false);
  }

  async poll(force: boolean, results: ArticlePollResult[]): Promise<void> {
    results.push(await pollWebArticle(this.ctx, this.state, this.source.url, this.ownId, force));
  }

  heldUntil(): undefined {
    return undefined;
  }
}
