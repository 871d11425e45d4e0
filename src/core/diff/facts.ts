/**
 * The facts of a change, read from the ops and both articles: figures changed (with their context words), quotes
 * added or removed (with the speaker), the lede replaced, the headline before and after (and which headline of the
 * page), bylines and datelines changed, where new material went (top, middle, end), paragraphs taken out, the story's
 * own update notes (Reuters, AFP, Bloomberg, AP, "This story has been updated…", "Editor's note:", "Clarification:"),
 * live-blog entries, and dates or times that changed. Also what each edit is (see `EditClass`), which the classifier
 * turns into facets. Pure; see docs/changes.md for the rules.
 */
import type { Article } from '../model/article.js';
import type { ChangeFact, HeadlineSource, NoteConvention, Op, Placement } from '../model/changeset.js';
import { normalizeText } from '../extract/normalize.js';
import {
  datesIn,
  figureLabel,
  figuresIn,
  isEntry,
  isTimestampLine,
  LIVE_BLOG_MIN_ENTRIES,
  maskDates,
  noteConvention,
  prefixConvention,
  quotesIn,
  speakerOf,
  splitHeadline,
  WITH_AGENCY_CREDIT,
  type Figure,
} from './conventions.js';

/** An edit of at most this many words added and this many removed (dates and figures aside) is small: a typo, a word. */
export const TYPO_MAX_WORDS = 2;

/**
 * An edit that changes figures and at most this many other words each way ("down 1.2% in afternoon trading" →
 * "down 2.4% at the close") is a figure update, not an update of the text.
 */
export const FIGURE_EDIT_MAX_WORDS = 3;

/**
 * An edit keeping less than this share of its paragraph's characters is a rewrite of that paragraph (a new lede when
 * it is the lede).
 */
export const REWRITE_MAX_UNCHANGED = 0.5;

/** What a paragraph is, for the facts. */
export type Role = 'story' | 'note' | 'timestamp' | 'byline' | 'dateline';

/**
 * What an edit changed: only whitespace or punctuation (`cosmetic`), only dates and times (`timestamp`), only figures
 * (`figures`), a word or two (`small`), most of the paragraph (`rewrite`), or more than a word or two (`substantive`).
 */
export type EditClass = 'cosmetic' | 'timestamp' | 'figures' | 'small' | 'rewrite' | 'substantive';

export interface Analysis {
  readonly facts: ChangeFact[];
  /** For each op (same index): its edit class, for `edit`, `move` with a text change, `split` and `merge`. */
  readonly editClass: (EditClass | null)[];
  /** Paragraph roles of the old and new versions. */
  readonly oldRoles: readonly Role[];
  readonly newRoles: readonly Role[];
  /** The new version reads as a live blog (timestamped entries). */
  readonly liveBlog: boolean;
  /** Old and new story paragraphs, and how many of each were rewritten, inserted or deleted. */
  readonly story: {
    readonly oldCount: number;
    readonly newCount: number;
    readonly newFresh: number;
    readonly oldLost: number;
  };
}

export function roleOf(a: Article, i: number): Role {
  const p = a.paragraphs[i];
  if (p === undefined) return 'story';
  if (p.block === 'byline' || WITH_AGENCY_CREDIT.test(p.norm)) return 'byline';
  if (p.block === 'dateline') return 'dateline';
  if (isTimestampLine(p.norm)) return 'timestamp';
  if (p.block === 'banner' || p.block === 'correction' || noteConvention(p.norm) !== null) return 'note';
  return 'story';
}

