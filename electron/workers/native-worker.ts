// Entry point of a native worker thread: runs jobs against the bindings, one at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { WtsApi } from '../wts/wtsapi';
import { WevtApi } from '../eventlog/wevtapi';
import { runJob } from '../service/jobs';
import type { Job } from '../service/jobs';
import { useNativeLane } from '../native/library';
import type { PoolWorkerData, WorkerReply } from './pool';
import type { NativeWorkerData } from './native-pool';

const port = parentPort;
if (!port) throw new Error('native-worker must run as a worker thread');
const { lane, libraryKeys, data } = workerData as PoolWorkerData & { data: NativeWorkerData };
useNativeLane(lane, libraryKeys);
const apis = { wts: new WtsApi(data.wtsLibrary), events: new WevtApi(data.eventLibrary, data.kernelLibrary) };

port.on('message', (message: { id: number; job: Job }) => {
  let reply: WorkerReply;
  try {
    reply = { id: message.id, ok: true, result: runJob(apis, message.job) };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(e)) if (typeof value === 'number' || typeof value === 'string') fields[key] = value;
    reply = { id: message.id, ok: false, error: { message: e.message, name: e.name, fields } };
  }
  port.postMessage(reply);
});
