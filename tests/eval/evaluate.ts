/**
 * The evaluation of kinds, facets and facts on hand-written version pairs (tests/fixtures/eval/*.case).
 *
 * A case file: a header, then the two versions.
 *
 *     set: held-out           (optional; else development)
 *     kind: figures
 *     facets: figures, update
 *     format: text            (or html)
 *     facts:
 *       figure killed: 4 -> 7 lede
 *       added end 3
 *     --- old
 *     …the old version…
 *     --- new
 *     …the new version…
 *
 * Fact lines: `figure LABEL: OLD -> NEW [lede]`, `quote added|removed SPEAKER|-`, `lede`, `headline SOURCE`
 * (`text`, `h1`, `og:title`, `title`), `byline`, `dateline`, `timestamp`, `added|removed top|middle|end N`,
 * `note CONVENTION`, `entries ADDED EDITED REMOVED`. Each is compared as a key (see `factKey`); the expected facts of a
 * case are all its facts (a fact found but not listed counts against precision).
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArticle } from '../../src/core/extract/index.js';
import { diffVersions } from '../../src/core/diff/index.js';
import type { ChangeFact, ChangeKind } from '../../src/core/model/changeset.js';

export interface EvalCase {
  readonly name: string;
  /** `development` (the rules were tuned on it) or `held-out` (written and scored once, rules not tuned on it). */
  readonly set: 'development' | 'held-out';
  readonly kind: ChangeKind;
  readonly facets: readonly ChangeKind[];
  readonly facts: readonly string[];
  readonly format: 'text' | 'html';
  readonly old: string;
  readonly next: string;
}

export function parseCase(name: string, text: string): EvalCase {
  const oldAt = text.indexOf('\n--- old\n');
  const newAt = text.indexOf('\n--- new\n');
  if (oldAt < 0 || newAt < oldAt) throw new Error(`${name}: expected "--- old" then "--- new" lines`);
  const header = text.slice(0, oldAt).split('\n');
  let kind = '';
  let facets: string[] = [];
  let format: 'text' | 'html' = 'text';
  let set: EvalCase['set'] = 'development';
  const facts: string[] = [];
  let inFacts = false;
  for (const line of header) {
    if (line.trim() === '') continue;
    if (inFacts && /^\s+/.test(line)) {
      facts.push(line.trim());
      continue;
    }
    inFacts = false;
    const m = /^(\w+):\s*(.*)$/.exec(line);
    if (m === null) throw new Error(`${name}: cannot read header line ${JSON.stringify(line)}`);
    if (m[1] === 'kind') kind = m[2]!.trim();
    else if (m[1] === 'facets')
      facets = m[2]!
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
    else if (m[1] === 'format') format = m[2]!.trim() === 'html' ? 'html' : 'text';
    else if (m[1] === 'facts') inFacts = true;
    else if (m[1] === 'set') set = m[2]!.trim() === 'held-out' ? 'held-out' : 'development';
    else throw new Error(`${name}: unknown header ${m[1]}`);
  }
  return {
    name,
    set,
    kind: kind as ChangeKind,
    facets: facets as ChangeKind[],
    facts: facts.map(normalizeSpec),
    format,
    old: text.slice(oldAt + '\n--- old\n'.length, newAt),
    next: text.slice(newAt + '\n--- new\n'.length),
  };
}

function normalizeSpec(s: string): string {
  return s.replace(/\s+/g, ' ').replace(/→/g, '->').trim().toLowerCase();
}

/** The key a found fact is compared by (the same shape as the case's fact lines, lower case). */
export function factKey(f: ChangeFact): string {
  switch (f.type) {
    case 'figure':
      return normalizeSpec(`figure ${f.label}: ${f.old} -> ${f.new}${f.inLede ? ' lede' : ''}`);
    case 'quote':
      return normalizeSpec(`quote ${f.change} ${f.speaker ?? '-'}`);
    case 'headline':
      return `headline ${f.source}`;
    case 'added':
    case 'removed':
      return `${f.type} ${f.where} ${f.paragraphs}`;
    case 'note':
      return `note ${f.convention}`;
    case 'entries':
      return `entries ${f.added} ${f.edited} ${f.removed}`;
    default:
      return f.type;
  }
}

/** The fact type of a key (its first word). */
const typeOf = (key: string): string => key.split(' ')[0]!;

export interface CaseResult {
  readonly name: string;
  readonly expectedKind: ChangeKind;
  readonly kind: ChangeKind;
  readonly expectedFacets: readonly ChangeKind[];
  readonly facets: readonly ChangeKind[];
  readonly expectedFacts: readonly string[];
  readonly facts: readonly string[];
  readonly summary: string;
  readonly significance: number;
}

export interface Score {
  readonly name: string;
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly precision: number;
  readonly recall: number;
}

export interface Evaluation {
  readonly cases: readonly CaseResult[];
  readonly kindAccuracy: number;
  readonly facets: readonly Score[];
  readonly facts: readonly Score[];
}

function score(name: string, tp: number, fp: number, fn: number): Score {
  return {
    name,
    tp,
    fp,
    fn,
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: tp + fn === 0 ? 1 : tp / (tp + fn),
  };
}

