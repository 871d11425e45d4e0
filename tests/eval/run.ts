/**
 * `npm run eval` → `node dist/tests/eval/run.js [--verbose]`: runs the evaluation on tests/fixtures/eval/*.case and
 * prints precision and recall per facet and per fact type (see evaluate.ts). `--verbose` also prints every case's
 * significance and summary.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { casesIn, evaluate, formatEvaluation, repoRoot } from './evaluate.js';

const root = repoRoot(path.dirname(fileURLToPath(import.meta.url)));
const ev = evaluate(casesIn(path.join(root, 'tests', 'fixtures', 'eval')));
process.stdout.write(`${formatEvaluation(ev, process.argv.includes('--verbose'))}\n`);
