// Child process for pool.test.ts: gives up on workers while they are starting or blocked in a
// native call, many times over, then checks the pool still works. Run as a child so that an
// abort inside the FFI addon fails the test instead of killing the test runner.
import { selectBackend } from '../main/backend';
import { SimulatorControl } from '../worker/simulator/control';
import { loadFarm } from '../worker/simulator/farm';
import { readFarmFile } from '../common/farm-file';
import { scaleFarm, writeFarm } from '../bench/farms';
import type { Job } from '../common/native-jobs';
import { NativeWorkerPool } from '../main/pool/native-pool';
import { LOGOFF_EVENT_IDS } from '../../shared/events';

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 300);
  const backend = selectBackend();
  const control = new SimulatorControl(backend.wtsLibrary);
  loadFarm(control, readFarmFile(writeFarm(scaleFarm({ servers: 2, sessionsPerServer: 5, latencyMs: 0, backgroundEventsPerMinute: 30 }))));
  const pool = new NativeWorkerPool({ wtsLibrary: backend.wtsLibrary, eventLibrary: backend.eventLibrary, kernelLibrary: backend.kernelLibrary, advapiLibrary: backend.advapiLibrary }, 4);
  const poll = (server: string, waitMs: number): Job => ({ kind: 'events-poll', server, eventIds: [...LOGOFF_EVENT_IDS], bookmarkXml: null, waitMs });
  let timedOut = 0;
  const giveUpAfter1Ms = (job: Job): Promise<void> => pool.run(job, 1).then(() => undefined, (error: Error) => {
    if (error.name === 'JobTimeoutError') timedOut++; else throw error;
  });
  // A job that answers (often on a fresh worker, after the last was given up on), then one given
  // up on after 1 ms, while its worker is starting, waiting on the subscription, or between calls.
  // Before the pool waited for late replies, this aborted the process within a few hundred rounds.
  for (let i = 0; i < rounds; i++) {
    await pool.run(poll('RDS001', 0), 10_000);
    await giveUpAfter1Ms(poll('RDS001', 30));
  }
  // Then workers given up on while blocked inside a native call: every open of RDS002's Security
  // log takes 20 ms, like a server slow to answer.
  control.setEventLatency('RDS002', 20);
  for (let i = 0; i < rounds / 2; i++) {
    await pool.run(poll('RDS002', 0), 10_000);
    await giveUpAfter1Ms(poll('RDS002', 0));
  }
  const after = await pool.run({ kind: 'refresh', server: 'RDS002', knownClients: {} }, 10_000);
  const deadline = Date.now() + 20_000;
  while (pool.abandonedWorkers > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  process.stdout.write(JSON.stringify({ rounds, timedOut, sessionsAfter: (after as { sessions: unknown[] }).sessions.length, abandonedLeft: pool.abandonedWorkers }));
  await pool.close();
}

main().catch((error: unknown) => { console.error(error); process.exitCode = 1; });
