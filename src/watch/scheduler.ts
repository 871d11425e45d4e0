/**
 * When a source is polled on its own: its cron schedule (node-cron; its overlap protection is not relied on, the
 * source's SingleFlight is), and for file and folder sources every change fs.watch sees, after a quiet time.
 */
import { watch as fsWatch, type FSWatcher } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { createTask, type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import type { WatchSource } from './options.js';

export interface SourceScheduleOptions {
  readonly index: number;
  readonly source: WatchSource;
  readonly cron: string;
  /** Quiet time (ms) after a file change before `onDue`. */
  readonly debounceMs: number;
  /** A poll is due (a cron tick, a file change). */
  readonly onDue: () => void;
  readonly logger: Logger;
}

export class SourceSchedule {
  #task: ScheduledTask | undefined;
  #fsWatcher: FSWatcher | undefined;
  #debounce: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(private readonly opts: SourceScheduleOptions) {}

  /** Creates a missing watched folder, starts the cron task and the file watcher. */
  async start(): Promise<void> {
    const { source, index, cron, onDue } = this.opts;
    if (source.kind === 'dir') await mkdir(source.path, { recursive: true });
    this.#task = createTask(cron, () => onDue(), { name: `wirediff-source-${index}` });
    await this.#task.start();
    this.#watchFiles();
  }

  /** The next cron tick (ms since the epoch), once started. */
  nextRun(): number | undefined {
    return this.#task?.getNextRun()?.getTime();
  }

  /** Stops the file watcher and the cron task; idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#debounce) clearTimeout(this.#debounce);
    this.#fsWatcher?.close();
    if (this.#task) await this.#task.destroy();
  }

  #watchFiles(): void {
    const { source: s, index, logger } = this.opts;
    if (s.kind !== 'dir' && s.kind !== 'file') return;
    const dir = s.kind === 'dir' ? s.path : path.dirname(s.path);
    const only = s.kind === 'file' ? path.basename(s.path) : undefined;
    try {
      this.#fsWatcher = fsWatch(dir, { persistent: true }, (_event, name) => {
        if (this.#closed) return;
        if (only !== undefined && name !== null && name !== only) return;
        if (this.#debounce) clearTimeout(this.#debounce);
        this.#debounce = setTimeout(() => {
          this.#debounce = undefined;
          this.opts.onDue();
        }, this.opts.debounceMs);
      });
      this.#fsWatcher.on('error', (err) => logger.warn({ source: index, err }, 'file watcher failed'));
    } catch (err) {
      logger.warn({ source: index, err }, `cannot watch ${dir}; relying on the schedule`);
    }
  }
}
