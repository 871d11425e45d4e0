/** The subscribers of the file event log (event-log.ts): who hears of each event as it reaches the log. */
import { WirediffError } from '../../core/errors.js';
import type { ChangeEvent } from '../../core/model/event.js';

export class EventListeners {
  private readonly listeners = new Set<(e: ChangeEvent) => void>();

  /** Adds `listener` (`where` names the caller in the error for a listener that is not a function); returns its removal. */
  add(listener: (e: ChangeEvent) => void, where: string): () => void {
    if (typeof listener !== 'function') {
      throw new WirediffError('E_USAGE', `${where}: listener must be a function, received ${typeof listener}`);
    }
    // Wrap so that subscribing the same function twice gives two independent subscriptions.
    const wrapped = (e: ChangeEvent): void => listener(e);
    this.listeners.add(wrapped);
    return () => {
      this.listeners.delete(wrapped);
    };
  }

  /** Tells every listener of `ev`; a listener that throws does not stop the others. */
  notify(ev: ChangeEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(ev);
      } catch {
        // A listener's fault is its own; it must not undo an acknowledged append or starve other listeners.
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
