// One server's processes (or one session's): WTSEnumerateProcessesExW, then each distinct owner
// named by the server itself (LookupAccountSidW), once per SID.
import type { SessionProcess } from '../../../shared/processes';
import type { ProcessesJob, ProcessesJobResult } from '../../common/native-jobs';
import { WindowsApiError } from '../../common/windows-error';
import { serverArgument } from '../../common/mapping';
import type { WtsApi } from '../wtsapi32/wtsapi';
import type { AdvApi } from '../advapi32/advapi32';
import { withServer } from './server';

/** 100 ns ticks → milliseconds. */
function ticksToMs(ticks: bigint): number { return Number(ticks / 10_000n); }

export function listProcesses(wts: WtsApi, advapi: AdvApi, job: ProcessesJob): ProcessesJobResult {
  const listed = withServer(wts, job.server, (handle) => wts.enumerateProcesses(handle, job.sessionId));
  let calls = 1;
  let unresolvedOwners = 0;
  const accounts = new Map<string, string | null>();
  const accountOf = (sid: string | null): string | null => {
    if (sid === null) return null;
    if (accounts.has(sid)) return accounts.get(sid) ?? null;
    let account: string | null = null;
    calls++;
    try {
      const found = advapi.lookupAccountSid(serverArgument(job.server), sid);
      account = found === null ? null : found.domain === '' ? found.name : `${found.domain}\\${found.name}`;
    } catch (error) {
      // An owner the server cannot name is shown by its SID; the list itself is still true.
      if (!(error instanceof WindowsApiError)) throw error;
    }
    if (account === null) unresolvedOwners++;
    accounts.set(sid, account);
    return account;
  };
  const processes: SessionProcess[] = listed.map((p) => ({
    server: job.server,
    sessionId: p.sessionId,
    processId: p.processId,
    name: p.name,
    userSid: p.userSid,
    account: accountOf(p.userSid),
    threads: p.threads,
    handles: p.handles,
    workingSetBytes: p.workingSetBytes,
    peakWorkingSetBytes: p.peakWorkingSetBytes,
    pagefileBytes: p.pagefileBytes,
    peakPagefileBytes: p.peakPagefileBytes,
    userTimeMs: ticksToMs(p.userTime),
    kernelTimeMs: ticksToMs(p.kernelTime),
  }));
  return { processes, unresolvedOwners, calls };
}
