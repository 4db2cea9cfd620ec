// The pool of workers that run the console's native jobs, with every library they call prepared.
import { join } from 'node:path';
import { NativeWorkerPool } from './pool';
import type { PoolOptions } from './pool';
import { CRT_LIBRARY } from '../native/memory';
import type { Job, JobResult } from '../service/jobs';

export interface NativeWorkerData { wtsLibrary: string; eventLibrary: string; kernelLibrary: string }

export function createNativeWorkerPool(libraries: NativeWorkerData, size: number, options: Omit<PoolOptions, 'libraries'> = {}): NativeWorkerPool<Job, JobResult> {
  return new NativeWorkerPool<Job, JobResult>(join(__dirname, 'native-worker.js'), libraries, size,
    { ...options, libraries: [libraries.wtsLibrary, libraries.eventLibrary, libraries.kernelLibrary, CRT_LIBRARY] });
}
