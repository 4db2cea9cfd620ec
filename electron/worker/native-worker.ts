// Entry point of a native worker thread: runs jobs against the bindings, one at a time.
import { workerData } from 'node:worker_threads';
import type { Job } from '../common/native-jobs';
import type { NativeWorkerData } from '../common/native-jobs';
import type { PoolWorkerData } from '../common/pool-protocol';
import { useNativeLane } from '../ffi/library';
import { WtsApi } from './wtsapi32/wtsapi';
import { WevtApi } from './wevtapi/wevtapi';
import { AdvApi } from './advapi32/advapi32';
import { Kernel32 } from './kernel32/kernel32';
import { runJob } from './jobs/run-job';
import { serveJobs } from './serve-jobs';

const { lane, libraryKeys, data } = workerData as PoolWorkerData & { data: NativeWorkerData };
useNativeLane(lane, libraryKeys);
const apis = { wts: new WtsApi(data.wtsLibrary), events: new WevtApi(data.eventLibrary, data.kernelLibrary), advapi: new AdvApi(data.advapiLibrary), kernel: new Kernel32(data.kernelLibrary) };
serveJobs<Job>((job) => runJob(apis, job));
