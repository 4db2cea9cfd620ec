// npm start: the console in Electron's window; where Electron's binary is missing (or with
// `npm start -- --browser`), the same console in the system's Chromium, Chrome or Edge.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { electronBinary } = createRequire(import.meta.url)('./electron-binary.cjs');

const wantsBrowser = process.argv.includes('--browser');
const binary = wantsBrowser ? null : electronBinary();
const entry = binary ? join(root, 'build', 'electron', 'electron-main', 'main.js') : join(root, 'build', 'electron', 'main', 'browser-host', 'start.js');
if (!existsSync(entry)) {
  console.error(`Cannot start the console: this checkout has not been built (${entry} is missing). Run "npm install" first.`);
  process.exit(1);
}
const child = binary
  ? spawn(binary, [root], { stdio: 'inherit' })
  : spawn(process.execPath, [entry, ...(wantsBrowser ? ['--browser'] : [])], { stdio: 'inherit' });
// Ctrl+C reaches the child through the terminal; its exit is the console's.
process.on('SIGINT', () => undefined);
child.on('exit', (code) => process.exit(code ?? 1));
