// Where the main thread's worker scripts are, from this file's own folder: the CLI's one-file
// bundle (scripts/bundle-cli.mjs) is written beside this module, so the paths hold for both.
import { join } from 'node:path';

/** The native pool's worker (worker/native-worker.ts). */
export const NATIVE_WORKER_SCRIPT = join(__dirname, '..', 'worker', 'native-worker.js');
