// The main thread's side of the native lanes (see ffi/library.ts): library keys opened before any
// worker starts, and a lane claimed for each worker thread. The main thread makes no Windows call
// here: opening a library is a dlopen/LoadLibrary, not a call into it.
//
// The main thread must also hold the ffi-rs addon loaded, or its teardown when the last worker
// using it exits crashes the process (a known napi-rs issue with addons loaded only in workers).
import 'ffi-rs';
import { claimNativeLane, prepareLibraries, preparedKeysForLane, releaseNativeLane } from '../ffi/library';
import { CRT_LIBRARY } from '../ffi/memory';

/** How the worker pool gives each thread it starts a lane of its own. */
export interface WorkerLanes {
  /** A free lane and the library keys prepared for it; null when every lane in the process is taken. */
  claim(): { lane: number; libraryKeys: string[] } | null;
  /** Frees a lane once its thread has exited (not before: it may still be inside a call). */
  release(lane: number): void;
}

/** Lanes for threads that call these libraries (and the C runtime, which the bindings copy memory with). */
export function nativeLanes(libraries: readonly string[]): WorkerLanes {
  prepareLibraries([...libraries, CRT_LIBRARY]);
  return {
    claim: () => {
      const lane = claimNativeLane();
      return lane === null ? null : { lane, libraryKeys: preparedKeysForLane(lane) };
    },
    release: releaseNativeLane,
  };
}