/** Words of a date-masked text (see `maskDates`) with figures masked too. */
function contentWords(masked: string): string[] {
  return masked
    .replace(/\d[\d,.]*%?/g, '#')
    .split(/[^\p{L}\p{N}#'-]+/u)
    .filter((w) => /[\p{L}\p{N}#]/u.test(w));
}

function wordDelta(a: readonly string[], b: readonly string[]): { added: number; removed: number } {
  const counts = new Map<string, number>();
  for (const w of a) counts.set(w, (counts.get(w) ?? 0) + 1);
  let added = 0;
  for (const w of b) {
    const c = counts.get(w) ?? 0;
    if (c > 0) counts.set(w, c - 1);
    else added++;
  }
  let removed = 0;
  for (const c of counts.values()) removed += c;
  return { added, removed };
}

/** Share of characters kept by word parts (0 when there are none). */
export function unchangedShare(op: Extract<Op, { op: 'edit' }>): number {
  if (op.parts === null) return 0;
  let kept = 0;
  for (const p of op.parts) if (p.t === '=') kept += p.v.trim().length;
  const longest = Math.max(op.old.trim().length, op.text.trim().length);
  return longest === 0 ? 1 : kept / longest;
}

/** Figures that changed between two texts of one paragraph: pairs of (old, new) with the label of the new one. */
export function changedFigures(oldNorm: string, newNorm: string): { old: Figure; new: Figure }[] {
  const olds = figuresIn(oldNorm);
  const news = figuresIn(newNorm);
  const usedOld = new Set<number>();
  const restNew: Figure[] = [];
  const sameContext = (a: Figure, b: Figure): boolean =>
    (a.after[0] ?? '') === (b.after[0] ?? '') || (a.before.at(-1) ?? '') === (b.before.at(-1) ?? '');
  for (const n of news) {
    const k = olds.findIndex(
      (o, i) => !usedOld.has(i) && o.value.toLowerCase() === n.value.toLowerCase() && sameContext(o, n),
    );
    if (k >= 0) usedOld.add(k);
    else restNew.push(n);
  }
  const restOld = olds.filter((_, i) => !usedOld.has(i));
  const pairs: { old: Figure; new: Figure }[] = [];
  const taken = new Set<number>();
  for (const n of restNew) {
    let best = -1;
    let bestScore = 0;
    restOld.forEach((o, i) => {
      if (taken.has(i)) return;
      let score = 0;
      if ((o.after[0] ?? '') === (n.after[0] ?? '') && n.after.length > 0) score += 2;
      if ((o.before.at(-1) ?? '') === (n.before.at(-1) ?? '') && n.before.length > 0) score += 2;
      for (const w of n.after) if (o.after.includes(w)) score += 0.5;
      for (const w of n.before) if (o.before.includes(w)) score += 0.5;
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    });
    if (best < 0 && restOld.length === 1 && restNew.length === 1 && !taken.has(0)) best = 0;
    if (best >= 0 && restOld[best]!.value !== n.value) {
      taken.add(best);
      pairs.push({ old: restOld[best]!, new: n });
    }
  }
  return pairs;
}

function sameQuote(a: string, b: string): boolean {
  const wa = a.toLowerCase().split(/\s+/);
  const wb = b.toLowerCase().split(/\s+/);
  const d = wordDelta(wa, wb);
  const common = wb.length - d.added;
  return common >= 0.6 * Math.max(wa.length, wb.length);
}

function clipText(s: string, max = 200): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length <= max ? t : `${t.slice(0, max - 1).trimEnd()}…`;
}

function classifyEdit(oldNorm: string, newNorm: string, unchanged: number, cosmetic: boolean): EditClass {
  if (cosmetic || oldNorm === newNorm) return 'cosmetic';
  const mo = maskDates(oldNorm);
  const mn = maskDates(newNorm);
  if (mo === mn) return 'timestamp';
  const d = wordDelta(contentWords(mo), contentWords(mn));
  const figures = changedFigures(oldNorm, newNorm).length > 0;
  if (figures && d.added <= FIGURE_EDIT_MAX_WORDS && d.removed <= FIGURE_EDIT_MAX_WORDS) return 'figures';
  if (d.added <= TYPO_MAX_WORDS && d.removed <= TYPO_MAX_WORDS) return 'small';
  if (unchanged < REWRITE_MAX_UNCHANGED) return 'rewrite';
  return 'substantive';
}

function headlineSource(oldA: Article, newA: Article): HeadlineSource {
  if (newA.format === 'text') return 'text';
  const o = oldA.headlines;
  const n = newA.headlines;
  if (o !== undefined && n !== undefined) {
    if ((n.h1 ?? '') !== '' && normalizeText(o.h1 ?? '') !== normalizeText(n.h1 ?? '')) return 'h1';
    if ((n.ogTitle ?? '') !== '' && normalizeText(o.ogTitle ?? '') !== normalizeText(n.ogTitle ?? '')) {
      return 'og:title';
    }
  }
  return 'title';
}

function placement(hasKeptBefore: boolean, hasKeptAfter: boolean): Placement {
  if (!hasKeptBefore) return 'top';
  if (!hasKeptAfter) return 'end';
  return 'middle';
}

/** Runs of marked indexes in `order` (story paragraph indexes), each placed relative to the kept ones. */
function runs(
  order: readonly number[],
  marked: (i: number) => boolean,
  kept: (i: number) => boolean,
): { start: number; count: number; where: Placement }[] {
  const out: { start: number; count: number; where: Placement }[] = [];
  let firstKept = -1;
  let lastKept = -1;
  order.forEach((i, k) => {
    if (!kept(i)) return;
    if (firstKept < 0) firstKept = k;
    lastKept = k;
  });
  for (let k = 0; k < order.length; k++) {
    if (!marked(order[k]!)) continue;
    let e = k;
    while (e + 1 < order.length && marked(order[e + 1]!)) e++;
    const before = firstKept >= 0 && firstKept < k;
    const after = lastKept > e;
    out.push({ start: order[k]!, count: e - k + 1, where: placement(before, after) });
    k = e;
  }
  return out;
}

export function analyzeChange(ops: readonly Op[], oldA: Article, newA: Article): Analysis {
  const facts: ChangeFact[] = [];
  const oldRoles = oldA.paragraphs.map((_, i) => roleOf(oldA, i));
  const newRoles = newA.paragraphs.map((_, i) => roleOf(newA, i));
  const editClass: (EditClass | null)[] = ops.map(() => null);
  const entries = newA.paragraphs.filter((p) => isEntry(p.norm)).length;
  const liveBlog = entries >= LIVE_BLOG_MIN_ENTRIES;

  // Where each new paragraph came from, and what happened to each old one.
  const newFrom: ('kept' | 'inserted' | 'moved')[] = newA.paragraphs.map(() => 'kept');
  const oldFate: ('kept' | 'deleted' | 'moved')[] = oldA.paragraphs.map(() => 'kept');
  const newOp: number[] = newA.paragraphs.map(() => -1);
  ops.forEach((op, k) => {
    if (op.op === 'insert') {
      newFrom[op.n] = 'inserted';
      newOp[op.n] = k;
    } else if (op.op === 'move') {
      newFrom[op.n] = 'moved';
      newOp[op.n] = k;
    } else if (op.op === 'delete') oldFate[op.o] = 'deleted';
    else if (op.op === 'moved-out') oldFate[op.o] = 'moved';
    else if (op.op === 'edit') newOp[op.n] = k;
    else if (op.op === 'split') for (let j = op.n; j < op.n + op.texts.length; j++) newOp[j] = k;
    else if (op.op === 'merge') newOp[op.n] = k;
  });

  // Edits: their class, and the figures, quotes and timestamps they change.
  let newFresh = 0;
  let oldLost = 0;
  const ledeNew = newRoles.indexOf('story');
  const ledeOld = oldRoles.indexOf('story');
  let entryEdits = 0;
  ops.forEach((op, k) => {
    if (op.op !== 'edit' && !(op.op === 'move' && op.parts !== null)) return;
    const oldP = oldA.paragraphs[op.o]!;
    const newP = newA.paragraphs[op.n]!;
    const unchanged =
      op.op === 'edit' ? unchangedShare(op) : unchangedShare({ ...op, op: 'edit', cosmetic: false, old: oldP.text });
    const cls = classifyEdit(oldP.norm, newP.norm, unchanged, op.op === 'edit' && op.cosmetic);
    editClass[k] = cls;
    const role = newRoles[op.n]!;
    if (role === 'story' && cls === 'rewrite') {
      newFresh++;
      oldLost++;
    }
    if (liveBlog && isEntry(newP.norm) && (cls === 'substantive' || cls === 'rewrite')) entryEdits++;
    if (cls === 'timestamp') {
      const od = datesIn(oldP.norm);
      const nd = datesIn(newP.norm);
      facts.push({
        type: 'timestamp',
        old: od.filter((d) => !nd.includes(d)).join(', '),
        new: nd.filter((d) => !od.includes(d)).join(', '),
        at: { o: op.o, n: op.n },
      });
      return;
    }
    if (cls === 'cosmetic') return;
    if (role === 'story' || role === 'note') {
      for (const pair of changedFigures(oldP.norm, newP.norm)) {
        facts.push({
          type: 'figure',
          label: figureLabel(pair.new),
          old: pair.old.value,
          new: pair.new.value,
          inLede: op.n === ledeNew,
          at: { o: op.o, n: op.n },
        });
      }
    }
    if (role === 'story') {
      const oq = quotesIn(oldP.norm);
      const nq = quotesIn(newP.norm);
      for (const q of nq) {
        if (!oq.some((x) => sameQuote(x, q))) {
          facts.push({
            type: 'quote',
            change: 'added',
            speaker: speakerOf(newP.norm),
            text: clipText(q),
            at: { o: op.o, n: op.n },
          });
        }
      }
      for (const q of oq) {
        if (!nq.some((x) => sameQuote(x, q))) {
          facts.push({
            type: 'quote',
            change: 'removed',
            speaker: speakerOf(oldP.norm),
            text: clipText(q),
            at: { o: op.o, n: op.n },
          });
        }
      }
    }
  });
  ops.forEach((op, k) => {
    if (op.op !== 'split' && op.op !== 'merge') return;
    const oldNorm = op.op === 'split' ? normalizeText(op.old) : normalizeText(op.olds.join(' '));
    const newNorm = op.op === 'split' ? normalizeText(op.texts.join(' ')) : normalizeText(op.text);
    editClass[k] = classifyEdit(oldNorm, newNorm, op.similarity, false);
  });

  // The lede.
  if (ledeNew >= 0 && !liveBlog) {
    const k = newOp[ledeNew] ?? -1;
    const op = k >= 0 ? ops[k] : undefined;
    const replaced =
      newFrom[ledeNew] === 'inserted' ||
      newFrom[ledeNew] === 'moved' ||
      (op !== undefined && (op.op === 'edit' || op.op === 'split' || op.op === 'merge') && editClass[k] === 'rewrite');
    if (replaced) {
      facts.push({
        type: 'lede',
        old: ledeOld >= 0 ? clipText(oldA.paragraphs[ledeOld]!.text) : '',
        new: clipText(newA.paragraphs[ledeNew]!.text),
        at: { ...(ledeOld >= 0 ? { o: ledeOld } : {}), n: ledeNew },
      });
    }
  }

  // New and removed story paragraphs, and where they stand.
  const newStory = newRoles.flatMap((r, i) => (r === 'story' ? [i] : []));
  const oldStory = oldRoles.flatMap((r, i) => (r === 'story' ? [i] : []));
  const newStoryAt = new Map(newStory.map((i, k) => [i, k]));
  const oldStoryAt = new Map(oldStory.map((i, k) => [i, k]));
  let entriesAdded = 0;
  let entriesRemoved = 0;
  // A new lede put in place of an old lede taken out is one replacement (the `lede` fact), not an addition and a cut.
  const ledeSwapped =
    facts.some((f) => f.type === 'lede') &&
    newFrom[ledeNew] === 'inserted' &&
    ledeOld >= 0 &&
    oldFate[ledeOld] === 'deleted';
  for (const run of runs(
    newStory,
    (i) => newFrom[i] === 'inserted',
    (i) => newFrom[i] !== 'inserted',
  )) {
    newFresh += run.count;
    const from = newStoryAt.get(run.start) ?? 0;
    let entriesInRun = 0;
    for (let j = from; j < from + run.count; j++) if (isEntry(newA.paragraphs[newStory[j]!]!.norm)) entriesInRun++;
    if (liveBlog) entriesAdded += entriesInRun;
    // A live blog's new entries are said as entries.
    if (liveBlog && entriesInRun === run.count) continue;
    const count = ledeSwapped && run.start === ledeNew ? run.count - 1 : run.count;
    if (count > 0) facts.push({ type: 'added', where: run.where, paragraphs: count, at: { n: run.start } });
  }
  for (const run of runs(
    oldStory,
    (i) => oldFate[i] === 'deleted',
    (i) => oldFate[i] !== 'deleted',
  )) {
    oldLost += run.count;
    const from = oldStoryAt.get(run.start) ?? 0;
    let entriesInRun = 0;
    for (let j = from; j < from + run.count; j++) if (isEntry(oldA.paragraphs[oldStory[j]!]!.norm)) entriesInRun++;
    if (liveBlog) entriesRemoved += entriesInRun;
    if (liveBlog && entriesInRun === run.count) continue;
    const swapped = ledeSwapped && ledeOld >= run.start && (oldStoryAt.get(ledeOld) ?? -1) < from + run.count;
    const count = swapped ? run.count - 1 : run.count;
    if (count > 0) facts.push({ type: 'removed', where: run.where, paragraphs: count, at: { o: run.start } });
  }
  if (liveBlog && entriesAdded + entryEdits + entriesRemoved > 0) {
    facts.push({
      type: 'entries',
      added: entriesAdded,
      edited: entryEdits,
      removed: entriesRemoved,
      at: {},
    });
  }

  // Quotes in whole paragraphs added or removed.
  for (const op of ops) {
    if (op.op === 'insert' && newRoles[op.n] === 'story') {
      const norm = newA.paragraphs[op.n]!.norm;
      for (const q of quotesIn(norm)) {
        facts.push({ type: 'quote', change: 'added', speaker: speakerOf(norm), text: clipText(q), at: { n: op.n } });
      }
    } else if (op.op === 'delete' && oldRoles[op.o] === 'story') {
      const norm = oldA.paragraphs[op.o]!.norm;
      for (const q of quotesIn(norm)) {
        facts.push({ type: 'quote', change: 'removed', speaker: speakerOf(norm), text: clipText(q), at: { o: op.o } });
      }
    }
  }

  // Timestamp lines added or removed.
  for (const op of ops) {
    if (op.op === 'insert' && newRoles[op.n] === 'timestamp') {
      facts.push({ type: 'timestamp', old: '', new: clipText(newA.paragraphs[op.n]!.text), at: { n: op.n } });
    } else if (op.op === 'delete' && oldRoles[op.o] === 'timestamp') {
      facts.push({ type: 'timestamp', old: clipText(oldA.paragraphs[op.o]!.text), new: '', at: { o: op.o } });
    }
  }

  // The story's own notes: note paragraphs added or changed, and wire prefixes new in the headline.
  const oldNoteNorms = new Set(oldA.paragraphs.filter((_, i) => oldRoles[i] === 'note').map((p) => p.norm));
  newA.paragraphs.forEach((p, i) => {
    if (newRoles[i] !== 'note' || oldNoteNorms.has(p.norm)) return;
    const k = newOp[i] ?? -1;
    if (k >= 0 && editClass[k] === 'cosmetic') return;
    const convention: NoteConvention =
      noteConvention(p.norm) ?? (p.block === 'correction' ? 'correction' : 'story-updated');
    facts.push({ type: 'note', convention, text: clipText(p.text, 240), at: { n: i } });
  });
  const oldHead = splitHeadline(oldA.title);
  const newHead = splitHeadline(newA.title);
  for (const prefix of newHead.prefixes) {
    if (oldHead.prefixes.includes(prefix)) continue;
    facts.push({ type: 'note', convention: prefixConvention(prefix), text: prefix, at: {} });
  }

  // The headline (without wire prefixes).
  if (normalizeText(oldHead.text).toLowerCase() !== normalizeText(newHead.text).toLowerCase()) {
    facts.push({
      type: 'headline',
      old: oldHead.text,
      new: newHead.text,
      source: headlineSource(oldA, newA),
      at: {},
    });
  }

  // Bylines (by-lines and credit lines) and datelines.
  const bylines = (a: Article, roles: readonly Role[]): string =>
    a.paragraphs
      .filter((_, i) => roles[i] === 'byline')
      .map((p) => p.text.trim())
      .join(' / ') ||
    (a.byline ?? '');
  const ob = bylines(oldA, oldRoles);
  const nb = bylines(newA, newRoles);
  if (normalizeText(ob) !== normalizeText(nb)) facts.push({ type: 'byline', old: ob, new: nb, at: {} });
  const od = oldA.dateline ?? '';
  const nd = newA.dateline ?? '';
  if (normalizeText(od) !== normalizeText(nd)) {
    facts.push({ type: 'dateline', old: od, new: nd, at: ledeNew >= 0 ? { n: ledeNew } : {} });
  }

  return {
    facts,
    editClass,
    oldRoles,
    newRoles,
    liveBlog,
    story: { oldCount: oldStory.length, newCount: newStory.length, newFresh, oldLost },
  };
}
