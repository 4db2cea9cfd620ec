// Child process for control.test.ts: the farm is replaced while calls sleep on their round trip,
// as the tests do between cases while a worker given up on is still inside a call. Run as a child
// so that a simulator reading the old farm fails the test instead of killing the test runner.
import { selectBackend } from '../main/backend';
import { SimulatorControl } from '../worker/simulator/control';
import { loadFarm } from '../worker/simulator/farm';
import { readFarmFile } from '../common/farm-file';
import { scaleFarm, writeFarm } from '../bench/farms';
import type { Job } from '../common/native-jobs';
import { NativeWorkerPool } from '../main/pool/native-pool';
import { LOGOFF_EVENT_IDS } from '../../shared/events';

/** Waits until the refresh's first WTS call has been made: it is then asleep on its round trip. */
async function untilEnumerating(control: SimulatorControl, before: number): Promise<void> {
  // A fixed pause is not enough: a worker thread starts far slower under Wine.
  const deadline = Date.now() + 20_000;
  while (control.callCount('WTSEnumerateSessionsExW') <= before) {
    if (Date.now() > deadline) throw new Error('the refresh never reached WTSEnumerateSessionsExW');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const outcome = (promise: Promise<unknown>): Promise<unknown> => promise.then((value) => ({ answered: value }), (error: Error) => ({ failed: error.message }));

async function main(): Promise<void> {
  const backend = selectBackend();
  const control = new SimulatorControl(backend.wtsLibrary);
  const farm = readFarmFile(writeFarm(scaleFarm({ servers: 2, sessionsPerServer: 5, latencyMs: 0, backgroundEventsPerMinute: 0 })));
  loadFarm(control, farm);
  const pool = new NativeWorkerPool({ wtsLibrary: backend.wtsLibrary, eventLibrary: backend.eventLibrary, kernelLibrary: backend.kernelLibrary, advapiLibrary: backend.advapiLibrary }, 3);
  try {
    // A Security log slow to open and a server slow to answer: both calls sleep outside the lock.
    control.setEventLatency('RDS001', 400);
    control.setLatency('RDS002', 400);
    const poll: Job = { kind: 'events-poll', server: 'RDS001', eventIds: [...LOGOFF_EVENT_IDS], bookmarkXml: null, waitMs: 0 };
    const refresh: Job = { kind: 'refresh', server: 'RDS002', knownClients: {} };
    const inFlight = [outcome(pool.run(poll, 10_000)), outcome(pool.run(refresh, 10_000))];
    await untilEnumerating(control, 0);
    control.reset(); // no farm at all while they sleep
    const whileEmpty = await Promise.all(inFlight);
    // Reloaded under the same names and indexes while a call sleeps: it must not answer from the new farm.
    loadFarm(control, farm);
    control.setLatency('RDS002', 400);
    // Counted before the job is sent: a worker already awake can enter the call before the next line runs.
    const enumeratedBefore = control.callCount('WTSEnumerateSessionsExW');
    const reloaded = outcome(pool.run(refresh, 10_000));
    await untilEnumerating(control, enumeratedBefore);
    loadFarm(control, farm);
    const whileReloaded = await reloaded;
    const after = await outcome(pool.run(refresh, 10_000));
    process.stdout.write(JSON.stringify({ whileEmpty, whileReloaded, after }));
  } finally {
    await pool.close();
  }
}

main().catch((error: unknown) => { console.error(error); process.exitCode = 1; });
