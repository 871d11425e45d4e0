/**
 * Folds: collapsed runs of unchanged paragraphs, written as a `<details>` holding their rows, or (option `foldLinks`)
 * as a link to where the run is shown. A move link to a paragraph left out behind such a link goes to the fold's
 * address instead of an anchor in the fragment.
 */
import { plural } from '../../words.js';
import { paraRange } from '../labels.js';
import type { Item, Layout } from '../layout.js';
import { esc, label } from './pieces.js';
import { anchorLinks, type LinkTo } from './rows.js';

/** An unchanged run, 0-based: old paragraphs `o`…, new paragraphs `n`…, `count` of them. */
export interface FoldRef {
  readonly o: number;
  readonly n: number;
  readonly count: number;
}

export interface FoldLinks {
  /** Folds longer than this become links (from 0 to 100,000). */
  readonly over: number;
  readonly href: (fold: FoldRef) => string;
  readonly runHref: (fold: FoldRef) => string;
}

type Fold = Extract<Item, { t: 'fold' }>;

/** "¶3–¶9", or "¶3–¶9 → ¶10–¶16" when the run sits elsewhere in the new version. */
function foldRange(item: Fold): string {
  return item.o === item.n
    ? paraRange(item.n, item.count)
    : `${paraRange(item.o, item.count)} → ${paraRange(item.n, item.count)}`;
}

/** A run whose texts are unknown (no `context` given): its count and place, as text. */
export function foldCountText(item: Fold): string {
  return `… ${plural(item.count, 'unchanged paragraph')} (${foldRange(item)}) …`;
}

/** A run left out of the fragment: a link to where it is shown. */
export function foldLinkHtml(item: Fold, links: FoldLinks): string {
  return `<div class="wd-fold-link" data-o="${item.o + 1}" data-n="${item.n + 1}" data-count="${item.count}"><a class="wd-fold-open" href="${esc(links.href(item))}" data-run="${esc(links.runHref(item))}">Show ${plural(item.count, 'unchanged paragraph')} <span class="wd-fold-range">(${label(foldRange(item))})</span></a></div>`;
}

/** The opening of a `<details>` fold, up to its summary; its rows and `</details>` follow. */
export function foldDetailsOpen(item: Fold): string {
  return `<details class="wd-fold"><summary>${plural(item.count, 'unchanged paragraph')} <span class="wd-fold-range">(${label(foldRange(item))})</span></summary>`;
}

/** The fold of `folds` (sorted) holding old (`o`) or new (`n`) paragraph `index`, by binary search. */
function foldHolding(folds: readonly FoldRef[], side: 'o' | 'n', index: number): FoldRef | undefined {
  let lo = 0;
  let hi = folds.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const f = folds[mid]!;
    const start = side === 'o' ? f.o : f.n;
    if (index < start) hi = mid - 1;
    else if (index >= start + f.count) lo = mid + 1;
    else return f;
  }
  return undefined;
}

/**
 * Where move links go: an anchor in the fragment, or, for a paragraph in a run left out behind a fold link (folds
 * `withText` longer than `over`), the fold's address with that anchor. `sideBySide`: whether unchanged paragraphs
 * carry their old ids too.
 */
export function foldAwareLinks(
  layout: Layout,
  pfx: string,
  sideBySide: boolean,
  links: FoldLinks | undefined,
  over: number,
): LinkTo {
  // The runs left out behind links, in order (equal runs are monotone on both sides).
  const linked: FoldRef[] = [];
  if (links !== undefined) {
    for (const section of layout.sections) {
      for (const item of section.items) {
        if (item.t === 'fold' && item.withText && item.count > over) linked.push(item);
      }
    }
  }
  const anchor = anchorLinks(pfx);
  if (linked.length === 0 || links === undefined) return anchor;
  return (side, index) => {
    const fold = foldHolding(linked, side, index);
    if (fold === undefined) return anchor(side, index);
    // Inline, an unchanged paragraph carries only its new id: old ¶o is new ¶(n + o − fold.o) there.
    const target = sideBySide || side === 'n' ? `${side}-${index + 1}` : `n-${fold.n + (index - fold.o) + 1}`;
    return esc(`${links.href(fold).replace(/#.*$/s, '')}#${pfx}${target}`);
  };
}
