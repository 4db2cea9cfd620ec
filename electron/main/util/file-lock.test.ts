// Lock files: taken whole or not at all, so a process killed while taking one leaves nothing that
// holds the lock; a lock whose process is gone is taken over at once.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
import { tryLock, unlock } from './file-lock';

describe('lock files', () => {
  it('never exist half-written: a lock is linked into place only once its content is on disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wtsc-lock-'));
    const path = join(dir, 'session.lock');
    // What a process killed while writing leaves: its own half-written file, never the lock's name.
    writeFileSync(`${path}.0000.new`, '{"nonce":"0000","pi');
    const taken = await tryLock(path, 'tester', 30_000);
    assert.equal(taken.acquired, true);
    if (!taken.acquired) return;
    assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), taken.content, 'the lock holds its whole content');
    assert.deepEqual(readdirSync(dir).sort(), ['session.lock', 'session.lock.0000.new'], 'its own temporary file is gone');
    const second = await tryLock(path, 'other', 30_000);
    assert.equal(second.acquired, false);
    await unlock(path, taken.content);
    assert.equal(existsSync(path), false);
  });

  it('takes over at once a lock whose process has exited', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wtsc-lock-'));
    const path = join(dir, 'session.lock');
    const child = spawn(process.execPath, ['-e', '0']);
    const pid = await new Promise<number>((resolve) => child.on('exit', () => resolve(child.pid ?? 0)));
    writeFileSync(path, JSON.stringify({ nonce: 'gone', pid, host: hostname(), holder: 'a process that exited', since: new Date().toISOString() }));
    const taken = await tryLock(path, 'tester', 30_000);
    assert.equal(taken.acquired, true);
  });

  it('treats a lock it cannot read as held until it is stale, naming nobody', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wtsc-lock-'));
    const path = join(dir, 'session.lock');
    writeFileSync(path, 'not a lock');
    const attempt = await tryLock(path, 'tester', 30_000);
    assert.deepEqual(attempt, { acquired: false, existing: null });
  });
});
