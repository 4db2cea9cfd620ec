// The worker side of the pool's protocol. A worker says it is ready once its script has loaded,
// so that a job's deadline counts the server's time and not a thread starting up; then it answers
// jobs one at a time, an error thrown by a job going back with its own fields (a Windows error
// code, the failed operation).
import { parentPort } from 'node:worker_threads';
import type { WorkerReady, WorkerReply } from './pool';

export function serveJobs<Job>(handle: (job: Job) => unknown): void {
  const port = parentPort;
  if (!port) throw new Error('a pool worker must run as a worker thread');
  port.on('message', (message: { id: number; job: Job }) => {
    let reply: WorkerReply;
    try {
      reply = { id: message.id, ok: true, result: handle(message.job) };
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      const fields: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(e)) if (typeof value === 'number' || typeof value === 'string') fields[key] = value;
      reply = { id: message.id, ok: false, error: { message: e.message, name: e.name, fields } };
    }
    port.postMessage(reply);
  });
  const ready: WorkerReady = { ready: true };
  port.postMessage(ready);
}
