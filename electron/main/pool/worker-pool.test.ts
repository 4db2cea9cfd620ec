import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { WorkerPool, WORKER_YOUNG_GENERATION_MB } from './worker-pool';
import { NATIVE_LANES } from '../../ffi/library';
import { selectBackend } from '../backend';
import { loadTestFarm } from '../../testing/test-farm';
import type { Job } from '../../common/native-jobs';
import { NativeWorkerPool } from './native-pool';
import { LOGOFF_EVENT_IDS } from '../../../shared/events';

describe('native worker pool', () => {
  it('gives up on workers in the middle of FFI calls without bringing the process down, and ends them once they return', () => {
    // A thread starts far slower under Wine (300 rounds took 100-110 s there, 20 s on Linux): half as many rounds on Windows.
    const rounds = process.platform === 'win32' ? 150 : 300;
    const child = spawnSync(process.execPath, [join(__dirname, '..', '..', 'testing', 'retire-burst.js'), String(rounds)], { encoding: 'utf8', timeout: 240_000 });
    assert.doesNotMatch(child.stderr, /panicked|fatal runtime error/, child.stderr);
    assert.equal(child.status, 0, `exit ${String(child.status)} ${child.signal ?? ''}: ${child.stderr}`);
    const report = JSON.parse(child.stdout) as { rounds: number; timedOut: number; sessionsAfter: number; abandonedLeft: number };
    assert.ok(report.timedOut >= rounds / 2, `${report.timedOut} of ${report.rounds} jobs were given up on`);
    assert.equal(report.sessionsAfter, 5, 'the pool still answers');
    assert.equal(report.abandonedLeft, 0, 'every abandoned worker was ended once its call returned');
  });

  it('runs at most twice its size in threads while calls are stuck: past that, jobs fail at their deadline instead of starting more', async () => {
    const backend = selectBackend();
    const control = loadTestFarm();
    control.setEventLatency('ALPHA', 400);
    const pool = new NativeWorkerPool({ wtsLibrary: backend.wtsLibrary, eventLibrary: backend.eventLibrary, kernelLibrary: backend.kernelLibrary, advapiLibrary: backend.advapiLibrary }, 2);
    try {
      let maxLive = 0;
      const sampler = setInterval(() => { maxLive = Math.max(maxLive, pool.liveWorkers); }, 2);
      const slow: Job = { kind: 'events-poll', server: 'ALPHA', eventIds: [...LOGOFF_EVENT_IDS], bookmarkXml: null, waitMs: 0 };
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
    const pool = new WorkerPool<{ objects: number }, { newSpaceMb: number }>(join(__dirname, '..', '..', 'testing', 'churn-worker.js'), null, 1);
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

  it('replaces a worker with a fresh thread after its share of jobs, between jobs', async () => {
    const pool = new WorkerPool<{ objects: number }, { threadId: number }>(join(__dirname, '..', '..', 'testing', 'churn-worker.js'), null, 1, { jobsBeforeRecycle: 3 });
    try {
      const threads: number[] = [];
      for (let job = 0; job < 7; job++) threads.push((await pool.run({ objects: 10 }, 60_000)).threadId);
      const [first, second, third] = [threads[0], threads[3], threads[6]];
      assert.deepEqual(threads, [first, first, first, second, second, second, third], threads.join(', '));
      assert.equal(new Set([first, second, third]).size, 3, threads.join(', '));
      assert.equal(pool.recycledWorkers, 2);
      assert.equal(pool.startedWorkers, 3);
    } finally {
      await pool.close();
    }
    assert.throws(() => new WorkerPool(join(__dirname, '..', '..', 'testing', 'churn-worker.js'), null, 1, { jobsBeforeRecycle: 0 }), /at least one job/);
  });

  it('recycles native workers without losing a job or a native lane, more times than there are lanes', async () => {
    const backend = selectBackend();
    const control = loadTestFarm();
    const pool = new NativeWorkerPool({ wtsLibrary: backend.wtsLibrary, eventLibrary: backend.eventLibrary, kernelLibrary: backend.kernelLibrary, advapiLibrary: backend.advapiLibrary }, 2, { jobsBeforeRecycle: 1 });
    try {
      const jobs = NATIVE_LANES + 16;
      const answers = await Promise.all(Array.from({ length: jobs }, () => pool.run({ kind: 'refresh', server: 'ALPHA', knownClients: {} }, 30_000)));
      const listed = answers.map((answer) => (answer as { sessions: { sessionId: number }[] }).sessions.map((s) => s.sessionId).join(','));
      assert.ok((listed[0] ?? '').length > 0, 'ALPHA has sessions');
      for (const sessions of listed) assert.equal(sessions, listed[0]);
      assert.equal(pool.recycledWorkers, jobs);
      assert.equal(pool.startedWorkers, jobs, 'each job ran on a fresh worker, so every lane was freed and claimed again');
      assert.equal(control.outstandingAllocations(), 0, 'every recycled worker freed what the API allocated for it');
      assert.equal(control.openHandles(), 0, 'and closed its server handles');
    } finally {
      await pool.close();
    }
  });

  it('starts workers before any job when warmed, never past its size, and runs the first jobs on them', async () => {
    const pool = new WorkerPool<{ objects: number }, { threadId: number }>(join(__dirname, '..', '..', 'testing', 'churn-worker.js'), null, 2);
    try {
      pool.warm(5);
      assert.equal(pool.startedWorkers, 2, 'warmed up to its size');
      pool.warm(1);
      assert.equal(pool.startedWorkers, 2, 'warming again starts none while its workers live');
      const threads = new Set((await Promise.all([1, 2, 3, 4].map(() => pool.run({ objects: 10 }, 60_000)))).map((reply) => reply.threadId));
      assert.equal(pool.startedWorkers, 2);
      assert.ok(threads.size >= 1 && threads.size <= 2, `${threads.size} threads ran the jobs`);
    } finally {
      await pool.close();
    }
  });

  it('fails only the job whose worker died, and runs the jobs queued behind it on a fresh worker', async () => {
    const pool = new WorkerPool<{ objects: number; exit?: boolean }, { threadId: number }>(join(__dirname, '..', '..', 'testing', 'churn-worker.js'), null, 1);
    try {
      const before = (await pool.run({ objects: 10 }, 60_000)).threadId;
      const dying = pool.run({ objects: 0, exit: true }, 60_000);
      const queued = [1, 2, 3].map(() => pool.run({ objects: 10 }, 60_000));
      await assert.rejects(dying, /exited unexpectedly/);
      const after = await Promise.all(queued);
      assert.ok(after.every((reply) => reply.threadId !== before), after.map((reply) => reply.threadId).join(', '));
      assert.equal(pool.startedWorkers, 2);
    } finally {
      await pool.close();
    }
  });

  it('starts a job\'s deadline when a worker has started and says it is ready, not while its thread is starting', async () => {
    const slowStart = new WorkerPool<{ objects: number }, { threadId: number }>(join(__dirname, '..', '..', 'testing', 'churn-worker.js'), { startupMs: 800 }, 2);
    try {
      const answers = await Promise.all([1, 2, 3].map(() => slowStart.run({ objects: 10 }, 300)));
      assert.equal(answers.length, 3);
      assert.equal(slowStart.startedWorkers, 2, 'the third job waited for one of the two workers');
    } finally {
      await slowStart.close();
    }
  });

  it('keeps the process alive while it waits for a starting worker, so a closing process still reaches its exit code', () => {
    const child = spawnSync(process.execPath, [join(__dirname, '..', '..', 'testing', 'close-while-starting.js')], { encoding: 'utf8', timeout: 30_000 });
    assert.match(child.stdout, /^closed, started 2, stuck 0$/m, `the process ended inside close(): exit ${String(child.status)} ${child.stderr}`);
    assert.equal(child.status, 7);
  });

  it('reports a worker that cannot start to the jobs waiting for it, one each, instead of starting workers for ever', async () => {
    const broken = new WorkerPool<{ objects: number }, unknown>(join(__dirname, 'no-such-worker.js'), null, 1);
    try {
      const outcomes = await Promise.allSettled([1, 2, 3].map(() => broken.run({ objects: 1 }, 5_000)));
      for (const outcome of outcomes) {
        assert.equal(outcome.status, 'rejected');
        assert.match(String((outcome as PromiseRejectedResult).reason), /Cannot find module/);
      }
      assert.equal(broken.startedWorkers, 3);
    } finally {
      await broken.close();
    }
  });
});

