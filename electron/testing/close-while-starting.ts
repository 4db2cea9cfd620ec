// A process that closes its pool while one worker is still starting and nothing else keeps the
// event loop alive, as wtsc does at exit; it must still reach its exit code.
import { join } from 'node:path';
import { WorkerPool } from '../main/pool/worker-pool';

async function main(): Promise<void> {
  const pool = new WorkerPool<{ objects: number }, { threadId: number }>(join(__dirname, 'churn-worker.js'), { startupMs: 400 }, 2);
  await pool.run({ objects: 1 }, 5_000);
  // The first worker is ready: it answers both jobs while a second one is started for the second job.
  await Promise.all([pool.run({ objects: 1 }, 5_000), pool.run({ objects: 1 }, 5_000)]);
  const stuck = await pool.close();
  process.stdout.write(`closed, started ${pool.startedWorkers}, stuck ${stuck}\n`);
  process.exitCode = 7;
}
void main();
