/** Feed builds run one at a time, in the order they were asked for; a failed build does not stop the ones after it. */
export interface BuildQueue {
  /** Runs `task` after every task queued before it; its result or error is the returned promise's. */
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Resolves once every task queued so far has settled. */
  settled(): Promise<void>;
  /** Resolves once the queue is empty, including tasks queued while waiting. */
  idle(): Promise<void>;
}

export function createBuildQueue(): BuildQueue {
  let chain: Promise<void> = Promise.resolve();
  return {
    run(task) {
      const p = chain.then(task);
      chain = p.then(
        () => undefined,
        () => undefined,
      );
      return p;
    },
    settled() {
      return chain;
    },
    async idle() {
      for (;;) {
        const c = chain;
        await c;
        if (c === chain) return;
      }
    },
  };
}
