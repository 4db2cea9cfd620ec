// Lint rules, including the layering (see ARCHITECTURE.md): renderer → shared ← electron, and
// inside electron/ a folder per runtime. The central rule: no Windows call on the main thread, so
// main-thread code imports the bindings, the FFI plumbing and ffi-rs only as types; the one
// main-thread folder that touches ffi-rs is native-host/, which makes no Windows API call.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'net'];
const TESTS = ['**/*.test.ts', 'electron/testing/**', 'electron/bench/**'];

const renderer = { group: ['**/renderer', '**/renderer/**'], message: 'Only the renderer imports the renderer.' };
const electronApp = { group: ['**/electron', '**/electron/**', '**/build/**'], message: 'The renderer talks only to the preload API; shared/ imports nothing runtime-specific.' };
const mainThread = { group: ['**/main', '**/main/**'], message: 'Main-thread code (electron/main/) is not imported from this layer.' };
const electronMain = { group: ['**/electron-main', '**/electron-main/**', '**/preload', '**/preload/**'], message: "Electron's main process and the preload sit at the top: nothing imports them." };
const workerOnly = { group: ['**/worker', '**/worker/**'], message: 'Worker-thread code (electron/worker/) runs only inside pool workers.' };
const workerOnlyExceptTypes = { ...workerOnly, allowTypeImports: true, message: 'Main-thread code may take only types from electron/worker/: its bindings make native calls, which never run on the main thread.' };
const ffi = { group: ['**/ffi', '**/ffi/**'], message: 'The FFI plumbing (electron/ffi/) is for worker threads and native-host/.' };
const ffiExceptTypes = { ...ffi, allowTypeImports: true, message: 'Main-thread code may take only types from electron/ffi/; what the main thread must do natively is in electron/native-host/.' };
const nativeHost = { group: ['**/native-host', '**/native-host/**'], message: "native-host/ is the main thread's own native code; workers and pure code do not use it." };

const noElectron = { name: 'electron', message: "Only electron/electron-main/ and electron/preload/ import electron; the rest of electron/ is plain Node." };
const noFfiRs = { name: 'ffi-rs', message: 'Only worker-thread code, electron/ffi/ and electron/native-host/ import ffi-rs.' };
const noFfiRsExceptTypes = { ...noFfiRs, allowTypeImports: true, message: 'No native call on the main thread: main-thread code imports ffi-rs only as types.' };

/** One no-restricted-imports block per layer (a later block's options replace an earlier one's, they do not add up). */
const layer = (files, paths, patterns, extra = {}) => ({
  files, ignores: TESTS, ...extra, rules: { 'no-restricted-imports': ['error', { paths, patterns }] },
});

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
  // Tests, test helpers and benchmarks drive every layer; they only may not import electron.
  { files: TESTS, rules: { 'no-restricted-imports': ['error', { paths: [noElectron] }] } },
  layer(['shared/**/*.ts'], ['electron', 'ffi-rs', 'react'], [{ group: nodeBuiltins, message: 'shared/ imports nothing runtime-specific.' }, electronApp, renderer]),
  layer(['renderer/**/*.ts', 'renderer/**/*.tsx'], ['electron', 'ffi-rs'], [{ group: nodeBuiltins, message: 'The renderer talks only to the preload API.' }, electronApp], { languageOptions: { globals: globals.browser } }),
  layer(['electron/common/**/*.ts'], [noElectron, noFfiRs], [mainThread, workerOnly, ffi, nativeHost, electronMain, renderer]),
  layer(['electron/ffi/**/*.ts'], [noElectron], [mainThread, workerOnly, nativeHost, electronMain, renderer]),
  layer(['electron/native-host/**/*.ts'], [noElectron], [mainThread, workerOnly, electronMain, renderer]),
  layer(['electron/worker/**/*.ts'], [noElectron], [mainThread, nativeHost, electronMain, renderer]),
  layer(['electron/main/**/*.ts'], [noElectron, noFfiRsExceptTypes], [workerOnlyExceptTypes, ffiExceptTypes, electronMain, renderer]),
  layer(['electron/electron-main/**/*.ts'], [noFfiRsExceptTypes], [workerOnlyExceptTypes, ffiExceptTypes, { ...electronMain, group: ['**/preload', '**/preload/**'] }, renderer]),
  layer(['electron/preload/**/*.ts'], [noFfiRs], [{ group: nodeBuiltins, message: 'The sandboxed preload can require only electron.' }, mainThread, workerOnly, ffi, nativeHost, { group: ['**/electron-main', '**/electron-main/**', '**/common', '**/common/**'], message: 'The preload imports only electron and shared/.' }, renderer]),
  { files: ['renderer/**/*.ts', 'renderer/**/*.tsx'], languageOptions: { globals: globals.browser } },
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
