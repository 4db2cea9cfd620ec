// A pool worker for tests that allocates the way a long-running native worker does over hours:
// objects that live through a scavenge or two, then die. Replies with its young generation's size
// and its thread id. A job with `exit` ends the thread instead, as a crash in native code would.
import { parentPort, threadId } from 'node:worker_threads';
import { getHeapSpaceStatistics } from 'node:v8';
import type { WorkerReply } from '../workers/pool';

parentPort?.on('message', (message: { id: number; job: { objects: number; exit?: boolean } }) => {
  if (message.job.exit === true) process.exit(3);
  let survivors: { i: number; text: string; pair: number[] }[] = [];
  for (let i = 0; i < message.job.objects; i++) {
    survivors.push({ i, text: `x${i}`, pair: [i, i + 1] });
    if (survivors.length > 20_000) survivors = survivors.slice(10_000);
  }
  const newSpace = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
  const reply: WorkerReply = { id: message.id, ok: true, result: { newSpaceMb: (newSpace?.space_size ?? 0) / 2 ** 20, kept: survivors.length, threadId } };
  parentPort?.postMessage(reply);
});
