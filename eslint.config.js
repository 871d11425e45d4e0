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
    files: ['tests/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
);
