/**
 * Back-off per host. A 429 or a 5xx says the host is struggling or rate-limiting us, whatever the page: while it backs
 * off, no source fetches from it (a newsroom watching fifty pages of one site must not send fifty requests into a
 * 429). The source that got the answer also backs off itself (schedule.ts); this gate holds the others.
 *
 * Keyed by `URL.host` (lowercased name and port). Times are passed in; expired holds are dropped as they are seen.
 */

/** The host part of `url` (`example.com:8080`), or undefined when it is not a URL. */
export function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host.toLowerCase() || undefined;
  } catch {
    return undefined;
  }
}

/** Past this many held hosts, expired holds are swept on the next `hold`. */
const SWEEP_AT = 256;

export class HostGate {
  private readonly until = new Map<string, number>();

  /** Holds `url`'s host until `untilMs` (a later hold already in place is kept). */
  hold(url: string, untilMs: number, nowMs: number): void {
    const host = hostOf(url);
    if (host === undefined) return;
    if (this.until.size >= SWEEP_AT) {
      for (const [h, t] of this.until) if (t <= nowMs) this.until.delete(h);
    }
    this.until.set(host, Math.max(untilMs, this.until.get(host) ?? 0));
  }

  /** When `url`'s host is held at `nowMs`, until when; otherwise undefined. */
  heldUntil(url: string, nowMs: number): { readonly host: string; readonly until: number } | undefined {
    const host = hostOf(url);
    if (host === undefined) return undefined;
    const until = this.until.get(host);
    if (until === undefined) return undefined;
    if (until <= nowMs) {
      this.until.delete(host);
      return undefined;
    }
    return { host, until };
  }
}
