// Lint rules, including the layering: renderer → shared ← electron, and only main.ts and
// preload.ts may import electron.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'net'];

export default tseslint.config(
  { ignores: ['build/**', 'dist/**', 'node_modules/**', 'native/build/**', 'test-results/**', 'e2e-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'error',
      'no-control-regex': 'off',
    },
  },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/main.ts', 'electron/preload.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only main.ts and preload.ts import electron; the rest of electron/ is plain Node.' }] }] },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['electron', 'ffi-rs', 'react'],
        patterns: [{ group: [...nodeBuiltins, '../electron/*', '../renderer/*'], message: 'shared/ imports nothing runtime-specific.' }],
      }],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: { globals: globals.browser },
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['electron', 'ffi-rs'],
        patterns: [{ group: [...nodeBuiltins, '../electron/*', '../../electron/*'], message: 'The renderer talks only to the preload API.' }],
      }],
    },
  },
  { files: ['scripts/**/*.mjs', 'bin/**/*.js', 'eslint.config.mjs', 'renderer/vite.config.mjs'], languageOptions: { globals: globals.node } },
  // Playwright fixtures must destructure their arguments, even when they use none.
  { files: ['e2e/**/*.ts'], rules: { 'no-empty-pattern': 'off' } },
  { files: ['bin/**/*.js'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  {
    files: ['scripts/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
