// The Electron security scan, in npm test: the app must pass, and the gate must catch a window
// that drops the protections (so a passing scan means something).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../common/project-root';

const ROOT = projectRoot();
const scan = (dir: string) => spawnSync(process.execPath, [join(ROOT, 'scripts', 'security-scan.mjs'), dir], { encoding: 'utf8', timeout: 180_000 });

describe('Electron security scan (electronegativity)', () => {
  it('passes on this app with nothing above informational except reviewed items', () => {
    const result = scan(ROOT);
    assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /0 open\./);
  });

  it('fails on a window without isolation, sandbox, web security or CSP', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wtsc-insecure-'));
    writeFileSync(join(dir, 'main.js'), [
      "const { app, BrowserWindow, shell } = require('electron');",
      "app.whenReady().then(() => {",
      "  const w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false, webSecurity: false } });",
      "  w.webContents.on('will-navigate', (e, url) => shell.openExternal(url));",
      "  w.loadURL('http://example.com/');",
      "});",
    ].join('\n'));
    const result = scan(dir);
    assert.equal(result.status, 1, result.stdout);
    for (const check of ['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'WEB_SECURITY_JS_CHECK', 'CSP_GLOBAL_CHECK', 'OPEN_EXTERNAL_JS_CHECK']) {
      assert.match(result.stdout, new RegExp(`OPEN: ${check}`));
    }
  });
});
