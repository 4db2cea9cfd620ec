// The errors the service reports to its callers (the IPC handlers and the CLI), and the one place
// a job's failure becomes a WindowsErrorInfo.
import type { WindowsErrorInfo } from '../../../shared/domain';
import { WinError } from '../../../shared/winerror';
import { JobTimeoutError, PoolSaturatedError, WorkerJobError } from '../pool/worker-pool';

/** The request itself is wrong (a bad name, a bad option): nothing was done. The CLI exits 1. */
export class InvalidRequestError extends Error {
  constructor(message: string) { super(message); this.name = 'InvalidRequestError'; }
}

/** The server could not be asked which sessions a request names; nothing was done. */
export class ServerUnavailableError extends Error {
  constructor(readonly server: string, readonly info: WindowsErrorInfo) {
    super(`${server}: error ${info.code}: ${info.message}`);
    this.name = 'ServerUnavailableError';
  }
}

/** The server answered, and has no session with that id (any more). */
export class SessionNotFoundError extends Error {
  constructor(readonly server: string, readonly sessionId: number, readonly info: WindowsErrorInfo) {
    super(`${server} has no session ${sessionId} now (error ${info.code}): it has ended, or its id was never in use. Refresh the list.`);
    this.name = 'SessionNotFoundError';
  }
}

/** What a failed job means, as a Windows error: the worker's own code, or a timeout (1460) that says which kind. */
export function jobErrorInfo(error: unknown, operation: string, timeoutMs: number, server: string): WindowsErrorInfo {
  if (error instanceof JobTimeoutError) {
    return { code: WinError.TIMEOUT, operation, message: `${server} did not answer within ${timeoutMs / 1000} s: the server may be down or a network path is dropping RPC traffic.` };
  }
  if (error instanceof PoolSaturatedError) {
    // The call waited its whole deadline for a worker and never reached the server.
    return { code: WinError.TIMEOUT, operation, message: `${server} was not asked: every worker is held by a call to a server that stopped answering (stuck calls: ${error.stuck}). Try again once one returns.` };
  }
  if (error instanceof WorkerJobError && error.detail.kind === 'windows') return error.detail.info;
  return { code: 0, operation, message: error instanceof Error ? error.message : String(error) };
}
