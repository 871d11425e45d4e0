/**
 * The false-version guard (pure): decides whether a freshly extracted article may become a version.
 *
 * - A bot wall, consent page or paywall (recognized by phrases, on a short page or one that lost most of the
 *   article) is refused outright: `reject` / `no-article`. It is never confirmed by repetition.
 * - An extraction that lost most of the article compared with the last version (fewer than `LOST_MOST_RATIO` of its
 *   words) is held (`lost-most`); a drastic change (word-bigram similarity below `DRASTIC_SIMILARITY`) is held
 *   (`pending-confirmation`). Either is published once the same content (same contentHash) is seen on two
 *   consecutive polls.
 *
 * The only state is `GuardState` (the pending candidate per article), owned by the caller. The watcher keeps it in
 * its status file, so that a held candidate is confirmed by the next poll even in another process (`watch --once`).
 */
import type { Article } from '../core/model/article.js';
import type { ArticleId } from '../core/model/version.js';

/** A candidate keeping fewer than this share of the last version's words "lost most of the article". */
export const LOST_MOST_RATIO = 0.4;
/** Word-bigram similarity (Dice) below which a change is drastic and must be confirmed by a second poll. */
export const DRASTIC_SIMILARITY = 0.2;
/** A page with a wall phrase and fewer words than this is a wall, whatever the last version was. */
export const WALL_MAX_WORDS = 250;
/** How many consecutive polls must see the same held content before it is published. */
export const CONFIRMATIONS_NEEDED = 2;

/** Phrases of bot walls, consent pages and paywalls (compared lower-case, whitespace collapsed). */
export const WALL_PHRASES: readonly string[] = [
  // bot walls
  'verify you are human',
  'verify that you are human',
  'are you a robot',
  'are you a human',
  'checking your browser',
  'checking if the site connection is secure',
  'enable javascript and cookies to continue',
  'please enable javascript',
  'please enable cookies',
  'access denied',
  'attention required',
  'unusual traffic from your computer',
  'request unsuccessful',
  'cloudflare ray id',
  'ddos protection by',
  'press & hold to confirm',
  'complete the security check',
  // consent pages
  'we value your privacy',
  'cookie consent',
  'accept all cookies',
  'manage cookie preferences',
  'before you continue',
  'consent to the use of cookies',
  'we and our partners use cookies',
  // paywalls
  'subscribe to continue reading',
  'subscribe to read',
  'this content is for subscribers',
  'already a subscriber',
  'sign in to continue reading',
  'log in to continue reading',
  'create a free account to continue',
  'you have reached your limit of free articles',
  'you have reached your free article limit',
];

export type GuardVerdict =
  | { readonly action: 'accept'; readonly confirmed: boolean }
  | { readonly action: 'reject'; readonly reason: 'empty' | 'no-article'; readonly detail: string }
  | { readonly action: 'hold'; readonly reason: 'lost-most' | 'pending-confirmation'; readonly detail: string };

export interface PendingCandidate {
  readonly hash: string;
  readonly reason: 'lost-most' | 'pending-confirmation';
  readonly seen: number;
}

/** Held candidates per article. Create with `createGuardState()`; one per watcher. */
export interface GuardState {
  readonly pending: Map<ArticleId, PendingCandidate>;
}

export function createGuardState(): GuardState {
  return { pending: new Map() };
}

/** Forgets a held candidate: the article was seen in another state (unchanged, a variant, a new version, a wall). */
export function clearPending(state: GuardState, article: ArticleId): void {
  state.pending.delete(article);
}

function words(a: Article): string[] {
  const out: string[] = [];
  for (const p of a.paragraphs) {
    for (const w of p.norm.toLowerCase().split(/\s+/)) if (w !== '') out.push(w);
  }
  return out;
}

/** Word count of an article's paragraphs (the title is not counted). */
export function wordCount(a: Article): number {
  return words(a).length;
}

/** Dice similarity of the word-bigram multisets of two articles' paragraphs: 1 = same, 0 = nothing shared. */
export function bigramSimilarity(a: Article, b: Article): number {
  const bag = (ws: string[]): Map<string, number> => {
    const m = new Map<string, number>();
    const seq = ws.length === 1 ? ws : ws.slice(1).map((w, i) => `${ws[i]!} ${w}`);
    for (const g of seq) m.set(g, (m.get(g) ?? 0) + 1);
    return m;
  };
  const wa = words(a);
  const wb = words(b);
  if (wa.length === 0 && wb.length === 0) return 1;
  const ba = bag(wa);
  const bb = bag(wb);
  let shared = 0;
  let total = 0;
  for (const n of ba.values()) total += n;
  for (const n of bb.values()) total += n;
  for (const [g, n] of ba) shared += Math.min(n, bb.get(g) ?? 0);
  return total === 0 ? 1 : (2 * shared) / total;
}

