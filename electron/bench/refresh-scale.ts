// Cases 2 and 3: refreshing 50 servers × 200 sessions at 5 ms per call through the worker pool,
// against the limit the design allows and against the per-field way; then the main thread's
// event-loop delay while the same refresh runs with one server hanging.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime } from '../main/runtime';
import { WorkerPool } from '../main/pool/worker-pool';
import { nativeLanes } from '../native-host/lanes';
import { SimulatorControl } from '../worker/simulator/control';
import { simulatorLibraryPath } from '../main/backend';
import { LOCAL_SERVER } from '../../shared/domain';
import { scaleFarm, serverName, writeFarm } from './farms';
import type { PerFieldJob, PerFieldResult } from './per-field-worker';
import { measure, median } from './stats';
import { row } from './report';
import type { BenchRow } from './report';

const SERVERS = 50;
const SESSIONS = 200;
const LATENCY_MS = 5;
export const POOL_SIZE = 16;

export async function refreshAtScale(runs: number, perFieldRuns: number): Promise<BenchRow[]> {
  const farmPath = writeFarm(scaleFarm({ servers: SERVERS, sessionsPerServer: SESSIONS, latencyMs: LATENCY_MS }));
  const runtime = await createRuntime({ farmPath, dataDirectory: mkdtempSync(join(tmpdir(), 'wtsc-bench-data-')), poolSize: POOL_SIZE, settings: { serverTimeoutMs: 10_000 } });
  const control = new SimulatorControl(simulatorLibraryPath());
  const rows: BenchRow[] = [];
  try {
    const callsBefore = () => control.callCount('WTSEnumerateSessionsExW') + control.callCount('WTSQuerySessionInformationW');
    let callsPerServer = 0;
    const refreshRuns = await measure(runs, 1, async () => {
      const before = callsBefore();
      const start = performance.now();
      const results = (await runtime.service.refresh('all')).filter((r) => r.server !== LOCAL_SERVER);
      const elapsed = performance.now() - start;
      const failed = results.filter((r) => r.status.health !== 'ok');
      if (failed.length > 0 || results.length !== SERVERS) throw new Error(`refresh failed on ${failed.map((r) => r.server).join(', ')}`);
      callsPerServer = (callsBefore() - before) / SERVERS;
      return elapsed;
    });
    const rounds = Math.ceil(SERVERS / POOL_SIZE);
    const limitMs = rounds * callsPerServer * LATENCY_MS;
    const refreshMedian = median(refreshRuns);
    rows.push(row({
      case: '2 refresh at scale', metric: `${SERVERS} servers × ${SESSIONS} sessions, ${LATENCY_MS} ms per call, pool ${POOL_SIZE}`,
      runs: refreshRuns, measured: refreshMedian, unit: 'ms',
      reference: { value: limitMs, label: `${rounds} rounds × ${callsPerServer} calls × ${LATENCY_MS} ms` },
      target: { on: 'ratio', comparison: 'at-most', value: 1.5, text: '≤ 1.5× limit' },
      note: 'One WTSEnumerateSessionsExW per server plus one WTSQuerySessionInformationW(WTSSessionInfo) per session: the logon, idle and disconnect times exist nowhere else. Client name, address and protocol are asked once per connection and cached.',
    }));
    rows.push(row({ case: '2 refresh at scale', metric: 'calls per server per refresh', runs: [callsPerServer], measured: callsPerServer, unit: 'calls' }));

    const pool = new WorkerPool<PerFieldJob, PerFieldResult>(join(__dirname, 'per-field-worker.js'), { wtsLibrary: runtime.backend.wtsLibrary }, POOL_SIZE,
      { lanes: nativeLanes([runtime.backend.wtsLibrary]) });
    try {
      let perFieldCalls = 0;
      const perFieldRunsMs = await measure(perFieldRuns, 0, async () => {
        const start = performance.now();
        const results = await Promise.all(Array.from({ length: SERVERS }, (_, i) => pool.run({ server: serverName(i) }, 600_000)));
        perFieldCalls = results[0]?.calls ?? 0;
        return performance.now() - start;
      });
      const perFieldMedian = median(perFieldRunsMs);
      rows.push(row({
        case: '2 refresh at scale', metric: `per-field way (${perFieldCalls} calls per server)`, runs: perFieldRunsMs, measured: perFieldMedian, unit: 'ms',
        reference: { value: refreshMedian, label: 'this console' },
        note: 'WTSEnumerateSessionsW, then 8 WTSQuerySessionInformationW per session, as qwinsta-style tools read a server.',
      }));
      rows.push(row({ case: '2 refresh at scale', metric: 'speed-up over the per-field way', runs: [perFieldMedian / refreshMedian], measured: perFieldMedian / refreshMedian, unit: '×' }));
    } finally {
      await pool.close();
    }

    // Case 3: the same refresh while RDS050 hangs; the service gives it up after its timeout.
    control.setFault(serverName(SERVERS - 1), 'hang', 0, 600_000);
    const p50: number[] = [], p99: number[] = [], max: number[] = [];
    await measure(3, 0, async () => {
      const histogram = monitorEventLoopDelay({ resolution: 1 });
      histogram.enable();
      const start = performance.now();
      await runtime.service.refresh('all');
      const elapsed = performance.now() - start;
      histogram.disable();
      p50.push(histogram.percentile(50) / 1e6);
      p99.push(histogram.percentile(99) / 1e6);
      max.push(histogram.max / 1e6);
      control.releaseHangs();
      // Let the abandoned call return so the next run starts with the server hanging afresh.
      await new Promise((resolve) => setTimeout(resolve, 200));
      return elapsed;
    });
    rows.push(row({ case: '3 responsiveness', metric: 'event-loop delay p50 during refresh, one server hanging', runs: p50, measured: median(p50), unit: 'ms' }));
    rows.push(row({ case: '3 responsiveness', metric: 'event-loop delay p99', runs: p99, measured: median(p99), unit: 'ms',
      target: { on: 'measured', comparison: 'at-most', value: 10, text: '≤ 10 ms' } }));
    rows.push(row({ case: '3 responsiveness', metric: 'event-loop delay max', runs: max, measured: median(max), unit: 'ms' }));
  } finally {
    control.releaseHangs();
    await runtime.close();
  }
  return rows;
}
