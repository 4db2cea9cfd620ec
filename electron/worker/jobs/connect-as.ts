// A job's Connect as account: the worker thread logs on with NewCredentials, impersonates the
// token for this one job, and opens event-log sessions with the same account (EVT_RPC_LOGIN);
// then reverts and closes the token whatever happened. A thread that cannot revert must not run
// another job as anybody: its error ends the worker (the pool starts a new one).
import type { JobConnectAs } from '../../common/native-jobs';
import { WindowsApiError } from '../../common/windows-error';
import { WinError } from '../../../shared/winerror';
import { checkAccount, credentialTarget } from '../../../shared/connect-as';
import type { AdvApi } from '../advapi32/advapi32';
import type { Kernel32 } from '../kernel32/kernel32';
import type { RpcLogin } from '../wevtapi/wevtapi';

/** An error after which this worker thread must not run another job. */
export class WorkerMustEndError extends Error {
  readonly endsWorker = true;
  constructor(message: string, options?: ErrorOptions) { super(message, options); this.name = 'WorkerMustEndError'; }
}

export function asAccount<T>(advapi: AdvApi, kernel: Kernel32, connectAs: JobConnectAs, run: (login: RpcLogin) => T): T {
  const account = checkAccount(connectAs.account);
  if (!account.ok) throw new WindowsApiError('LogonUserW', WinError.INVALID_PARAMETER, account.error);
  let password = connectAs.password;
  if (password === null) {
    const stored = advapi.credRead(credentialTarget(account.value.account));
    if (stored === null) throw new WindowsApiError('CredReadW', WinError.NOT_FOUND);
    password = stored.password;
  }
  const { user, domain } = account.value;
  const token = advapi.logonNewCredentials(user, domain, password);
  try {
    advapi.impersonate(token);
    let result: T;
    try {
      result = run({ user, domain, password });
    } catch (error) {
      revertOrEnd(advapi, account.value.account);
      throw error;
    }
    revertOrEnd(advapi, account.value.account);
    return result;
  } finally {
    kernel.closeHandle(token);
  }
}

function revertOrEnd(advapi: AdvApi, account: string): void {
  try {
    advapi.revertToSelf();
  } catch (error) {
    throw new WorkerMustEndError(`RevertToSelf failed after a job run as ${account}: this worker stops so that no later job runs as that account.`, { cause: error });
  }
}
