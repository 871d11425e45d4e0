/**
 * `npm run eval` → `node dist/tests/eval/run.js [--verbose]`: runs the evaluation on tests/fixtures/eval/*.case and
 * prints precision and recall per facet and per fact type (see evaluate.ts). `--verbose` also prints every case's
 * significance and summary.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { casesIn, evaluate, formatEvaluation, repoRoot } from './evaluate.js';

const root = repoRoot(path.dirname(fileURLToPath(import.meta.url)));
const cases = casesIn(path.join(root, 'tests', 'fixtures', 'eval'));
const verbose = process.argv.includes('--verbose');
for (const [title, set] of [
  ['Development set (the rules were tuned on it)', 'development'],
  ['Held-out set (written before the rules ran on it; not tuned on)', 'held-out'],
] as const) {
  process.stdout.write(`== ${title}\n${formatEvaluation(evaluate(cases.filter((c) => c.set === set)), verbose)}\n\n`);
}
process.stdout.write(`== All pairs\n${formatEvaluation(evaluate(cases), false)}\n`);
