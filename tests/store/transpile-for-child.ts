/**
 * Builds a runnable copy of a TypeScript entry file and everything it imports relatively (the store code, the model),
 * by per-file transpilation with the project's own `typescript`, into `outDir` (mirroring paths from the repo root).
 * So a child process can run the current sources with plain `node`, without a prior build and without a loader.
 * Packages (bare imports) resolve through a `node_modules` link in `outDir` to the repo's own.
 */
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const RELATIVE_IMPORT = /(?:from\s+|import\s*\(\s*|import\s+)'(\.{1,2}\/[^']+)\.js'/g;

/** Transpiles `entry` (an absolute .ts path under `root`) and its relative imports; returns the entry's .js path. */
export async function transpileForChild(entry: string, root: string, outDir: string): Promise<string> {
  const seen = new Set<string>();
  const queue = [resolve(entry)];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = await readFile(file, 'utf8');
    for (const m of source.matchAll(RELATIVE_IMPORT)) queue.push(resolve(dirname(file), `${m[1]!}.ts`));
    const out = ts.transpileModule(source, {
      fileName: file,
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
        sourceMap: false,
      },
    });
    const target = join(outDir, relative(root, file)).replace(/\.ts$/, '.js');
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, out.outputText);
  }
  await writeFile(join(outDir, 'package.json'), '{ "type": "module" }\n');
  await symlink(join(root, 'node_modules'), join(outDir, 'node_modules')).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err;
  });
  return join(outDir, relative(root, resolve(entry))).replace(/\.ts$/, '.js');
}
