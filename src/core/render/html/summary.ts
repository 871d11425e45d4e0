/** The header of a diff fragment: the kind, significance, summary, facts, statistics and a changed headline. */
import type { ChangeSet } from '../../model/changeset.js';
import { kindLabel } from '../../model/kinds.js';
import { factLines } from '../facts.js';
import { knownKind, statsLine } from '../labels.js';
import { esc, label } from './pieces.js';

export function summaryHtml(cs: ChangeSet, out: string[]): void {
  out.push(
    '<div class="wd-summary">',
    `<p class="wd-kind wd-kind-${knownKind(cs.kind)}"><strong>${esc(kindLabel(cs.kind))}</strong> <span class="wd-significance">significance ${(Number.isFinite(cs.significance) ? cs.significance : 0).toFixed(2)}</span></p>`,
  );
  // The kind is said just above: a summary starting with the same label ("Breaking update: 6 paragraphs…") drops it.
  const own = /^([^:]{1,24}):\s*/.exec(cs.summary);
  const summary =
    own !== null && own[1]!.trim().toLowerCase() === kindLabel(cs.kind).toLowerCase()
      ? cs.summary.slice(own[0].length)
      : cs.summary;
  if (summary !== '') {
    // With its label said above, the summary starts with its first phrase: capitalise it.
    out.push(`<p class="wd-summary-text">${esc(summary.charAt(0).toUpperCase() + summary.slice(1))}</p>`);
  }
  // A changed headline has its own line below.
  const facts = factLines(cs.facts).filter((x) => !(cs.title.changed && x.label === 'Headline'));
  if (facts.length > 0) {
    out.push(
      '<ul class="wd-facts">',
      ...facts.map((f) => `<li><strong>${esc(f.label)}:</strong> ${esc(f.text)}</li>`),
      '</ul>',
    );
  }
  out.push(`<p class="wd-stats">Paragraphs: ${label(statsLine(cs.stats))}</p>`);
  if (cs.title.changed) {
    out.push(
      `<p class="wd-title-change">Headline: <del>${esc(cs.title.old)}</del> &#8594; <ins>${esc(cs.title.new)}</ins></p>`,
    );
  }
  out.push('</div>');
}
