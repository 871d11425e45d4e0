// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'snapshots/', 'feeds/', 'coverage/', 'tests/artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js', 'vitest.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // The pure core does no I/O, reads no clock and no environment: time and options come in as arguments.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:fs',
                'node:fs/*',
                'fs',
                'node:net',
                'node:http',
                'node:https',
                'node:child_process',
                'node:dns',
                'node:os',
                'node:process',
                'ws',
                'node-cron',
                'pino',
              ],
              message: 'src/core is pure: no I/O.',
            },
            {
              // Every folder of src/ beside core, from any depth inside src/core.
              group: [
                '../store/*',
                '../sources/*',
                '../ingest/*',
                '../watch/*',
                '../publish/*',
                '../http/*',
                '../config/*',
                '../lib/*',
                '../cli/*',
                '../app.js',
                '../../store/*',
                '../../sources/*',
                '../../ingest/*',
                '../../watch/*',
                '../../publish/*',
                '../../http/*',
                '../../config/*',
                '../../lib/*',
                '../../cli/*',
                '../../app.js',
                '../../../store/*',
                '../../../sources/*',
                '../../../ingest/*',
                '../../../watch/*',
                '../../../publish/*',
                '../../../http/*',
                '../../../config/*',
                '../../../lib/*',
                '../../../cli/*',
                '../../../app.js',
              ],
              message: 'src/core imports nothing outside src/core.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'src/core reads no environment: pass options in.' },
        { name: 'fetch', message: 'src/core does no I/O.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'src/core reads no clock: pass the time in.' },
        { object: 'Math', property: 'random', message: 'src/core is deterministic.' },
        { object: 'performance', property: 'now', message: 'src/core reads no clock.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'src/core reads no clock: pass the time in.',
        },
      ],
    },
  },
  {
    // The viewer's browser scripts: type-checked by their own tsconfig (DOM, ES2019, no Node types), served as
    // classic scripts, so nothing is imported or exported; and no browser global that a typo can reach by accident.
    files: ['src/http/viewer/client/**/*.ts'],
    ignores: ['src/http/viewer/client/**/*.d.ts'],
    rules: {
      // A script cannot import, so a type from a module is named as `import('./tables').LiveTables`.
      '@typescript-eslint/consistent-type-imports': ['error', { disallowTypeAnnotations: false }],
      // Each script is one IIFE (its private scope), which this does not count: the functions inside it are short.
      'max-lines-per-function': ['error', { max: 120, IIFEs: false }],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ImportDeclaration, ExportNamedDeclaration, ExportDefaultDeclaration, ExportAllDeclaration',
          message: 'The browser scripts are classic scripts (served as they are, not bundled): no import or export.',
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['event', 'name', 'status', 'length', 'top', 'parent', 'self', 'opener', 'closed', 'origin', 'close'].map(
          (name) => ({
            name,
            message: `The global \`${name}\` is a window property: use a local or \`window.${name}\`.`,
          }),
        ),
      ],
    },
  },
  {
    // The watcher depends on the layers below it (core, sources, ingest, store) and on interfaces of its own: the
    // config satisfies its option types, the server gets its poll function from app.ts.
    files: ['src/watch/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/config/*', '**/http/*', '**/publish/*', '**/cli/*', '**/app.js'],
              message: 'src/watch imports no upper layer (config, http, publish, cli, app): take its own small types.',
            },
          ],
        },
      ],
    },
  },
  {
    // src/lib is the shared infrastructure (atomic writes, folder fsyncs, access checks, file-error words) that more
    // than one layer needs: it takes only src/core, so every layer may import it without a cycle.
    files: ['src/lib/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/store/*',
                '**/sources/*',
                '**/ingest/*',
                '**/watch/*',
                '**/publish/*',
                '**/http/*',
                '**/config/*',
                '**/cli/*',
                '**/app.js',
              ],
              message: 'src/lib imports nothing from src/ but src/core (and itself).',
            },
          ],
        },
      ],
    },
  },
  {
    // The config describes settings; it runs nothing. It takes no layer that reads it (the watcher, the server, the
    // publishers, the CLI, app.ts satisfy their own option types with it), and from the ingest only its defaults.
    files: ['src/config/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/watch/*', '**/http/*', '**/publish/*', '**/cli/*', '**/app.js'],
              message: 'src/config imports no layer above it (watch, http, publish, cli, app).',
            },
            {
              group: ['**/ingest/*', '!**/ingest/defaults.js'],
              message: 'src/config takes from src/ingest only its defaults (ingest/defaults.ts), not the pipeline.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['tests/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
);
