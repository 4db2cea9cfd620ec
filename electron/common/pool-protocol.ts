// The messages between the worker pool (main thread) and a pool worker, whatever its jobs.
import type { WindowsErrorInfo } from '../../shared/domain';

/** What a pool worker receives as its workerData: its native lane, the library keys prepared for it, and the pool's own data. */
export interface PoolWorkerData { lane: number; libraryKeys: string[]; data: unknown }

/** A worker's first message, once its script has loaded (see worker/serve-jobs.ts). */
export interface WorkerReady { ready: true }

/**
 * Why a job failed inside a worker, as data: a Windows call's code and operation (its sentence
 * already built, see shared/winerror.ts), or any other failure by name and message.
 */
export type WorkerError =
  | { kind: 'windows'; info: WindowsErrorInfo }
  | { kind: 'failure'; name: string; message: string };

export type WorkerReply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: WorkerError };
