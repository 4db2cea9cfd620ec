import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { NativeWorkerPool, WORKER_YOUNG_GENERATION_MB } from './pool';
import { selectBackend } from '../native/backend';
import { loadTestFarm } from '../testing/test-farm';
import type { Job } from '../service/jobs';
import { createNativeWorkerPool } from './native-pool';

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

  it('runs at most twice its size in threads while calls are stuck: past that, jobs fail at their deadline instead of starting more', async () => {
    const backend = selectBackend();
    const control = loadTestFarm();
    control.setEventLatency('ALPHA', 400);
    const pool = createNativeWorkerPool({ wtsLibrary: backend.wtsLibrary, eventLibrary: backend.eventLibrary, kernelLibrary: backend.kernelLibrary }, 2);
    try {
      let maxLive = 0;
      const sampler = setInterval(() => { maxLive = Math.max(maxLive, pool.liveWorkers); }, 2);
      const slow: Job = { kind: 'events-poll', server: 'ALPHA', bookmarkXml: null, waitMs: 0 };
      const outcomes = await Promise.all(Array.from({ length: 10 }, () => pool.run(slow, 100).then(() => 'answered', (error: Error) => error.name)));
      clearInterval(sampler);
      const timedOut = outcomes.filter((o) => o === 'JobTimeoutError').length;
      const refused = outcomes.filter((o) => o === 'PoolSaturatedError').length;
      assert.equal(timedOut + refused, 10, outcomes.join(', '));
      assert.ok(timedOut >= 2 && timedOut <= 3 && refused >= 7, outcomes.join(', '));
      assert.ok(maxLive <= 4, `${maxLive} threads at once`);
      control.setEventLatency('ALPHA', 0);
      const answered = await pool.run({ kind: 'refresh', server: 'ALPHA', knownClients: {} }, 10_000) as { sessions: unknown[] };
      assert.ok(answered.sessions.length > 0, 'once the stuck calls return, the pool works again');
    } finally {
      control.releaseHangs();
      await pool.close();
    }
  });

  it('keeps each worker\'s young generation at its cap however long the worker runs', async () => {
    const pool = new NativeWorkerPool<{ objects: number }, { newSpaceMb: number }>(join(__dirname, '..', 'testing', 'churn-worker.js'), null, 1);
    try {
      let largest = 0;
      // Uncapped, V8 grows this worker's new space to 32 MB within these jobs.
      for (let job = 0; job < 4; job++) largest = Math.max(largest, (await pool.run({ objects: 1_000_000 }, 60_000)).newSpaceMb);
      assert.ok(largest > 0, 'the worker reported its new space');
      assert.ok(largest <= WORKER_YOUNG_GENERATION_MB, `new space grew to ${largest} MB`);
    } finally {
      await pool.close();
    }
  });
});
