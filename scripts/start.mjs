// npm start: runs the console in Electron, or says plainly why it cannot.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function electronBinary() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return join(process.env.ELECTRON_OVERRIDE_DIST_PATH, process.platform === 'win32' ? 'electron.exe' : 'electron');
  let packageDir;
  try { packageDir = dirname(require.resolve('electron/package.json')); } catch { return null; }
  // Read path.txt directly: requiring 'electron' would try to download a missing binary.
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

const binary = electronBinary();
if (!binary) {
  console.error('Cannot start the console: the Electron binary is not installed (its download from GitHub was blocked or skipped). '
    + 'On a machine with internet access run "npx install-electron" (or "node node_modules/electron/install.js"), or set ELECTRON_OVERRIDE_DIST_PATH to an Electron folder. '
    + 'The command line works without it: "npx wtsc query session".');
  process.exit(1);
}
if (!existsSync(join(root, 'build', 'electron', 'main.js'))) {
  console.error('Cannot start the console window: this build has no Electron main process yet (build/electron/main.js). '
    + 'The command line works: "npx wtsc query session".');
  process.exit(1);
}
const child = spawn(binary, [root], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 1));
