import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

describe('native worker pool', () => {
  it('gives up on workers in the middle of FFI calls without bringing the process down, and ends them once they return', () => {
    const child = spawnSync(process.execPath, [join(__dirname, '..', 'testing', 'retire-burst.js'), '300'], { encoding: 'utf8', timeout: 120_000 });
    assert.doesNotMatch(child.stderr, /panicked|fatal runtime error/, child.stderr);
    assert.equal(child.status, 0, `exit ${String(child.status)} ${child.signal ?? ''}: ${child.stderr}`);
    const report = JSON.parse(child.stdout) as { rounds: number; timedOut: number; sessionsAfter: number; abandonedLeft: number };
    assert.ok(report.timedOut >= 150, `${report.timedOut} of ${report.rounds} jobs were given up on`);
    assert.equal(report.sessionsAfter, 5, 'the pool still answers');
    assert.equal(report.abandonedLeft, 0, 'every abandoned worker was ended once its call returned');
  });
});
