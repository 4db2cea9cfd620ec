// The soak: a day of a busy console in fast-forward. 50 servers, refreshed every 5 simulated
// seconds, sessions coming and going, background logoff traffic followed live by the event
// stream; simulated time jumps 5 s per cycle. Reports heap and RSS at the start and the end and
// what the service keeps. usage: soak.js [hours=24]   (npm run soak)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime } from '../main/runtime';
import { EventStream, DEFAULT_STREAM_OPTIONS } from '../main/event-stream';
import { SimulatorControl } from '../worker/simulator/control';
import { simulatorLibraryPath } from '../main/backend';
import { filetimeFromMs } from '../common/mapping';
import { scaleFarm, serverName, writeFarm } from './farms';
import { DataType, load } from 'ffi-rs';
import { openLibrary } from '../ffi/library';
import { CRT_LIBRARY } from '../ffi/memory';

export interface SoakReport {
  simulatedHours: number; cycles: number; wallSeconds: number; eventsStreamed: number; sessionsChurned: number;
  start: ReturnType<typeof memory>; end: ReturnType<typeof memory>;
  retained: ReturnType<import('../main/service/session-service').SessionService['retained']> & { ring: number; ringCapacity: number };
  /** The pool's size, plus workers recycled after their share of jobs or replaced after a timeout. */
  workersStarted: number;
  workersRecycled: number;
  nativeJobs: number;
}

const SERVERS = 50;
const SESSIONS = 20;
const CYCLE_MS = 5000;

const mb = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;

/**
 * Heap and RSS after a full GC; on Linux also RSS once glibc has handed its free pages back
 * (malloc_trim), which tells memory in use from memory the allocator keeps for reuse.
 */
function memory(): { heapMb: number; rssMb: number; rssTrimmedMb: number | null } {
  (globalThis as { gc?: () => void }).gc?.();
  const usage = process.memoryUsage();
  let rssTrimmedMb: number | null = null;
  if (process.platform === 'linux') {
    load({ library: openLibrary(CRT_LIBRARY), funcName: 'malloc_trim', retType: DataType.I32, paramsType: [DataType.I64], paramsValue: [0] });
    rssTrimmedMb = mb(process.memoryUsage().rss);
  }
  return { heapMb: mb(usage.heapUsed), rssMb: mb(usage.rss), rssTrimmedMb };
}

