// Lint: typescript-eslint's type-aware recommended rules over everything we write, Svelte components included,
// the vitest rules that keep tests asserting, and eslint-config-prettier last so layout is Prettier's alone.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import vitest from '@vitest/eslint-plugin';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: ['dist/', 'node_modules/', '.tmp/', 'test-results/', 'test/corpus/public/', 'dashboard/public/'],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  svelte.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        // One TypeScript program per tsconfig; the .mjs scripts and benchmarks sit outside tsconfig.json and get
        // the default project, which is enough for the promise rules.
        projectService: {
          allowDefaultProject: ['scripts/*.mjs', 'bench/*.mjs', 'bin/*.js', 'test/unit/store/wal/fixtures/*.mjs', 'eslint.config.js'],
          // Room above the 21 files that match today (scripts, benchmarks, bin, fixtures, this file).
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 32,
        },
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.svelte'],
      },
    },
    rules: {
      // The issue names these two: a promise nobody awaits loses its error, and an async callback where a void one
      // is expected (an event handler, a timer) does too.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // `_name` marks a parameter an interface requires but this implementation does not use.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Control characters are what the sanitizers (terminal, notification, unit-file and log-line text) look for.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['dashboard/src/**/*.svelte', 'dashboard/src/**/*.svelte.ts'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { parser: tseslint.parser, svelteConfig: {} },
    },
    rules: {
      // `{' · '}` states a separator's spaces outright, where bare text spaces between inline tags are easy to lose.
      'svelte/no-useless-mustaches': 'off',
    },
  },
  {
    files: ['dashboard/src/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Plain JavaScript has no types: every parsed JSON or imported value is `any`, so the no-unsafe-* rules would flag
    // every use. The promise rules still apply.
    files: ['**/*.js', '**/*.mjs'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // The benchmarks import the built dist/*.js, whose types TypeScript can only guess from the JavaScript (a method
    // answering a promise on one path reads as not thenable), and which a tree without a build does not have.
    files: ['bench/*.mjs'],
    rules: { '@typescript-eslint/await-thenable': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    plugins: { vitest },
    rules: {
      // Fakes implement async interfaces as `async () => value`, plainer than `() => Promise.resolve(value)`.
      '@typescript-eslint/require-await': 'off',
      // vitest types its asymmetric matchers (expect.objectContaining, expect.any…) as `any`, so every
      // toMatchObject({ at: expect.any(Number) }) would be flagged; a real `any` is still caught by no-explicit-any
      // and no-unsafe-member-access/call/return.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      'vitest/no-conditional-expect': 'error',
      'vitest/expect-expect': 'error',
    },
  },
  prettier,
);
