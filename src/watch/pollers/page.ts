/** The poller of a url source: one web page, fetched when its schedule tier says it is due (web-article.ts). */
import type { PageSource } from '../options.js';
import type { ArticlePollResult } from '../report.js';
import type { SourceState } from '../source-state.js';
import { OneArticlePoller, type PollContext } from './poller.js';
import { pollWebArticle } from './web-article.js';

export class PagePoller extends OneArticlePoller {
  constructor(ctx: PollContext, state: SourceState, source: PageSource) {
    super(ctx, state, source.url, source.id, false);
  }

  async poll(force: boolean, results: ArticlePollResult[]): Promise<void> {
    results.push(await pollWebArticle(this.ctx, this.state, this.location, this.ownId, force));
  }
}
