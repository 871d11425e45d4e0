/**
 * Reloading the config of a running `wirediff watch`: when the config file changes (a save, `wirediff add`) or on
 * SIGHUP. A config that does not load is logged and the running one kept; an unchanged config is not re-applied.
 * Sources and watch settings apply at once; server settings need a restart (said in the log). Wired by app.ts.
 */
import { watch as fsWatch, type FSWatcher } from 'node:fs';
import * as path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './config.js';

export interface ConfigReloader {
  /** Reloads now (what SIGHUP and a file change do); resolves when applied or refused. */
  reload(why: string): Promise<void>;
  close(): void;
}

export function reloadConfigOnChange(options: {
  readonly file: string;
  readonly current: Config;
  readonly load: () => Promise<Config>;
  readonly apply: (config: Config) => Promise<void>;
  readonly logger: Logger;
  /** Quiet time after a change of the file before it is read (editors write in several steps). */
  readonly debounceMs?: number;
  /** One line for an error in the log (the CLI passes its own wording); default: the error's message. */
  readonly describeError?: (err: unknown) => string;
}): ConfigReloader {
  const { file, logger } = options;
  const describeError =
    options.describeError ?? ((err: unknown): string => (err instanceof Error ? err.message : String(err)));
  let applied = JSON.stringify(options.current);
  let server = JSON.stringify(options.current.server);
  let chain: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  function reload(why: string): Promise<void> {
    chain = chain.then(async () => {
      if (closed) return;
      let next: Config;
      try {
        next = await options.load();
      } catch (err) {
        logger.error(`${why}: the config was not reloaded, the running one stays: ${describeError(err)}`);
        return;
      }
      const text = JSON.stringify(next);
      if (text === applied) return;
      applied = text;
      if (JSON.stringify(next.server) !== server) {
        server = JSON.stringify(next.server);
        logger.warn(`${why}: server settings changed in ${file}; restart wirediff to apply them`);
      }
      try {
        await options.apply(next);
        logger.info(`${why}: config reloaded from ${file}: watching ${next.sources.length} source(s)`);
      } catch (err) {
        logger.error(`${why}: applying the reloaded config failed: ${describeError(err)}`);
      }
    });
    return chain;
  }

  const onHup = (): void => void reload('SIGHUP');
  process.on('SIGHUP', onHup);
  let watcher: FSWatcher | undefined;
  try {
    const base = path.basename(file);
    watcher = fsWatch(path.dirname(file), { persistent: false }, (_event, name) => {
      if (closed || (name !== null && name !== base)) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void reload('config file changed'), options.debounceMs ?? 300);
    });
    watcher.on('error', (err) => logger.warn({ err }, `cannot watch ${file} for changes; send SIGHUP to reload`));
  } catch (err) {
    logger.warn({ err }, `cannot watch ${file} for changes; send SIGHUP to reload`);
  }

  // A change made after the config was first read and before the file was watched (a `wirediff add` right after
  // start) is caught by reading it once more now; an unchanged file applies nothing.
  void reload('config file changed');

  return {
    reload,
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      watcher?.close();
      process.off('SIGHUP', onHup);
    },
  };
}
