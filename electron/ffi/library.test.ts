import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

describe('native library keys', () => {
  // ffi-rs changes its library and symbol maps without a lock; through one shared key, this hung or
  // aborted with "double free or corruption" in about one run in eight.
  // Reason for the skip: the race child calls the platform's C library, which it names for Linux and Windows only.
  it('lets 16 threads make their first calls at once without hanging or corrupting memory', { skip: process.platform !== 'linux' && process.platform !== 'win32' && 'the race child knows only libc.so.6 and msvcrt.dll' }, () => {
    for (let run = 0; run < 16; run++) {
      const child = spawnSync(process.execPath, [join(__dirname, '..', 'testing', 'first-call-race.js')], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(child.stdout.trim(), 'done', `run ${run}: exit ${String(child.status)} ${child.signal ?? ''} ${child.stdout} ${child.stderr}`);
      assert.equal(child.status, 0);
    }
  });
});
