// The pool of workers that run the console's native jobs, with every library they call prepared.
import { WorkerPool } from './worker-pool';
import type { PoolOptions } from './worker-pool';
import { nativeLanes } from '../../native-host/lanes';
import { NATIVE_WORKER_SCRIPT } from '../worker-scripts';
import type { Job, JobKind, JobOf, JobResult, JobResults, NativeJobRunner, NativeWorkerData } from '../../common/native-jobs';

export class NativeWorkerPool extends WorkerPool<Job, JobResult> implements NativeJobRunner {
  constructor(libraries: NativeWorkerData, size: number, options: Omit<PoolOptions, 'lanes'> = {}) {
    super(NATIVE_WORKER_SCRIPT, libraries, size,
      { ...options, lanes: nativeLanes([libraries.wtsLibrary, libraries.eventLibrary, libraries.kernelLibrary, libraries.advapiLibrary]) });
  }

  override run<K extends JobKind>(job: JobOf<K>, timeoutMs: number): Promise<JobResults[K]> {
    // The worker answers a job of kind K with JobResults[K] (worker/jobs/run-job.ts); what crosses
    // the thread is structured-cloned data, typed again here, in this one place.
    return super.run(job, timeoutMs) as Promise<JobResults[K]>;
  }
}
