// A bounded pool of worker threads for native calls, so that no FFI call runs on the main
// process's JS thread. A job that overruns its deadline is reported as timed out and its worker
// is abandoned (a thread blocked inside a native call cannot be interrupted); a fresh worker
// takes its place and the abandoned one is terminated once its late reply shows it is idle.
import { Worker } from 'node:worker_threads';
import type { PoolWorkerData, WorkerError, WorkerReady, WorkerReply } from '../../common/pool-protocol';
import type { WorkerLanes } from '../../native-host/lanes';

/**
 * A native job allocates little and keeps nothing past its reply, yet V8 doubles a worker's young
 * generation (4 → 8 → 16 → 32 MB by default) each time enough objects have survived scavenges, and
 * seldom gives it back. Over a simulated day, 16 workers stepped up to ~25–40 MB each and RSS from
 * ~500 to ~900 MB. Capped, a worker stays at ~10–14 MB; the scavenges it costs are cheap, as
 * little survives them.
 */
export const WORKER_YOUNG_GENERATION_MB = 4;

/**
 * A worker is replaced, between jobs, after this many. Even capped, what a worker holds creeps up
 * over a day of calls (its committed old space went from ~6.5 to ~9.5 MB while its heap in use
 * stayed near 4 MB), and across 16 workers that kept the soak's RSS rising for 19 hours. Jobs keep
 * nothing in the worker past their reply, so a fresh thread loses nothing.
 */
export const WORKER_JOBS_BEFORE_RECYCLE = 10_000;

export interface PoolOptions {
  /** Native lanes for the threads (see native-host/lanes.ts); without them, workers make no native calls. */
  lanes?: WorkerLanes;
  /** Jobs a worker runs before it is replaced by a fresh one. */
  jobsBeforeRecycle?: number;
}

/** Every worker the pool may start is still stuck in a call to a server that stopped answering. */
export class PoolSaturatedError extends Error {
  constructor(readonly stuck: number) {
    super(`no worker is free: ${stuck} calls to servers that stopped answering have not returned yet`);
    this.name = 'PoolSaturatedError';
  }
}

