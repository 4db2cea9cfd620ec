// A pool worker for tests that allocates the way a long-running native worker does over hours:
// objects that live through a scavenge or two, then die. Replies with its young generation's size
// and its thread id. A job with `exit` ends the thread instead, as a crash in native code would;
// `startupMs` (workerData) holds the thread up before it says it is ready, as a slow start would.
import { threadId, workerData } from 'node:worker_threads';
import { getHeapSpaceStatistics } from 'node:v8';
import type { PoolWorkerData } from '../common/pool-protocol';
import { serveJobs } from '../worker/serve-jobs';

const startupMs = ((workerData as PoolWorkerData | null)?.data as { startupMs?: number } | null)?.startupMs ?? 0;
if (startupMs > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, startupMs);

serveJobs<{ objects: number; exit?: boolean }>((job) => {
  if (job.exit === true) process.exit(3);
  let survivors: { i: number; text: string; pair: number[] }[] = [];
  for (let i = 0; i < job.objects; i++) {
    survivors.push({ i, text: `x${i}`, pair: [i, i + 1] });
    if (survivors.length > 20_000) survivors = survivors.slice(10_000);
  }
  const newSpace = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
  return { newSpaceMb: (newSpace?.space_size ?? 0) / 2 ** 20, kept: survivors.length, threadId };
});
