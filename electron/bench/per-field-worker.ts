// A worker for the bench's comparison refresh: the per-field way qwinsta-style tools read a
// server (WTSEnumerateSessionsW, then one WTSQuerySessionInformationW per field per session).
import { workerData } from 'node:worker_threads';
import { WtsApi } from '../worker/wtsapi32/wtsapi';
import type { PoolWorkerData } from '../common/pool-protocol';
import { serveJobs } from '../worker/serve-jobs';
import { useNativeLane } from '../ffi/library';

export interface PerFieldJob { server: string }
export interface PerFieldResult { sessions: number; calls: number }

const { lane, libraryKeys, data } = workerData as PoolWorkerData & { data: { wtsLibrary: string } };
useNativeLane(lane, libraryKeys);
const api = new WtsApi(data.wtsLibrary);

function refreshPerField(server: string): PerFieldResult {
  const handle = api.openServer(server);
  try {
    const listed = api.enumerateSessionsW(handle);
    let calls = 1;
    const rows = listed.map((entry) => {
      calls += 8;
      return {
        id: entry.sessionId,
        name: api.queryWinStationName(handle, entry.sessionId),
        user: api.queryUserName(handle, entry.sessionId),
        domain: api.queryDomainName(handle, entry.sessionId),
        state: api.queryConnectState(handle, entry.sessionId),
        client: api.queryClientName(handle, entry.sessionId),
        address: api.queryClientAddress(handle, entry.sessionId).address,
        protocol: api.queryClientProtocolType(handle, entry.sessionId),
        logonTime: api.querySessionInfo(handle, entry.sessionId).logonTime.toString(),
      };
    });
    return { sessions: rows.length, calls };
  } finally {
    api.closeServer(handle);
  }
}

serveJobs<PerFieldJob>((job) => refreshPerField(job.server));
