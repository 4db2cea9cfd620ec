// Case 1: the cost of the TypeScript binding against ffi-rs's own floor (the same number of foreign
// calls of a trivial function) and, for information, against a C program making the identical WTS
// calls on the same simulator library (no latency), for one server with 10,000 sessions.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { DataType, load } from 'ffi-rs';
import { openLibrary } from '../ffi/library';
import { CRT_LIBRARY } from '../ffi/memory';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { WtsApi } from '../worker/wtsapi32/wtsapi';
import { WTSCLIENTW, WTSINFOW, WTS_SESSION_INFO_1W, WTS_TYPE_SESSION_INFO_LEVEL1, WtsInfoClass } from '../worker/wtsapi32/structs';
import { offsetOf } from '../ffi/layout';
import { SimulatorControl } from '../worker/simulator/control';
import { simulatorLibraryPath } from '../main/backend';
import { refreshServer } from '../worker/jobs/refresh';
import { measure, median } from './stats';
import { row } from './report';
import type { BenchRow } from './report';
import { projectRoot } from '../common/project-root';

const ROOT = projectRoot();
const SESSIONS = 10_000;

function buildPeer(): string {
  const library = simulatorLibraryPath();
  const output = join(ROOT, 'native', 'build', 'ffi-peer');
  mkdirSync(join(ROOT, 'native', 'build'), { recursive: true });
  const built = spawnSync(process.env['CC'] ?? 'gcc', [
    '-std=c11', '-O2', '-Wall', '-Wextra', '-Werror', '-D_POSIX_C_SOURCE=200809L', '-o', output,
    join(ROOT, 'native', 'bench', 'ffi-peer.c'), library, `-Wl,-rpath,${join(library, '..')}`,
  ], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('could not build the C peer (native/bench/ffi-peer.c) with gcc');
  return output;
}

function loadSessions(control: SimulatorControl): void {
  control.reset();
  control.addServer('BENCH', '', false, 0, 0, 0);
  const base = 133_800_000_000_000_000n;
  for (let i = 0; i < SESSIONS; i++) {
    const address = Buffer.alloc(20);
    address[2] = 10; address[3] = 1; address[4] = (i >> 8) & 255; address[5] = i & 255;
    control.addSession('BENCH', {
      id: i + 1, winStation: `RDP-Tcp#${i + 1}`, state: 0, user: `user${String(i).padStart(5, '0')}`, domain: 'CONTOSO',
      userSid: 'S-1-5-21-1-2-3-1000', clientName: `PC-${String(i).padStart(5, '0')}`, addressFamily: 2, address, protocol: 2,
      logonTime: base, connectTime: base, disconnectTime: 0n, lastInputTime: base + 36_000_000_000n, messageAnswer: 1,
      logonId: 0x100000n + BigInt(i), logonType: 10, vanishBeforeAction: false,
    });
  }
}

export async function ffiOverhead(runs: number): Promise<BenchRow[]> {
  const peer = buildPeer();
  const ran = spawnSync(peer, [String(SESSIONS), String(runs)], { encoding: 'utf8' });
  if (ran.status !== 0) throw new Error(`the C peer failed: ${ran.stderr}`);
  const c = JSON.parse(ran.stdout) as { calls: number; runsMs: number[] };

  const control = new SimulatorControl(simulatorLibraryPath());
  loadSessions(control);
  const api = new WtsApi(simulatorLibraryPath());
  let calls = 0;
  const tsRuns = await measure(runs, 1, () => {
    const start = performance.now();
    const result = refreshServer(api, { kind: 'refresh', server: 'BENCH', knownClients: {} });
    const elapsed = performance.now() - start;
    if (result.sessions.length !== SESSIONS) throw new Error(`expected ${SESSIONS} sessions, got ${result.sessions.length}`);
    calls = result.calls;
    return elapsed;
  });
  if (calls !== c.calls) throw new Error(`the binding made ${calls} WTS calls, the C peer ${c.calls}: they must match`);
  const cMedian = median(c.runsMs);
  const foreign = countForeignCalls(() => refreshServer(api, { kind: 'refresh', server: 'BENCH', knownClients: {} }));
  const trivialUs = await trivialCallMicroseconds(runs);
  const perWtsUs = (median(tsRuns) * 1000) / calls;
  const floorUs = (foreign / calls) * trivialUs;
  const raw = rawForeignCalls(simulatorLibraryPath());
  if (raw.calls !== foreign) throw new Error(`the raw replay made ${raw.calls} foreign calls, the binding ${foreign}: they must match`);
  const rawRuns = await measure(runs, 1, () => {
    const start = performance.now();
    raw.run();
    return ((performance.now() - start) * 1000) / calls;
  });
  return [
    row({
      case: '1 FFI overhead', metric: `per WTS call against ffi-rs's floor (${(foreign / calls).toFixed(2)} foreign calls each)`, runs: tsRuns.map((t) => (t * 1000) / calls), measured: perWtsUs, unit: 'µs',
      reference: { value: floorUs, label: `${(foreign / calls).toFixed(2)} × ${trivialUs.toFixed(2)} µs, a trivial call through load with errno` },
      target: { on: 'ratio', comparison: 'at-most', value: 1.5, text: '≤ 1.5× floor' },
      note: `${foreign} foreign calls for ${calls} WTS calls: each WTSQuerySessionInformationW is the call, a copy out of the buffer and WTSFreeMemory. The floor is the same number of calls of the C library's abs() through ffi-rs's load with errno, measured in this run. What is above it is ffi-rs's marshalling of the arguments these functions take (the next row: the same calls with nothing of the binding's) and the binding's own work (the difference between the two rows: decoding, argument arrays).`,
    }),
    row({
      case: '1 FFI overhead', metric: `per WTS call, ffi-rs alone: the binding's ${foreign} foreign calls with the same arguments, nothing decoded`, runs: rawRuns, measured: median(rawRuns), unit: 'µs',
      reference: { value: floorUs, label: 'the floor above' },
      note: `Information: what the target's floor leaves out. ffi-rs's cost of the arguments these functions take (out-pointers as buffers, five or more arguments, a copy into a buffer) before any of the binding's own code; the binding's own share is the difference from the figure above.`,
    }),
    row({
      case: '1 FFI overhead', metric: `enumerate + details, ${SESSIONS} sessions (${calls} WTS calls)`, runs: tsRuns, measured: median(tsRuns), unit: 'ms',
      reference: { value: cMedian, label: 'C program, same calls' },
      note: 'Information: ffi-rs costs microseconds a foreign call (argument marshalling in the addon) against a fraction of one for a direct C call; the target is on the floor above.',
    }),
    row({ case: '1 FFI overhead', metric: 'per WTS call, TypeScript binding', runs: tsRuns.map((t) => (t * 1000) / calls), measured: (median(tsRuns) * 1000) / calls, unit: 'µs',
      reference: { value: (cMedian * 1000) / c.calls, label: 'C' } }),
  ];
}

/** How many foreign calls `run` makes through ffi-rs's load, counted by wrapping it for this one run. */
function countForeignCalls(run: () => unknown): number {
  // The module object itself (an import gives a copy with getters): the bindings read its load at each call.
  const ffi = createRequire(__filename)('ffi-rs') as { load: typeof load };
  const original = ffi.load;
  let count = 0;
  ffi.load = ((options: Parameters<typeof load>[0]) => { count++; return original(options); }) as typeof load;
  try {
    run();
  } finally {
    ffi.load = original;
  }
  return count;
}

/**
 * The foreign calls refreshServer makes for the bench's server (every session with a user and an
 * RDP WinStation name: WTSSessionInfo and WTSClientInfo each), made straight through ffi-rs with
 * the binding's argument types, reading only the pointers and sizes the next call needs. Linux
 * only, as the C peer: the C library's memcpy and wcslen copy out of native memory there.
 */
function rawForeignCalls(libraryPath: string): { calls: number; run: () => void } {
  const wts = openLibrary(libraryPath);
  const crt = openLibrary(CRT_LIBRARY);
  let calls = 0;
  const call = (library: string, funcName: string, retType: DataType, paramsType: DataType[], paramsValue: unknown[], errno: boolean): unknown => {
    calls++;
    return load({ library, funcName, retType, paramsType, paramsValue, errno } as Parameters<typeof load>[0]);
  };
  const succeeded = (result: unknown, funcName: string): void => {
    if ((result as { value: unknown }).value === 0) throw new Error(`${funcName} failed in the raw replay`);
  };
  const copy = (out: Buffer, address: bigint): void => { call(crt, 'memcpy', DataType.Void, [DataType.U8Array, DataType.BigInt, DataType.I64], [out, address, out.length], false); };
  const readString = (address: bigint): void => {
    if (address === 0n) return;
    const chars = Number(call(crt, 'wcslen', DataType.I64, [DataType.BigInt], [address], false));
    if (chars > 0) copy(Buffer.alloc(chars * 4), address);
  };
  const pointer = Buffer.alloc(8);
  const bytes = Buffer.alloc(4);
  const query = (handle: bigint, sessionId: number, infoClass: number, size: number): void => {
    pointer.fill(0);
    bytes.fill(0);
    succeeded(call(wts, 'WTSQuerySessionInformationW', DataType.I32, [DataType.BigInt, DataType.U32, DataType.I32, DataType.U8Array, DataType.U8Array],
      [handle, sessionId, infoClass, pointer, bytes], true), 'WTSQuerySessionInformationW');
    const address = pointer.readBigUInt64LE(0);
    copy(Buffer.alloc(size), address);
    call(wts, 'WTSFreeMemory', DataType.Void, [DataType.BigInt], [address], false);
  };
  const run = (): void => {
    const opened = call(wts, 'WTSOpenServerExW', DataType.BigInt, [DataType.WString], ['BENCH'], true) as { value: bigint };
    const handle = opened.value;
    const level = Buffer.alloc(4);
    level.writeUInt32LE(1, 0);
    const array = Buffer.alloc(8);
    const count = Buffer.alloc(4);
    succeeded(call(wts, 'WTSEnumerateSessionsExW', DataType.I32, [DataType.BigInt, DataType.U8Array, DataType.I32, DataType.U8Array, DataType.U8Array],
      [handle, level, 0, array, count], true), 'WTSEnumerateSessionsExW');
    const n = count.readUInt32LE(0);
    const entries = Buffer.alloc(n * WTS_SESSION_INFO_1W.size);
    copy(entries, array.readBigUInt64LE(0));
    const sessionIds: number[] = [];
    for (let i = 0; i < n; i++) {
      const base = i * WTS_SESSION_INFO_1W.size;
      sessionIds.push(entries.readUInt32LE(base + offsetOf(WTS_SESSION_INFO_1W, 'SessionId')));
      for (const field of ['pSessionName', 'pUserName', 'pDomainName', 'pFarmName']) readString(entries.readBigUInt64LE(base + offsetOf(WTS_SESSION_INFO_1W, field)));
    }
    succeeded(call(wts, 'WTSFreeMemoryExW', DataType.I32, [DataType.I32, DataType.BigInt, DataType.I32], [WTS_TYPE_SESSION_INFO_LEVEL1, array.readBigUInt64LE(0), n], true), 'WTSFreeMemoryExW');
    for (const sessionId of sessionIds) {
      query(handle, sessionId, WtsInfoClass.SessionInfo, WTSINFOW.size);
      query(handle, sessionId, WtsInfoClass.ClientInfo, WTSCLIENTW.size);
    }
    call(wts, 'WTSCloseServer', DataType.Void, [DataType.BigInt], [handle], false);
  };
  run();
  const counted = calls;
  return { calls: counted, run };
}

/** The median cost of one call of the C library's abs() through ffi-rs's load with errno, in µs. */
async function trivialCallMicroseconds(runs: number): Promise<number> {
  const library = openLibrary(CRT_LIBRARY);
  const calls = 100_000;
  const figures = await measure(runs, 1, () => {
    const start = performance.now();
    for (let i = 0; i < calls; i++) load({ library, funcName: 'abs', retType: DataType.I32, paramsType: [DataType.I32], paramsValue: [-i], errno: true });
    return ((performance.now() - start) * 1000) / calls;
  });
  return median(figures);
}
