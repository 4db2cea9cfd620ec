// Entry point of a native worker thread: runs jobs against the bindings, one at a time.
import { workerData } from 'node:worker_threads';
import { WtsApi } from '../wts/wtsapi';
import { WevtApi } from '../eventlog/wevtapi';
import { runJob } from '../service/jobs';
import type { Job } from '../service/jobs';
import { useNativeLane } from '../native/library';
import type { PoolWorkerData } from './pool';
import type { NativeWorkerData } from './native-pool';
import { serveJobs } from './serve-jobs';

const { lane, libraryKeys, data } = workerData as PoolWorkerData & { data: NativeWorkerData };
useNativeLane(lane, libraryKeys);
const apis = { wts: new WtsApi(data.wtsLibrary), events: new WevtApi(data.eventLibrary, data.kernelLibrary) };
serveJobs<Job>((job) => runJob(apis, job));