export class JobTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${Math.round(timeoutMs / 100) / 10} s`);
    this.name = 'JobTimeoutError';
  }
}

/** A job that failed inside its worker: a Windows error with its code, or another failure. */
export class WorkerJobError extends Error {
  constructor(readonly detail: WorkerError) {
    super(detail.kind === 'windows' ? detail.info.message : detail.message);
    this.name = detail.kind === 'windows' ? 'WindowsApiError' : detail.name;
  }
}

interface PendingJob<Job, Result> {
  job: Job;
  timeoutMs: number;
  resolve: (result: Result) => void;
  reject: (error: Error) => void;
  queueTimer?: NodeJS.Timeout;
}

interface Slot<Job, Result> {
  worker: Worker;
  onExit: () => void;
  current: (PendingJob<Job, Result> & { id: number; timer: NodeJS.Timeout }) | null;
  jobsRun: number;
  /** The worker's script has loaded and said so; only then is it given a job. */
  ready: boolean;
}

/** Lanes for a pool whose workers make no native call: any number, with no library keys. */
const NO_NATIVE_LANES: WorkerLanes = { claim: () => ({ lane: -1, libraryKeys: [] }), release: () => undefined };

export class WorkerPool<Job, Result> {
  private readonly slots: Slot<Job, Result>[] = [];
  private readonly queue: PendingJob<Job, Result>[] = [];
  private readonly abandoned = new Set<Worker>();
  private nextId = 1;
  private started = 0;
  private recycled = 0;
  private closed = false;
  private readonly jobsBeforeRecycle: number;
  private readonly lanes: WorkerLanes;

  constructor(private readonly script: string, private readonly workerData: unknown, readonly size: number, options: PoolOptions = {}) {
    if (!Number.isInteger(size) || size < 1) throw new Error('the worker pool needs at least one worker');
    this.jobsBeforeRecycle = options.jobsBeforeRecycle ?? WORKER_JOBS_BEFORE_RECYCLE;
    if (!Number.isInteger(this.jobsBeforeRecycle) || this.jobsBeforeRecycle < 1) throw new Error('a worker must run at least one job before it is recycled');
    this.lanes = options.lanes ?? NO_NATIVE_LANES;
  }

  run(job: Job, timeoutMs: number): Promise<Result> {
    if (this.closed) return Promise.reject(new Error('the worker pool is closed'));
    return new Promise<Result>((resolve, reject) => {
      const pending: PendingJob<Job, Result> = { job, timeoutMs, resolve, reject };
      this.queue.push(pending);
      this.dispatch();
      // Most jobs start at once; only one left waiting needs a deadline in the queue.
      if (this.queue.includes(pending)) pending.queueTimer = setTimeout(() => this.expireQueued(pending), timeoutMs);
    });
  }

  /**
   * Starts workers (up to `count`, within the pool's size) before any job needs them, so that their
   * start overlaps other start-up work: wtsc starts one while the simulator's farm loads.
   */
  warm(count: number): void {
    while (!this.closed && this.slots.length < Math.min(count, this.size) && this.canSpawn() && this.spawn()) { /* one more started */ }
  }

  // Abandoned workers run on until their call returns, so no worker is started while as many are
  // abandoned as the pool's size (threads stay under twice the size): under CPU starvation,
  // replacing every late worker at once snowballed into a hundred threads. Past the cap, jobs
  // wait for an abandoned worker to finish.
  private canSpawn(): boolean { return this.slots.length < this.size && this.abandoned.size < this.size; }

  /**
   * The deadline covers a job's time on a worker, not its time in the queue behind other work;
   * but a job that cannot start because stuck calls hold every worker fails at its deadline.
   */
  private expireQueued(pending: PendingJob<Job, Result>): void {
    const index = this.queue.indexOf(pending);
    if (index < 0) return;
    if (this.abandoned.size < this.size) {
      pending.queueTimer = setTimeout(() => this.expireQueued(pending), pending.timeoutMs);
      return;
    }
    this.queue.splice(index, 1);
    pending.reject(new PoolSaturatedError(this.abandoned.size));
  }

  /**
   * Hands queued jobs to ready idle workers. A job's deadline starts when a worker takes it, so a
   * job never waits for a thread to start within its deadline: workers are started for the jobs
   * that find none idle, and those jobs wait in the queue until a worker says it is ready.
   */
  private dispatch(): void {
    while (this.queue.length > 0) {
      const slot = this.slots.find((s) => s.ready && s.current === null);
      if (!slot) {
        const starting = this.slots.filter((s) => !s.ready).length;
        if (starting < this.queue.length && this.canSpawn() && this.spawn()) continue;
        return;
      }
      const pending = this.queue.shift();
      if (!pending) return;
      clearTimeout(pending.queueTimer);
      const id = this.nextId++;
      const timer = setTimeout(() => this.abandon(slot, id), pending.timeoutMs);
      slot.current = { ...pending, id, timer };
      slot.worker.postMessage({ id, job: pending.job });
    }
  }

  /** A new worker on a free native lane; null when every lane in the process is taken. */
  private spawn(): Slot<Job, Result> | null {
    const claimed = this.lanes.claim();
    if (claimed === null) return null;
    const { lane, libraryKeys } = claimed;
    const workerData: PoolWorkerData = { lane, libraryKeys, data: this.workerData };
    const worker = new Worker(this.script, { workerData, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
    // The lane is free again only once the thread is gone, whether it ended normally or was
    // abandoned; this listener runs first, and the exit handlers after it dispatch.
    worker.once('exit', () => this.lanes.release(lane));
    this.started++;
    const slot: Slot<Job, Result> = { worker, current: null, jobsRun: 0, ready: false, onExit: () => this.fail(slot, new Error('a native worker exited unexpectedly')) };
    worker.on('message', (message: WorkerReply | WorkerReady) => {
      if ('ready' in message) {
        slot.ready = true;
        // Referenced until now: a job waiting for this thread has no deadline yet, and close()
        // waits for this message; with nothing else pending, the process would end mid-wait
        // (wtsc then exited 0 whatever its result).
        worker.unref();
        this.dispatch();
      } else {
        this.settle(slot, message);
      }
    });
    worker.on('error', (error) => this.fail(slot, error));
    worker.on('exit', slot.onExit);
    this.slots.push(slot);
    return slot;
  }

  private settle(slot: Slot<Job, Result>, reply: WorkerReply): void {
    const current = slot.current;
    if (!current || current.id !== reply.id) return;
    clearTimeout(current.timer);
    slot.current = null;
    if (++slot.jobsRun >= this.jobsBeforeRecycle) this.recycle(slot);
    if (reply.ok) current.resolve(reply.result as Result);
    else current.reject(new WorkerJobError(reply.error));
    this.dispatch();
  }

  /**
   * Ends a worker that has just replied, so is idle in its event loop, where terminating it is
   * safe. The next job that finds no idle worker starts a fresh one on a free lane.
   */
  private recycle(slot: Slot<Job, Result>): void {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    slot.worker.removeAllListeners('message');
    slot.worker.off('exit', slot.onExit);
    // Its lane is freed when the thread is gone; a job waiting for a lane can start then.
    slot.worker.once('exit', () => this.dispatch());
    this.recycled++;
    void slot.worker.terminate();
  }

  private fail(slot: Slot<Job, Result>, error: Error): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    this.slots.splice(index, 1);
    if (slot.current) {
      clearTimeout(slot.current.timer);
      slot.current.reject(error);
    } else if (!slot.ready) {
      // A worker that could not start (its script threw, a library would not load) fails a job
      // that was waiting for it, so that a broken install is reported instead of retried for ever.
      const waiting = this.queue.shift();
      if (waiting) {
        clearTimeout(waiting.queueTimer);
        waiting.reject(error);
      }
    }
    this.dispatch();
  }

  private abandon(slot: Slot<Job, Result>, id: number): void {
    const current = slot.current;
    if (!current || current.id !== id) return;
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    slot.current = null;
    this.retire(slot);
    current.reject(new JobTimeoutError(current.timeoutMs));
    this.dispatch();
  }

  /**
   * Gives up on a worker that may be blocked in a native call. It is terminated only when its late
   * reply arrives, i.e. when it is back in its event loop: terminating it mid-job makes ffi-rs's
   * next call in that thread fail inside the addon, which aborts the whole process. Until then
   * (for ever, if the call never returns) it counts as abandoned; it is unref'd, so it never
   * keeps the process alive.
   */
  private retire(slot: Slot<Job, Result>): void {
    const worker = slot.worker;
    this.abandoned.add(worker);
    worker.removeAllListeners('message');
    worker.off('exit', slot.onExit);
    worker.on('exit', () => {
      this.abandoned.delete(worker);
      this.dispatch();
    });
    worker.once('message', () => { void worker.terminate(); });
  }

  /** Threads alive: working or idle, plus abandoned. */
  get liveWorkers(): number { return this.slots.length + this.abandoned.size; }

  /** Workers that have started and can take a job (busy or idle). */
  get readyWorkers(): number { return this.slots.filter((s) => s.ready).length; }

  /** Workers given up on whose native call has not returned yet. */
  get abandonedWorkers(): number { return this.abandoned.size; }

  /** Workers started so far: the pool's size, plus one for every worker recycled, given up on or lost. */
  get startedWorkers(): number { return this.started; }

  /** Workers ended after their share of jobs, to start afresh. */
  get recycledWorkers(): number { return this.recycled; }

  /** Jobs handed to workers so far. */
  get jobsDispatched(): number { return this.nextId - 1; }

  /** Stops the idle workers and refuses new jobs. Returns how many workers are still stuck. */
  async close(): Promise<number> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) {
      clearTimeout(pending.queueTimer);
      pending.reject(new Error('the worker pool is closed'));
    }
    const slots = this.slots.splice(0);
    await Promise.all(slots.map(async (slot) => {
      if (slot.current) {
        // It may be blocked in a native call: do not wait for it.
        clearTimeout(slot.current.timer);
        slot.current.reject(new Error('the worker pool is closed'));
        slot.current = null;
        this.retire(slot);
        return;
      }
      if (!slot.ready) {
        // Still starting, perhaps inside ffi-rs loading a library: ended once it says it is ready.
        slot.worker.off('exit', slot.onExit);
        await new Promise<void>((resolve) => {
          slot.worker.once('exit', () => resolve());
          slot.worker.once('message', () => { void slot.worker.terminate(); });
        });
        return;
      }
      await slot.worker.terminate();
    }));
    return this.abandoned.size;
  }
}