/** Multiset intersection size of two lists of keys restricted to one type. */
function matchCounts(expected: readonly string[], found: readonly string[]): { tp: number; fp: number; fn: number } {
  const left = new Map<string, number>();
  for (const k of expected) left.set(k, (left.get(k) ?? 0) + 1);
  let tp = 0;
  let fp = 0;
  for (const k of found) {
    const c = left.get(k) ?? 0;
    if (c > 0) {
      tp++;
      left.set(k, c - 1);
    } else fp++;
  }
  let fn = 0;
  for (const c of left.values()) fn += c;
  return { tp, fp, fn };
}

export function casesIn(dir: string): EvalCase[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.case'))
    .sort()
    .map((f) => parseCase(f.replace(/\.case$/, ''), readFileSync(path.join(dir, f), 'utf8')));
}

export function evaluate(cases: readonly EvalCase[]): Evaluation {
  const results: CaseResult[] = cases.map((c) => {
    const old = parseArticle({ body: c.old, format: c.format });
    const next = parseArticle({ body: c.next, format: c.format });
    const cs = diffVersions(old, next);
    return {
      name: c.name,
      expectedKind: c.kind,
      kind: cs.kind,
      expectedFacets: c.facets,
      facets: cs.facets,
      expectedFacts: c.facts,
      facts: cs.facts.map(factKey),
      summary: cs.summary,
      significance: cs.significance,
    };
  });
  const facetNames = [...new Set(results.flatMap((r) => [...r.expectedFacets, ...r.facets]))].sort();
  const facets = facetNames.map((f) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const r of results) {
      const e = r.expectedFacets.includes(f);
      const g = r.facets.includes(f);
      if (e && g) tp++;
      else if (g) fp++;
      else if (e) fn++;
    }
    return score(f, tp, fp, fn);
  });
  const factTypes = [...new Set(results.flatMap((r) => [...r.expectedFacts, ...r.facts].map(typeOf)))].sort();
  const facts = factTypes.map((t) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const r of results) {
      const m = matchCounts(
        r.expectedFacts.filter((k) => typeOf(k) === t),
        r.facts.filter((k) => typeOf(k) === t),
      );
      tp += m.tp;
      fp += m.fp;
      fn += m.fn;
    }
    return score(t, tp, fp, fn);
  });
  const right = results.filter((r) => r.kind === r.expectedKind).length;
  return { cases: results, kindAccuracy: results.length === 0 ? 1 : right / results.length, facets, facts };
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function row(s: Score): string {
  return `${pad(s.name, 16)} ${pad(s.precision.toFixed(2), 9)} ${pad(s.recall.toFixed(2), 7)} ${pad(String(s.tp), 4)} ${pad(String(s.fp), 4)} ${s.fn}`;
}

/** The evaluation as a table people read, and the cases that missed. */
export function formatEvaluation(ev: Evaluation, verbose = false): string {
  const lines: string[] = [];
  lines.push(`${ev.cases.length} version pairs; primary kind right in ${(ev.kindAccuracy * 100).toFixed(1)} %`);
  lines.push('');
  lines.push(`${pad('facet', 16)} precision recall  tp   fp   fn`);
  for (const s of ev.facets) lines.push(row(s));
  lines.push('');
  lines.push(`${pad('fact', 16)} precision recall  tp   fp   fn`);
  for (const s of ev.facts) lines.push(row(s));
  const misses = ev.cases.filter(
    (r) =>
      r.kind !== r.expectedKind ||
      [...r.facets].sort().join() !== [...r.expectedFacets].sort().join() ||
      [...r.facts].sort().join('|') !== [...r.expectedFacts].sort().join('|'),
  );
  if (misses.length > 0) {
    lines.push('');
    lines.push(`Cases that differ from their expectation (${misses.length}):`);
    for (const r of misses) {
      lines.push(
        `  ${r.name}: kind ${r.kind} (expected ${r.expectedKind}); facets [${r.facets.join(', ')}] (expected [${r.expectedFacets.join(', ')}])`,
      );
      const extra = r.facts.filter((k) => !r.expectedFacts.includes(k));
      const missing = r.expectedFacts.filter((k) => !r.facts.includes(k));
      if (extra.length > 0) lines.push(`    facts found, not expected: ${extra.join('; ')}`);
      if (missing.length > 0) lines.push(`    facts expected, not found: ${missing.join('; ')}`);
    }
  }
  if (verbose) {
    lines.push('');
    for (const r of ev.cases) lines.push(`  ${pad(r.name, 34)} ${r.significance.toFixed(3)}  ${r.summary}`);
  }
  return lines.join('\n');
}

/** The repository root: the nearest directory above `from` holding package.json and tests/fixtures/eval. */
export function repoRoot(from: string): string {
  let dir = from;
  for (;;) {
    try {
      readdirSync(path.join(dir, 'tests', 'fixtures', 'eval'));
      readFileSync(path.join(dir, 'package.json'));
      return dir;
    } catch {
      const up = path.dirname(dir);
      if (up === dir) throw new Error(`no tests/fixtures/eval above ${from}`);
      dir = up;
    }
  }
}
