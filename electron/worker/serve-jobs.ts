// The worker side of the pool's protocol. A worker says it is ready once its script has loaded,
// so that a job's deadline counts the server's time and not a thread starting up; then it answers
// jobs one at a time, a failure going back as a WorkerError (a Windows error keeps its code and
// the function that failed).
import { parentPort } from 'node:worker_threads';
import type { WorkerError, WorkerReady, WorkerReply } from '../common/pool-protocol';
import { WindowsApiError } from '../common/windows-error';

export function workerError(error: unknown): WorkerError {
  if (error instanceof WindowsApiError) return { kind: 'windows', info: error.toInfo() };
  const e = error instanceof Error ? error : new Error(String(error));
  return { kind: 'failure', name: e.name, message: e.message };
}

export function serveJobs<Job>(handle: (job: Job) => unknown): void {
  const port = parentPort;
  if (!port) throw new Error('a pool worker must run as a worker thread');
  port.on('message', (message: { id: number; job: Job }) => {
    let reply: WorkerReply;
    let endWorker = false;
    try {
      reply = { id: message.id, ok: true, result: handle(message.job) };
    } catch (error) {
      reply = { id: message.id, ok: false, error: workerError(error) };
      // A thread left impersonating another account must not take another job.
      endWorker = (error as { endsWorker?: unknown } | null)?.endsWorker === true;
    }
    port.postMessage(reply);
    if (endWorker) process.exit(1);
  });
  const ready: WorkerReady = { ready: true };
  port.postMessage(ready);
}