/** The first wall phrase found in the text, if any. */
export function findWallPhrase(text: string): string | undefined {
  const t = text.toLowerCase().replace(/\s+/g, ' ');
  return WALL_PHRASES.find((p) => t.includes(p));
}

function articleText(a: Article): string {
  return [a.title, ...a.paragraphs.map((p) => p.text)].join('\n');
}

/**
 * The measures `judge` bases its verdict on. They cost time in proportion to the article (a 2 MB page: hundreds of
 * ms), so the ingest pipeline computes them on a worker thread (`guardMetrics`) and hands them to `judge`.
 */
export interface GuardMetrics {
  readonly candidateWords: number;
  /** 0 without a previous version. */
  readonly previousWords: number;
  /** Word-bigram similarity to the previous version; 1 without one. */
  readonly similarity: number;
  /** The first wall phrase in the candidate's text, if any. */
  readonly wall?: string;
}

export function guardMetrics(previous: Article | undefined, candidate: Article): GuardMetrics {
  const wall = findWallPhrase(articleText(candidate));
  return {
    candidateWords: wordCount(candidate),
    previousWords: previous === undefined ? 0 : wordCount(previous),
    similarity: previous === undefined ? 1 : bigramSimilarity(previous, candidate),
    ...(wall !== undefined ? { wall } : {}),
  };
}

/**
 * Judges a candidate against the last stored version. Updates `state` (holds or confirms a candidate).
 * Call only for content that differs from the latest version and from the known variants.
 */
export function judge(
  state: GuardState,
  input: {
    readonly article: ArticleId;
    readonly previous: Article | undefined;
    readonly candidate: Article;
    readonly candidateHash: string;
    /** Precomputed `guardMetrics(previous, candidate)` (else computed here). */
    readonly metrics?: GuardMetrics;
  },
): GuardVerdict {
  const { article, previous, candidate, candidateHash } = input;
  const metrics = input.metrics ?? guardMetrics(previous, candidate);
  const n = metrics.candidateWords;
  if (candidate.paragraphs.length === 0 || n === 0) {
    clearPending(state, article);
    return { action: 'reject', reason: 'no-article', detail: 'the page has no article text' };
  }
  const prevWords = previous === undefined ? 0 : metrics.previousWords;
  const ratio = prevWords === 0 ? 1 : n / prevWords;

  const wall = metrics.wall;
  if (wall !== undefined && (n < WALL_MAX_WORDS || ratio < LOST_MOST_RATIO)) {
    clearPending(state, article);
    return {
      action: 'reject',
      reason: 'no-article',
      detail: `looks like a bot wall, consent page or paywall ("${wall}", ${n} words)`,
    };
  }

  let hold: { reason: 'lost-most' | 'pending-confirmation'; detail: string } | undefined;
  if (previous !== undefined && ratio < LOST_MOST_RATIO) {
    hold = {
      reason: 'lost-most',
      detail: `the extraction kept ${n} of ${prevWords} words (${Math.round(ratio * 100)}% < ${Math.round(LOST_MOST_RATIO * 100)}%)`,
    };
  } else if (previous !== undefined) {
    const sim = metrics.similarity;
    if (sim < DRASTIC_SIMILARITY) {
      hold = {
        reason: 'pending-confirmation',
        detail: `drastic change (similarity ${sim.toFixed(2)} < ${DRASTIC_SIMILARITY})`,
      };
    }
  }
  if (hold === undefined) {
    clearPending(state, article);
    return { action: 'accept', confirmed: false };
  }

  const pending = state.pending.get(article);
  const seen = pending !== undefined && pending.hash === candidateHash ? pending.seen + 1 : 1;
  if (seen >= CONFIRMATIONS_NEEDED) {
    clearPending(state, article);
    return { action: 'accept', confirmed: true };
  }
  state.pending.set(article, { hash: candidateHash, reason: hold.reason, seen });
  const more = CONFIRMATIONS_NEEDED - seen;
  return {
    action: 'hold',
    reason: hold.reason,
    detail: `${hold.detail}; held: stored if the next ${more === 1 ? 'poll sees' : `${more} polls see`} the same text`,
  };
}
