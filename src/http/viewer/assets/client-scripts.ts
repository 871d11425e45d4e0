/**
 * The JavaScript of the viewer's browser scripts (`src/http/viewer/client/*.ts`), read once at start.
 *
 * Built (`npm run build`: `tsc -b` compiles the client project beside the server), this module runs as
 * `dist/src/http/viewer/assets/client-scripts.js` and reads tsc's output in `dist/src/http/viewer/client/`, written by
 * the same build. Run from the TypeScript sources (vitest), `dist/` may be missing or older than the sources, so the
 * script is compiled from its source now, with the client tsconfig's own options (TypeScript is a dev dependency,
 * there whenever the sources run): both give the same bytes, which `tests/http/viewer/browser-assets.test.ts` checks
 * against the `tsc` command's output.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as TypeScript from 'typescript';

/** The browser scripts, by file name without extension. */
type ClientScript = 'live' | 'folds';

const here = dirname(fileURLToPath(import.meta.url));
/** The client sources' folder (beside `assets/`), and in `dist/` the folder of their compiled JavaScript. */
const CLIENT_DIR = join(here, '..', 'client');
const FROM_SOURCE = import.meta.url.endsWith('.ts');

/** The JavaScript of the client script `name`: tsc's output when built, else compiled from the source now. */
export function clientScript(name: ClientScript): string {
  return FROM_SOURCE
    ? compileClientSource(join(CLIENT_DIR, `${name}.ts`))
    : readFileSync(join(CLIENT_DIR, `${name}.js`), 'utf8');
}

/**
 * `file` (a client source) compiled to JavaScript with the options of the client tsconfig beside it: what tsc writes
 * for it. Type errors are not reported here: `npm run typecheck` checks the client project.
 */
export function compileClientSource(file: string): string {
  const ts = createRequire(import.meta.url)('typescript') as typeof TypeScript;
  const configFile = join(dirname(file), 'tsconfig.json');
  const read = ts.readConfigFile(configFile, (path) => ts.sys.readFile(path));
  if (read.error !== undefined) {
    throw new Error(`Cannot read ${configFile}: ${ts.flattenDiagnosticMessageText(read.error.messageText, '\n')}`);
  }
  const { options } = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(configFile));
  const out = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions: options, fileName: file });
  return out.outputText;
}
