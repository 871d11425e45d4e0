/**
 * How the file snapshot store reports its failed writes: the caller gets `E_IO` naming the cause, and a file-system
 * fault is logged, the first of a run in full and how many failed once a write succeeds again (so a full disk is one
 * line, not one per push).
 */
import type { WirediffError } from '../../core/errors.js';
import type { StoreLogger } from './event-file-writer.js';
import { asStoreFault, describeIoCause } from './promise-helpers.js';

export class WriteFaults {
  /** Writes that failed with a file-system fault since the last one that succeeded (logged: the first, and the end). */
  private failedWrites = 0;

  constructor(private readonly logger: StoreLogger | undefined) {}

  /** Turns a failed write of `what` into the caller's error, logging a file-system fault. */
  failed(what: string): (err: unknown) => never {
    const toFault = asStoreFault(what);
    return (err: unknown) => {
      try {
        toFault(err);
      } catch (fault) {
        const code = (fault as WirediffError).code;
        if (code === 'E_IO') {
          if (this.failedWrites === 0) {
            this.logger?.error(
              { err },
              `store: ${(fault as Error).message}; reads go on, and writes resume by themselves once ${describeIoCause(err).startsWith('the disk') ? 'there is space again' : 'the cause is fixed'}`,
            );
          }
          this.failedWrites++;
        }
        throw fault;
      }
      throw err;
    };
  }

  /** After a write that succeeded: ends a run of failed writes (logged). */
  wrote<T>(value: T): T {
    if (this.failedWrites > 0) {
      this.logger?.info({}, `store: writes work again (${this.failedWrites} failed before)`);
      this.failedWrites = 0;
    }
    return value;
  }
}
