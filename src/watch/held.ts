/**
 * The guard's held changes (ingest/guard.ts) of one watcher, and when each was first seen: a drastic change is held
 * until a second poll sees the same content. Restored from the last status file before the first poll, shared with
 * the other watchers of a shared store under an article's lease, and written into status.json.
 */
import { isArticleId, type ArticleId } from '../core/model/version.js';
import { createGuardState, type GuardState, type PendingCandidate } from '../ingest/guard.js';
import { iso } from './report.js';
import type { PendingConfirmation } from './status-file.js';

export class HeldChanges {
  /** What the ingest pipeline's guard reads and updates. */
  readonly guard: GuardState = createGuardState();
  /** When each held candidate (guard.pending) was first seen. */
  readonly #since = new Map<ArticleId, { hash: string; at: number }>();

  constructor(private readonly now: () => number) {}

  /** After `id` was read at `at`: notes when a newly held candidate was first seen, forgets one no longer held. */
  noteRead(id: ArticleId, at: number): void {
    const held = this.guard.pending.get(id);
    if (held === undefined) this.#since.delete(id);
    else if (this.#since.get(id)?.hash !== held.hash) this.#since.set(id, { hash: held.hash, at });
  }

  /** Takes over the held candidates a previous watcher wrote (status.json's `pending`); returns how many. */
  restore(entries: ReadonlyMap<string, PendingConfirmation>): number {
    let n = 0;
    for (const [id, p] of entries) {
      if (!isArticleId(id)) continue;
      this.guard.pending.set(id, { hash: p.hash, reason: p.reason, seen: p.seen });
      this.#since.set(id, { hash: p.hash, at: Date.parse(p.firstSeenAt) });
      n++;
    }
    return n;
  }

  /** What another watcher recorded for `id` replaces what this one holds (`held` undefined: nothing is held). */
  adopt(id: ArticleId, held: PendingCandidate | undefined, since: number | undefined): void {
    if (held === undefined) {
      this.guard.pending.delete(id);
      return;
    }
    this.guard.pending.set(id, held);
    this.#since.set(id, { hash: held.hash, at: since ?? this.now() });
  }

  /** The held candidate of `id` and when it was first seen, to share with the other watchers. */
  shareable(id: ArticleId): { held: PendingCandidate; heldSince: number } | undefined {
    const held = this.guard.pending.get(id);
    return held === undefined ? undefined : { held, heldSince: this.#since.get(id)?.at ?? this.now() };
  }

  /** The held candidates as status.json keeps them; undefined when none is held. */
  confirmations(): Record<string, PendingConfirmation> | undefined {
    if (this.guard.pending.size === 0) return undefined;
    const out: Record<string, PendingConfirmation> = {};
    for (const [id, p] of this.guard.pending) {
      const since = this.#since.get(id);
      out[id] = {
        hash: p.hash,
        reason: p.reason,
        seen: p.seen,
        firstSeenAt: iso(since !== undefined && since.hash === p.hash ? since.at : this.now())!,
      };
    }
    return out;
  }
}