export async function soak(hours: number, log: (line: string) => void = () => undefined): Promise<SoakReport> {
  const control = new SimulatorControl(simulatorLibraryPath());
  // The simulated Security logs roll over like full logs set to overwrite, keeping the farm's own memory flat.
  control.setMaxEventsPerServer(2000);
  const runtime = await createRuntime({
    farmPath: writeFarm(scaleFarm({ servers: SERVERS, sessionsPerServer: SESSIONS, latencyMs: 0, backgroundEventsPerMinute: 30 })),
    dataDirectory: mkdtempSync(join(tmpdir(), 'wtsc-soak-')), poolSize: 16,
  });
  const stream = new EventStream(runtime.service, { pollIntervalMs: 20, backfillMs: 60_000 });
  let eventsStreamed = 0;
  stream.onBatch((batch) => { eventsStreamed += batch.events.length; });
  const started = Date.now();
  const cycles = Math.round((hours * 3_600_000) / CYCLE_MS);
  const logEvery = Math.max(1, Math.round(cycles / 24));
  const warmUpCycles = Math.min(Math.round(3_600_000 / CYCLE_MS), Math.round(cycles / 2));
  let nextSessionId = 10_000;
  let churned = 0;
  let start = memory();
  try {
    stream.follow(runtime.service.listServers().map((s) => s.name));
    for (let cycle = 1; cycle <= cycles; cycle++) {
      control.advanceClock(CYCLE_MS);
      // One user somewhere logs off and another logs on, so caches see sessions come and go.
      const server = serverName(cycle % SERVERS);
      const leaving = [...(await runtime.service.refresh(server))[0]?.sessions ?? []].find((s) => s.userName !== '' && s.sessionId >= 2);
      if (leaving) control.userLogoff(server, leaving.sessionId);
      const now = Date.now() + control.advanceClock(0);
      control.addSession(server, {
        id: nextSessionId++, winStation: `RDP-Tcp#${nextSessionId}`, state: 0, user: `soak${nextSessionId}`, domain: 'CONTOSO', userSid: 'S-1-5-21-9',
        clientName: 'PC-SOAK', addressFamily: 2, address: Buffer.from([0, 0, 10, 9, 9, 9, ...new Array<number>(14).fill(0)]), protocol: 2,
        logonTime: filetimeFromMs(now), connectTime: filetimeFromMs(now), disconnectTime: 0n, lastInputTime: filetimeFromMs(now),
        messageAnswer: 1, logonId: BigInt(nextSessionId), logonType: 10, vanishBeforeAction: false,
      });
      churned++;
      const results = await runtime.service.refresh('all');
      const failed = results.filter((r) => r.status.health !== 'ok' && r.server !== 'localhost');
      if (failed.length > 0) throw new Error(`cycle ${cycle}: ${failed.map((r) => `${r.server} ${r.status.error?.message ?? ''}`).join('; ')}`);
      // Let the stream poll (it runs on real time, every 20 ms, alongside the refreshes).
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (cycle === warmUpCycles) start = memory(); // the ring is full and the simulated logs have rolled over by now
      if (cycle % logEvery === 0) {
        const now = memory();
        log(`soak: ${((cycle * CYCLE_MS) / 3_600_000).toFixed(1)} h simulated, ${eventsStreamed} events, heap ${now.heapMb} MB, RSS ${now.rssMb} MB (${now.rssTrimmedMb ?? '–'} MB trimmed), ${runtime.pool.jobsDispatched} jobs, ${runtime.pool.startedWorkers} workers started`);
      }
    }
    const end = memory();
    return {
      simulatedHours: hours, cycles, wallSeconds: Math.round((Date.now() - started) / 1000), eventsStreamed, sessionsChurned: churned, start, end,
      retained: { ...runtime.service.retained(), ring: stream.ring.size, ringCapacity: DEFAULT_STREAM_OPTIONS.ringSize },
      workersStarted: runtime.pool.startedWorkers, workersRecycled: runtime.pool.recycledWorkers, nativeJobs: runtime.pool.jobsDispatched,
    };
  } finally {
    stream.stop();
    await runtime.close();
  }
}

if (require.main === module) {
  const hours = Number(process.argv[2] ?? 24);
  if (!Number.isFinite(hours) || hours <= 0) throw new Error('usage: soak [hours]');
  soak(hours, (line) => console.error(line)).then((report) => {
    console.log(JSON.stringify(report, null, 2));
    const heapGrew = report.end.heapMb / Math.max(1, report.start.heapMb);
    const rssGrew = report.end.rssMb / Math.max(1, report.start.rssMb);
    // The start is the run's first trim and the end follows one, so on Linux only the trimmed
    // figures are measured alike; the raw ones are printed too.
    const trimmedGrew = report.start.rssTrimmedMb !== null && report.end.rssTrimmedMb !== null
      ? report.end.rssTrimmedMb / Math.max(1, report.start.rssTrimmedMb) : null;
    console.log(`soak: ${report.simulatedHours} h simulated in ${report.wallSeconds} s; heap ${report.start.heapMb} → ${report.end.heapMb} MB (${heapGrew.toFixed(2)}×), RSS ${report.start.rssMb} → ${report.end.rssMb} MB (${rssGrew.toFixed(2)}×)`
      + (trimmedGrew === null ? '.' : `, after malloc_trim ${report.start.rssTrimmedMb} → ${report.end.rssTrimmedMb} MB (${trimmedGrew.toFixed(2)}×).`));
    // Flat means within a quarter of the warmed-up figure: worker heaps and the allocator breathe.
    process.exitCode = heapGrew <= 1.25 && (trimmedGrew ?? rssGrew) <= 1.25 ? 0 : 1;
  }, (error: unknown) => { console.error(`soak failed: ${String(error)}`); process.exitCode = 2; });
}
