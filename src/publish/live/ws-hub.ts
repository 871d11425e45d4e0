/**
 * The old import path of the live hub, kept while `src/http/server.ts` imports it: the hub is `hub.ts` now, its
 * parts `upgrade.ts`, `client.ts`, `replay.ts` and `broadcast.ts`. Import from `./hub.js` in new code.
 */
export { createWsHub, type HubLogger, type WsHub, type WsHubOptions, type WsHubStats } from './hub.js';
