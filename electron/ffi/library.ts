// Which ffi-rs key each thread calls a native library through.
//
// ffi-rs keeps every opened library, and every symbol it has resolved in one, in process-wide hash
// maps that it changes without a lock: opening a new key inserts into the first, and the first call
// of a function under a key inserts into the second. A thread that reads either map while another
// inserts can loop for ever or corrupt the heap; 16 threads making their first calls under one key
// hung or aborted ("double free or corruption") within a dozen rounds. So each thread calls through
// keys of its own, which keeps its symbol map private, and every key a worker will use is opened on
// the main thread before any worker starts: while workers run, the map of keys is only read.
import { isMainThread } from 'node:worker_threads';
import { DataType, load, open } from 'ffi-rs';

/** How many worker threads can call native libraries at once, across every pool in the process. */
export const NATIVE_LANES = 64;

const MAIN = 'main';
const keyFor = (path: string, lane: string): string => `lib:${path}#${lane}`;

let ownLane = MAIN;
/** Keys this thread may call through: on the main thread, every key it opened. */
const usable = new Set<string>();
const claimedLanes = new Set<number>();

/**
 * Opens, on the main thread, a key per library for the main thread and for every worker lane.
 * Call it before starting any worker that uses these libraries; paths already prepared cost nothing.
 */
export function prepareLibraries(paths: readonly string[]): void {
  if (!isMainThread) throw new Error('native libraries are prepared on the main thread only');
  const lanes = [MAIN, ...Array.from({ length: NATIVE_LANES }, (_, i) => String(i))];
  for (const path of paths) for (const lane of lanes) openOnMainThread(keyFor(path, lane), path);
}

function openOnMainThread(key: string, path: string): void {
  if (usable.has(key)) return;
  if (claimedLanes.size > 0) {
    throw new Error(`${path} must be prepared before native worker threads start: opening it now could corrupt ffi-rs's library map`);
  }
  open({ library: key, path });
  usable.add(key);
}

/** The keys prepared for a lane, for the worker given it to be started with (see `useNativeLane`). */
export function preparedKeysForLane(lane: number): string[] { return [...usable].filter((key) => key.endsWith(`#${lane}`)); }

/** A free lane, now taken until `releaseNativeLane`; null when all are taken. */
export function claimNativeLane(): number | null {
  for (let lane = 0; lane < NATIVE_LANES; lane++) {
    if (!claimedLanes.has(lane)) {
      claimedLanes.add(lane);
      return lane;
    }
  }
  return null;
}

/** Frees a lane once its thread has exited (not before: it may still be inside a call). */
export function releaseNativeLane(lane: number): void { claimedLanes.delete(lane); }

/** In a worker, before its first native call: the lane it was given and the keys prepared for it. */
export function useNativeLane(lane: number, preparedKeys: readonly string[]): void {
  if (isMainThread) throw new Error('the main thread has no worker lane');
  ownLane = String(lane);
  for (const key of preparedKeys) usable.add(key);
}

/** The ffi-rs key through which this thread calls the library at `path`. */
export function openLibrary(path: string): string {
  const key = keyFor(path, ownLane);
  if (usable.has(key)) return key;
  if (isMainThread) {
    openOnMainThread(key, path);
    return key;
  }
  throw new Error(ownLane === MAIN
    ? 'this worker was started without a native lane (see useNativeLane)'
    : `${path} was not prepared on the main thread before this worker started (see prepareLibraries)`);
}

/**
 * On Windows a function that fails without setting a last error (a stub: Wine's wtsapi32, for
 * one) leaves whatever an earlier call on the thread left, such as 258 or 317. The bindings clear
 * it before each call, so that such a failure reads as "no code" and not as someone else's; one
 * foreign call, against a round trip to the server. Off Windows the simulator always sets it.
 */
export function lastErrorReset(): () => void {
  if (process.platform !== 'win32') return () => undefined;
  const kernel = openLibrary('kernel32.dll');
  return () => { load({ library: kernel, funcName: 'SetLastError', retType: DataType.Void, paramsType: [DataType.U32], paramsValue: [0] }); };
}
