// `npm start` where Electron's binary is missing: the real script, the real host and the demo
// service, with a stand-in browser (WTSC_BROWSER) that opens the link it is given as a page would.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../common/project-root';
import { tempDataDir, writeTestFarm } from '../../testing/test-farm';

/** Follows the --app link: the token for a cookie, then the page and one API call with it; then "closes the window". */
const STAND_IN = `
const { writeFileSync } = require('node:fs');
const url = new URL(process.argv.find((a) => a.startsWith('--app=')).slice(6));
(async () => {
  const exchanged = await fetch(url, { redirect: 'manual' });
  const cookie = (exchanged.headers.get('set-cookie') || '').split(';')[0];
  const page = await fetch(new URL('/', url), { headers: { cookie } });
  const servers = await fetch(new URL('/api/listServers', url), { method: 'POST', body: '[]', headers: { cookie, origin: url.origin, 'content-type': 'application/json' } });
  writeFileSync(process.env.STAND_IN_REPORT, JSON.stringify({ args: process.argv.slice(2), exchange: exchanged.status, page: page.status, html: (await page.text()).includes('id="root"'), servers: await servers.json() }));
})().catch((e) => { writeFileSync(process.env.STAND_IN_REPORT, JSON.stringify({ error: String(e) })); process.exit(3); });
`;

describe('npm start without an Electron binary', () => {
  it('opens the console in the system browser through the token link, says so in one sentence, and ends when the window closes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wtsc-start-'));
    const browser = join(dir, 'stand-in-browser');
    writeFileSync(browser, `#!${process.execPath}\n${STAND_IN}`);
    chmodSync(browser, 0o755);
    const report = join(dir, 'report.json');
    const child = spawn(process.execPath, [join(projectRoot(), 'scripts', 'start.mjs')], {
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent/electron', WTSC_BROWSER: browser, STAND_IN_REPORT: report,
        WTSC_FARM: writeTestFarm(), WTSC_DATA_DIR: tempDataDir() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '', stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 0, stderr);
    const lines = stdout.trim().split('\n');
    assert.equal(lines.length, 1, stdout);
    assert.match(lines[0] ?? '', /^Electron's window is not installed here, so the console opened in .+ from http:\/\/127\.0\.0\.1:\d+; .*For the desktop window, install Electron's binary/);
    assert.doesNotMatch(stdout, /token=/, 'the token is not printed when the browser took it');
    const seen = JSON.parse(readFileSync(report, 'utf8')) as { args: string[]; exchange: number; page: number; html: boolean; servers: { ok: boolean; value: { name: string }[] } };
    assert.match(seen.args[0] ?? '', /^--app=http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
    assert.ok(seen.args.some((a) => a.startsWith('--user-data-dir=')), 'a profile of its own, so the window is its own process');
    assert.deepEqual([seen.exchange, seen.page, seen.html], [303, 200, true]);
    assert.ok(seen.servers.ok && seen.servers.value.some((s) => s.name === 'ALPHA'), JSON.stringify(seen.servers));
  });
});
