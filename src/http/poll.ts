/**
 * `POST /api/poll[?source=S]`: asks the running watcher to poll a source now (all sources without `source`), and
 * answers with what each poll gave once it is done. `S` is a source number, a URL or path from the config, or an
 * article id. Requires the server's token, like a push. The polling is the injected `poll` function (the watcher's),
 * so the server does not depend on the watcher; a server without a watcher (`wirediff serve`) answers 409.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestToken, tokenMatches } from '../lib/access.js';
import { HttpError } from './errors.js';
import { sendJson } from './responses.js';

/** Polls the sources `source` names (every source when undefined); throws E_NOT_FOUND for an unknown one. */
export type PollFn = (source: string | undefined) => Promise<readonly unknown[]>;

export interface PollDeps {
  readonly poll?: PollFn | undefined;
  readonly token: string | undefined;
}

export async function pollSources(
  req: IncomingMessage,
  res: ServerResponse,
  deps: PollDeps,
  query: URLSearchParams,
): Promise<void> {
  if (deps.token === undefined) {
    throw new HttpError(
      403,
      'E_PUSH_DISABLED',
      'polling through the API is disabled: the server has no token configured',
    );
  }
  if (!tokenMatches(requestToken(req, false), deps.token)) {
    throw new HttpError(401, 'E_UNAUTHORIZED', 'a valid token is required (Authorization: Bearer <token>)', {
      'WWW-Authenticate': 'Bearer realm="wirediff"',
    });
  }
  if (deps.poll === undefined) {
    throw new HttpError(409, 'E_NO_WATCHER', 'this server runs no watcher: start it with "wirediff watch --serve"');
  }
  const source = query.get('source') ?? undefined;
  if (source !== undefined && (source === '' || source.length > 2000)) {
    throw new HttpError(400, 'E_BAD_REQUEST', '`source` must be a source number, a URL or path, or an article id');
  }
  req.resume(); // no body is read
  const reports = await deps.poll(source);
  sendJson(res, 200, { reports });
}
