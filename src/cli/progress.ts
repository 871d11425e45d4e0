/**
 * A one-line progress counter on stderr for long commands (`export`, `import`): redrawn in place on a terminal,
 * silent elsewhere (scripts and logs get the final summary only) and with `--quiet`.
 */
import type { Output } from './context.js';

export interface Progress {
  /** Redraws the line (at most every `everyMs`, and always for the last step). */
  update(done: number, total: number, detail?: string): void;
  /** Clears the line, if one was drawn. Idempotent. */
  end(): void;
}

export function createProgress(
  out: Output,
  label: string,
  options: { readonly quiet?: boolean; readonly everyMs?: number; readonly now?: () => number } = {},
): Progress {
  const enabled = out.isTTY && options.quiet !== true;
  const now = options.now ?? Date.now;
  const every = options.everyMs ?? 100;
  let last = -Infinity;
  let drawn = false;
  return {
    update(done, total, detail) {
      if (!enabled) return;
      const t = now();
      if (done < total && t - last < every) return;
      last = t;
      drawn = true;
      const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
      out.write(`\r${label}: ${done}/${total} (${pct}%)${detail !== undefined ? ` ${detail}` : ''}\u001b[K`);
    },
    end() {
      if (!drawn) return;
      drawn = false;
      out.write('\r\u001b[K');
    },
  };
}
