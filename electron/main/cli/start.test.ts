import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../common/project-root';

describe('npm start without an Electron binary', () => {
  it('fails with one sentence naming the cause, not a stack trace', () => {
    const script = join(projectRoot(), 'scripts', 'start.mjs');
    const r = spawnSync(process.execPath, [script], { encoding: 'utf8', env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent/electron' } });
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0] ?? '', /^Cannot start the console: the Electron binary is not installed/);
    assert.doesNotMatch(r.stderr, /^\s+at /m);
  });
});
