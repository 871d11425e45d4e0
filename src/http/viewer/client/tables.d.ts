/**
 * What the live script needs from the server's own tables, which the page does not carry: `assets/index.ts` builds
 * it from `pages/format.ts` and `pages/sparkline.ts` and serves `/assets/live.js` as
 * `var WIREDIFF_LIVE_TABLES = {…};` followed by the compiled `live.ts`.
 */
export interface LiveTables {
  /** The symbol and label of every change kind (`KIND_LABELS`). */
  readonly kinds: { readonly [kind: string]: { readonly symbol: string; readonly label: string } };
  /** Versions closer than this show their seconds (`SECONDS_WITHIN_MS`). */
  readonly secondsWithinMs: number;
  /** How many of the newest versions the sparkline draws (`SPARK_MAX`). */
  readonly sparkMax: number;
  /** The sparkline's geometry (`SPARK_GEOMETRY`). */
  readonly geometry: {
    readonly slot: number;
    readonly bar: number;
    readonly height: number;
    readonly minSlots: number;
  };
}
