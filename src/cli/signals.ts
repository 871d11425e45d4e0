/**
 * Long-running commands (`watch`, `serve`) run until SIGINT or SIGTERM, then close in order.
 */
import type { Logger } from 'pino';

/** Resolves with the signal's name on the first SIGINT or SIGTERM; a second one while closing exits at once. */
export function waitForStopSignal(logger: Logger, what: string): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      logger.info(`${signal}: stopping (${what}); press Ctrl-C again to stop at once`);
      process.once('SIGINT', () => process.exit(130));
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
