// Where the Electron binary is, or null: shared by npm start and the Electron e2e project so the
// two never disagree. Reads path.txt itself: requiring 'electron' would try to download it.
const { existsSync, readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

function electronBinary() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const binary = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, process.platform === 'win32' ? 'electron.exe' : 'electron');
    return existsSync(binary) ? binary : null;
  }
  let packageDir;
  try { packageDir = dirname(require.resolve('electron/package.json')); } catch { return null; }
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

module.exports = { electronBinary };
