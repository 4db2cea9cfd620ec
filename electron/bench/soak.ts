// The soak: hours of a busy console in fast-forward. Servers (50 by default) refreshed every cycle
// (5 simulated seconds by default), sessions coming and going, background logoff traffic followed
// live by the event stream; simulated time jumps a cycle at a time. Reports heap and RSS after the
// first simulated hour and at the end, and what the service keeps.
// usage: soak.js [--servers N] [--hours H] [--cycle-seconds S]   (npm run soak -- --servers 500 --hours 6)
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
  simulatedHours: number; servers: number; cycleSeconds: number; cycles: number; wallSeconds: number; eventsStreamed: number; sessionsChurned: number;
  start: ReturnType<typeof memory>; end: ReturnType<typeof memory>;
  retained: ReturnType<import('../main/service/session-service').SessionService['retained']> & { ring: number; ringCapacity: number };
  /** The pool's size, plus workers recycled after their share of jobs or replaced after a timeout. */
  workersStarted: number;
  workersRecycled: number;
  nativeJobs: number;
}

const SESSIONS = 20;

export interface SoakOptions { hours: number; servers: number; cycleSeconds: number }
export const DEFAULT_SOAK: SoakOptions = { hours: 24, servers: 50, cycleSeconds: 5 };

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

export async function soak(options: Partial<SoakOptions>, log: (line: string) => void = () => undefined): Promise<SoakReport> {
  const { hours, servers: SERVERS, cycleSeconds } = { ...DEFAULT_SOAK, ...options };
  const CYCLE_MS = cycleSeconds * 1000;
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
  // The figures the end is compared with: after the first simulated hour (the ring is full and the simulated logs have rolled over).
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
      if (cycle === warmUpCycles) start = memory();
      if (cycle % logEvery === 0) {
        const now = memory();
        log(`soak: ${((cycle * CYCLE_MS) / 3_600_000).toFixed(1)} h simulated, ${eventsStreamed} events, heap ${now.heapMb} MB, RSS ${now.rssMb} MB (${now.rssTrimmedMb ?? '–'} MB trimmed), ${runtime.pool.jobsDispatched} jobs, ${runtime.pool.startedWorkers} workers started`);
      }
    }
    const end = memory();
    return {
      simulatedHours: hours, servers: SERVERS, cycleSeconds, cycles, wallSeconds: Math.round((Date.now() - started) / 1000), eventsStreamed, sessionsChurned: churned, start, end,
      retained: { ...runtime.service.retained(), ring: stream.ring.size, ringCapacity: DEFAULT_STREAM_OPTIONS.ringSize },
      workersStarted: runtime.pool.startedWorkers, workersRecycled: runtime.pool.recycledWorkers, nativeJobs: runtime.pool.jobsDispatched,
    };
  } finally {
    stream.stop();
    await runtime.close();
  }
}

/** --servers N --hours H --cycle-seconds S; a bare number is the hours, as before. */
export function parseSoakArgs(argv: readonly string[]): SoakOptions {
  const options = { ...DEFAULT_SOAK };
  const names: Record<string, keyof SoakOptions> = { '--servers': 'servers', '--hours': 'hours', '--cycle-seconds': 'cycleSeconds' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const name = names[arg];
    const text = name ? argv[++i] : arg;
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0 || (name === 'servers' && !Number.isInteger(value))) {
      throw new Error(`soak: ${name ? `${arg} takes a positive number` : `unexpected argument ${arg}`}. usage: soak [--servers N] [--hours H] [--cycle-seconds S]`);
    }
    options[name ?? 'hours'] = value;
  }
  return options;
}

/** The soak's line: the main heap flat and RSS at most 1.15× what it was after the first simulated hour. */
export const SOAK_LIMIT = 1.15;

if (require.main === module) {
  const options = parseSoakArgs(process.argv.slice(2));
  soak(options, (line) => console.error(line)).then((report) => {
    console.log(JSON.stringify(report, null, 2));
    const heapGrew = report.end.heapMb / Math.max(1, report.start.heapMb);
    const rssGrew = report.end.rssMb / Math.max(1, report.start.rssMb);
    // On Linux the trimmed figures (after malloc_trim) are what the process uses; the raw ones are printed too.
    const trimmedGrew = report.start.rssTrimmedMb !== null && report.end.rssTrimmedMb !== null
      ? report.end.rssTrimmedMb / Math.max(1, report.start.rssTrimmedMb) : null;
    const rssFigure = trimmedGrew ?? rssGrew;
    const met = heapGrew <= SOAK_LIMIT && rssFigure <= SOAK_LIMIT;
    console.log(`soak: ${report.servers} servers, ${report.simulatedHours} h simulated (a refresh every ${report.cycleSeconds} s) in ${report.wallSeconds} s; after the first hour → end: heap ${report.start.heapMb} → ${report.end.heapMb} MB (${heapGrew.toFixed(2)}×), RSS ${report.start.rssMb} → ${report.end.rssMb} MB (${rssGrew.toFixed(2)}×)`
      + (trimmedGrew === null ? '' : `, after malloc_trim ${report.start.rssTrimmedMb} → ${report.end.rssTrimmedMb} MB (${trimmedGrew.toFixed(2)}×)`)
      + `; limit ${SOAK_LIMIT}× for both: ${met ? 'met' : 'MISSED'}.`);
    process.exitCode = met ? 0 : 1;
  }, (error: unknown) => { console.error(`soak failed: ${String(error)}`); process.exitCode = 2; });
}
