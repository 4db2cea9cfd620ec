// The native half of a start: the backend, and the pool with its first worker already starting.
// Split from runtime.ts so that wtsc can begin it from a bundle of its own, before the rest of
// the console is loaded: a worker thread's start is tens of milliseconds of Node's bootstrap,
// which then overlaps the loading instead of following it.
import { availableParallelism } from 'node:os';
import { selectBackend } from './backend';
import type { NativeBackend } from './backend';
import { NativeWorkerPool } from './pool/native-pool';

export interface NativeStart {
  backend: NativeBackend;
  pool: NativeWorkerPool;
  poolSize: number;
}

/** Throws BackendUnavailableError when neither Windows nor the simulator can be loaded. */
export function startNative(poolSize?: number): NativeStart {
  const backend = selectBackend();
  const size = poolSize ?? Number(process.env['WTSC_POOL_SIZE'] ?? Math.max(4, Math.min(16, availableParallelism() * 4)));
  const pool = new NativeWorkerPool({ wtsLibrary: backend.wtsLibrary, eventLibrary: backend.eventLibrary, kernelLibrary: backend.kernelLibrary, advapiLibrary: backend.advapiLibrary }, size);
  // The first worker starts now, while whoever started reads its files: no job reaches it before then.
  pool.warm(1);
  return { backend, pool, poolSize: size };
}
