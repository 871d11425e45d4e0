import ts from 'typescript';
import { readFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
const files = execSync('git ls-files src', { encoding: 'utf8' }).split('\n').filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
const big = [];
for (const f of files) {
  const text = readFileSync(f, 'utf8');
  const lines = text.split('\n').length;
  if (lines > 400) big.push(`FILE ${lines} ${f} :: ${text.slice(0, 300).split('\n').slice(0, 3).join(' ')}`);
  const sf = ts.createSourceFile(f, text, ts.ScriptTarget.Latest, true);
  const visit = (n) => {
    if (ts.isFunctionLike(n) && n.body) {
      const s = sf.getLineAndCharacterOfPosition(n.getStart()).line;
      const e = sf.getLineAndCharacterOfPosition(n.end).line;
      if (e - s + 1 > 120) {
        const name = n.name?.getText?.() ?? (ts.isVariableDeclaration(n.parent) ? n.parent.name.getText() : '<anon>');
        big.push(`FN ${e - s + 1} ${f}:${s + 1} ${name}`);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
}
console.log(big.sort().join('\n'));
