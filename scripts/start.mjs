// npm start: runs the console in Electron, or says plainly why it cannot.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { electronBinary } = createRequire(import.meta.url)('./electron-binary.cjs');

const binary = electronBinary();
if (!binary) {
  console.error('Cannot start the console: the Electron binary is not installed (its download from GitHub was blocked or skipped). '
    + 'On a machine with internet access run "npx install-electron" (or "node node_modules/electron/install.js"), or set ELECTRON_OVERRIDE_DIST_PATH to an Electron folder. '
    + 'The command line works without it: "npx wtsc query session".');
  process.exit(1);
}
if (!existsSync(join(root, 'build', 'electron', 'electron-main', 'main.js'))) {
  console.error('Cannot start the console window: this build has no Electron main process yet (build/electron/electron-main/main.js). '
    + 'The command line works: "npx wtsc query session".');
  process.exit(1);
}
const child = spawn(binary, [root], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 1));
